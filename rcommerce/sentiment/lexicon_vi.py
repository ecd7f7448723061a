"""Hand-written Vietnamese sentiment resources: lexicon, modifiers and product-review sentences.

Written by the rcommerce authors (no dataset was copied). Keys are canonical tokens (see
normalize.canonical_tokens): accent-stripped, so they match text typed with or without
diacritics. Words whose accent-stripped form collides with a common word of another meaning
(kém / kem, hỏng / hông, đắt / đặt, bền / bên ...) are tagged while the accents are still there
(ACCENT_TAGS), so accented text is read exactly and unaccented text falls back to the usual sense.
"""

from __future__ import annotations

# Accented word -> tag token, applied before accents are stripped.
ACCENT_TAGS: dict[str, str] = {
    "yếu": "yeux",
    "chăn": "chann",
    "chân": "chann",
    "tê": "tex",
    "té": "tex",
    "ồn": "onx",
    "kém": "kemx",
    "hỏng": "hongx",
    "chấm": "chamz",
    "chăm": "chamz",
    "đắt": "datx",
    "dở": "dox",
    "bền": "benx",
    "giả": "giax",
    "lừa": "luax",
    "đúng": "dungx",
    "hôi": "hoix",
    "tồi": "toix",
    "xịn": "xinx",
    "lỗi": "loix",
    "tệ": "tez",
    "chán": "chanx",
    "ổn": "onz",
    "ưng": "ungx",
    "rẻ": "rex",
    "mỏng": "mongx",
    "nhái": "nhaix",
    "ngon": "ngon",
    "xấu": "xaux",
    "rách": "rachx",
    "móp": "mopx",
    "méo": "meox",
    "vỡ": "vox",
    "bể": "bex",
    "mốc": "mocx",
}

# Sentiment words and phrases (canonical tokens joined by spaces), VADER scale -4..4.
LEXICON: dict[str, float] = {
    # positive
    "tot": 2.0, "tuyet voi": 3.0, "tuyet": 2.5, "hoan hao": 3.0, "xuat sac": 3.0,
    "dep": 2.0, "xinh": 2.0, "xinh xan": 2.2, "de thuong": 2.0, "cute": 2.0,
    "ung y": 2.2, "ungx": 2.0, "ung": 1.5, "hai long": 2.5, "thich": 1.8, "me": 1.5,
    "yeu thich": 2.2, "hop ly": 1.5, "vua van": 1.5, "vua": 0.8, "chuan": 1.8,
    "chac chan": 1.0, "chac": 1.2, "chac chan chan": 1.0, "benx": 1.8,
    "xinx": 2.0, "xin": 1.5, "onz": 1.3, "on": 1.2, "on dinh": 1.5, "muot": 1.8,
    "muot ma": 2.0, "nhanh": 1.5, "nhiet tinh": 2.2, "chu dao": 2.0, "than thien": 1.8,
    "tan tinh": 2.0, "tan tam": 2.0, "cam on": 1.5, "cam on shop": 2.0, "ung ho": 1.8,
    "se ung ho": 2.0, "quay lai": 1.0, "mua lai": 1.2, "gioi thieu": 1.0, "recommend": 2.0,
    "dang tien": 2.5, "dang mua": 2.2, "dang dong tien": 2.5, "xung dang": 2.0,
    "re": 1.0, "rex": 1.0, "gia re": 1.5, "gia tot": 2.0, "gia hop ly": 2.0,
    "chat luong tot": 2.5, "chat luong": 0.3, "ok": 1.5, "good": 2.0, "nice": 2.0,
    "perfect": 3.0, "great": 2.5, "love": 2.5, "best": 2.5, "ngon": 2.0,
    "em": 0.0, "mem": 1.2, "min": 1.2, "em ai": 1.5, "thom": 1.5, "sang": 1.0,
    "sang trong": 2.0, "tinh te": 2.0, "chinh hang": 1.5, "dungx mau": 1.8,
    "dungx hinh": 1.8, "giong hinh": 1.8, "dung mau": 1.5, "dung hinh": 1.5,
    "nhu hinh": 1.5, "nhu mo ta": 1.8, "dungx mo ta": 2.0, "dung mo ta": 1.8,
    "giong mo ta": 1.8, "can than": 1.5, "chu dao": 2.0, "ky cang": 1.5, "ky": 0.5,
    "xiu": 0.0, "nhe": 0.3, "hieu qua": 1.8, "tien loi": 1.8, "tien": 0.0,
    "de dung": 1.8, "de su dung": 1.8, "phu hop": 1.5, "vua y": 2.0, "vua vat": 1.0,
    "hai": 0.0, "vui": 1.8, "vui ve": 2.0, "thoai mai": 1.8, "an tam": 1.8, "yen tam": 1.8,
    "dinh": 1.5, "qua dinh": 2.5, "xin xo": 2.0, "tuyet cu meo": 3.0, "ngon lanh": 2.0,
    "ngon bo re": 2.5, "mien che": 2.5, "khong che": 2.0, "khong chê": 2.0,
    "nhanh chong": 1.8, "sieu nhanh": 2.2, "som": 1.0, "dung hen": 1.5,
    "emo_pos": 2.0, "hoan toan hai long": 3.0, "cuc ky hai long": 3.0, "ung qua": 2.2,
    "khen": 1.5, "ton": 0.0, "sieu": 0.0, "net": 1.2, "ro net": 1.5, "trau": 1.5,
    "pin trau": 2.0, "manh": 1.2, "manh me": 1.5, "lam viec tot": 2.0,
    # negative
    "te": -2.0, "tez": -2.2, "toix": -2.2, "toi te": -2.5, "do": 0.0, "dox": -1.8,
    "do te": -2.5, "xau": -1.8, "xaux": -2.0, "kemx": -2.0, "kem chat luong": -2.5,
    "chat luong kem": -2.5, "hongx": -2.2, "bi hong": -2.2, "hu": -2.0, "bi hu": -2.2,
    "hu hong": -2.5, "loix": -1.8, "loi": -1.2, "bi loi": -2.0, "that vong": -2.5,
    "chanx": -1.8, "chan": -1.2, "buc": -2.0, "buc minh": -2.2, "buc boi": -2.2,
    "kho chiu": -2.0, "tuc": -1.8, "tuc gian": -2.5, "gian": -1.5, "cham": -1.3,
    "cham chap": -1.8, "lau": -0.3, "qua lau": -1.8, "giao cham": -2.0, "giao lau": -1.8,
    "datx": -1.3, "dat": -0.2, "gia dat": -1.2, "hoi dat": -1.0, "dat qua": -1.2,
    "giax": -2.0, "hang gia": -2.0, "nhaix": -2.0, "hang nhai": -2.5, "luax": -2.5,
    "lua dao": -3.0, "lua": -0.5, "sai": -1.5, "giao sai": -2.2, "sai mau": -2.0,
    "khac hinh": -1.8, "khac mo ta": -2.0, "khong giong": -1.8, "khong dungx": -1.8,
    "khong nhu hinh": -2.0, "mongx": -0.8, "mong": -0.3, "mong dinh": -1.8, "rachx": -2.2,
    "rach": -1.8, "bi rach": -2.2, "mopx": -2.0, "mop": -1.5, "meox": -1.5, "vox": -2.0,
    "bex": -2.0, "bi vo": -2.2, "bi be": -2.2, "mocx": -2.0, "bi moc": -2.0, "hoix": -1.8,
    "hoi thoi": -2.2, "thoi": -1.0, "mui hoi": -1.5, "bo": -0.5, "tra hang": -1.8,
    "hoan tien": -1.5, "doi tra": -1.2, "phi tien": -2.5, "phi": -0.3, "lang phi": -2.2,
    "toi": 0.0, "te hai": -2.5, "kinh khung": -2.5, "khung khiep": -2.5, "ghe": -1.8,
    "ghe tom": -2.5, "so": -0.5, "tham": -2.0, "tham hai": -2.5, "thieu": -1.3,
    "giao thieu": -2.2, "thieu hang": -2.0, "khong nhan duoc": -2.0, "chua nhan duoc": -1.8,
    "khong bao gio": -1.0, "khong nen mua": -2.5, "dung mua": -2.5, "khong dang": -2.2,
    "khong hai long": -2.5, "khong tot": -2.0, "khong on": -1.8, "khong dep": -1.8,
    "nong": -0.5, "nhanh het pin": -2.0, "hao pin": -1.8, "tut pin": -1.8, "lag": -1.8,
    "giat": -1.5, "giat lag": -2.0, "do": 0.0, "dom": -1.5, "bui": -0.8, "ban": 0.0,
    "do ban": -1.5, "yeux": -1.5, "pin yeu": -1.8, "nong may": -1.8, "treo": -1.5,
    "sap nguon": -2.0, "chai": -1.0, "ngu": -2.2, "vo dung": -2.5, "vo trach nhiem": -2.5,
    "thai do": -0.5, "lam lo": -2.0, "coc": -1.8, "coc can": -2.2, "hach": -1.5, "hen": -0.5,
    "emo_neg": -2.0, "hic": -1.5, "tiec": -1.3, "tiec tien": -2.5, "uong": -0.5,
    "uong tien": -2.5, "bad": -2.0, "bat tien": -1.5, "kho dung": -1.8, "vl": 0.0,
    "khong hieu qua": -2.0, "khong nhu mong doi": -2.2, "khong giong hinh": -2.2, "cu": -0.8,
    "qua te": -2.8, "nham": -1.5, "khong chac chan": -1.0, "nhat": -0.8, "nhat nheo": -1.5,
    "ket": -0.3, "phai doi": -0.8, "khong lam viec": -2.0, "khong hoat dong": -2.2,
    "khong chay": -1.8, "khong len": -1.5, "het han": -2.0, "qua han": -2.0, "bong troc": -2.0,
    "phai mau": -1.5, "ra mau": -1.5, "nhan": -0.2, "nhan nheo": -1.5, "tam duoc": -0.2,
    "tam on": 0.3, "binh thuong": -0.2, "tam": 0.0, "that bai": -2.2, "kem": 0.0,
    "khong ra gi": -2.2, "cham soc": 0.8, "chuyen": 0.0,
}

NEGATIONS: frozenset[str] = frozenset(
    {"khong", "chang", "cha", "chua", "deo", "dell", "ko", "k", "kg", "hok", "dau co", "kp", "not"}
)
# Multipliers for the valence of the next sentiment word (VADER's booster idea).
INTENSIFIERS: dict[str, float] = {
    "rat": 1.3, "qua": 1.3, "lam": 1.3, "cuc": 1.4, "cuc ky": 1.5, "cuc ki": 1.5,
    "sieu": 1.4, "vo cung": 1.5, "that su": 1.3, "that": 1.2, "thuc su": 1.3, "hoi": 0.7,
    "kha": 0.8, "hon": 1.1, "nhat": 1.3, "qua troi": 1.5, "qua xa": 1.4, "dinh cao": 1.4,
    "vl": 1.4, "cuc ki la": 1.5, "het suc": 1.4, "dac biet": 1.3, "toan": 1.1,
}
# Words that start a new clause and shift weight to it ("A nhưng B": B counts more).
CONTRAST: frozenset[str] = frozenset({"nhung", "tuy nhien", "ma", "song", "co dieu"})
CONCESSIVE: frozenset[str] = frozenset({"tuy", "mac du", "du"})

# (sentence, 1 = positive / 0 = negative), shop-language examples the restaurant corpus lacks.
HANDWRITTEN_SENTENCES: list[tuple[str, int]] = [
    ("Sản phẩm rất tốt, giao hàng nhanh, đóng gói cẩn thận", 1),
    ("Hàng kém chất lượng, dùng được hai ngày đã hỏng", 0),
]
