"""Aspect keywords (delivery, quality, price, service, packaging, matches_description).

Vietnamese keys are canonical tokens (accent-stripped, teencode expanded, see normalize);
English keys are lower-case words. A clause that mentions a keyword is scored for that aspect.
"""

from __future__ import annotations

ASPECTS: tuple[str, ...] = (
    "delivery",
    "quality",
    "price",
    "service",
    "packaging",
    "matches_description",
)

# Aspect -> keywords (single tokens or space-joined phrases of canonical tokens).
VI_ASPECT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "delivery": (
        "giao",
        "giao hang",
        "ship",
        "shipper",
        "van chuyen",
        "nhan hang",
        "toi noi",
        "den noi",
        "chuyen phat",
        "buu dien",
        "ghn",
        "giao hang nhanh",
        "dong goi nhanh",
    ),
    "quality": (
        "chat luong",
        "vai",
        "benx",
        "hongx",
        "loix",
        "xinx",
        "chat lieu",
        "pin",
        "camera",
        "man hinh",
        "may",
        "hoat dong",
        "san pham",
        "cau hinh",
        "hieu nang",
        "am thanh",
        "loa",
    ),
    "price": (
        "gia",
        "gia tien",
        "tien",
        "re",
        "rex",
        "datx",
        "dat tien",
        "gia ca",
        "khuyen mai",
        "giam gia",
        "sale",
        "voucher",
        "dang tien",
        "dang dong tien",
        "trieu",
        "phi",
        "macx",
        "gia mac",
        "hop tui tien",
        "phai chang",
        "uu dai",
        "dang gia",
        "tien nao cua nay",
        "chat chem",
    ),
    "service": (
        "shop",
        "nhan vien",
        "phuc vu",
        "tu van",
        "tra loi",
        "nhiet tinh",
        "thai do",
        "cham soc",
        "ho tro",
        "bao hanh",
        "chu shop",
        "seller",
        "dich vu",
        "tgdd",
        "the gioi di dong",
        "cua hang",
        "doi tra",
        "phan hoi",
    ),
    "packaging": (
        "dong goi",
        "bao bi",
        "goi hang",
        "boc",
        "chong soc",
        "thung",
        "bong bong",
        "vo hop",
        "hop dung",
        "can than",
    ),
    "matches_description": (
        "mo ta",
        "hinh",
        "giong hinh",
        "dung hinh",
        "dungx",
        "dung mau",
        "size",
        "kich thuoc",
        "nhu hinh",
        "khac hinh",
        "sai",
        "giong",
        "quang cao",
    ),
}

# Lexicon keys (lexicon_vi.LEXICON) that judge the price: in a clause naming the price they
# alone score it (vietnamese.VietnameseScorer.aspects).
PRICE_WORDS: frozenset[str] = frozenset(
    {
        "gia re",
        "re",
        "rex",
        "hop ly",
        "gia hop ly",
        "dang tien",
        "dang dong tien",
        "khong dang tien",
        "xung dang",
        "tien nao cua nay",
        "khuyen mai",
        "sale",
        "giam gia",
        "uu dai",
        "gia soc",
        "datx",
        "datx do",
        "datx xat",
        "macx",
        "gia mac",
        "gia cao",
        "gia hoi cao",
        "gia chat",
        "gia tot",
        "gia mem",
        "phai chang",
        "dang gia",
        "hop tui tien",
        "gia tren troi",
        "chat chem",
        "cat co",
        "phi tien",
    }
)

# Price words that name a deal (a sale, a discount) rather than judge the price: "mua hồi
# sale" says when it was bought (vietnamese.DEALS_JUDGE decides how they count).
PRICE_DEALS: frozenset[str] = frozenset({"khuyen mai", "sale", "giam gia", "uu dai"})

# How a price is judged when no price word does (vietnamese.VietnameseScorer.aspects; each
# part switched by a scorer setting chosen by `train_sentiment.py --choose-price`).
#
# Words that judge the price when they follow a word naming it in the same clause, with at
# most PRICE_PREDICATE_GAP tokens between ("giá bán cao", "giá thì cao", "giá niêm yết quá
# cao", "giá hơi chát", "giá hợp lí", "gia on"). Valences by analogy with the lexicon's price
# keys (giá cao -1.2, giá chát -1.5, giá mắc -1.3, giá rẻ 1.5, giá mềm 1.5, giá hợp lý 2.0,
# giá tốt 2.0); a negation or an intensifier in between applies as in the lexicon ("giá không
# hề rẻ", "giá chưa hợp lý", "giá hơi cao").
PRICE_NOUNS: frozenset[str] = frozenset({"gia"})  # giá, giá cả, giá thành, giá bán, mức giá
PRICE_PREDICATE_GAP = 3
PRICE_PREDICATES: dict[str, float] = {
    "cao": -1.2,
    "chat": -1.5,  # chát
    "dat": -1.2,  # đắt typed without accents
    "datx": -1.2,
    "macx": -1.3,
    "ngat nguong": -2.0,
    "thap": 1.5,
    "re": 1.5,
    "rex": 1.5,
    "mem": 1.5,
    "hop ly": 2.0,
    "hop li": 2.0,
    "phai chang": 1.5,
    "de chiu": 1.5,
    "canh tranh": 1.5,
    "hat de": 1.5,
    "sinh vien": 1.0,
    "binh dan": 1.0,
    "tuong xung": 1.5,
    "xung dang": 1.5,
    "tot": 2.0,
    "on": 1.3,  # ổn typed without accents
    "onz": 1.3,
    "ok": 1.5,
    "hoiz": 1.8,
    "ngon": 1.5,
}
# A predicate followed by one of these is another word: "cao cấp" (high-end), "chất lượng",
# "chất liệu", "rẻ tiền" (cheaply made), "đặt trước", "đặt hàng", "đặt cọc"; "cảm ơn" is no "ổn".
PREDICATE_NOT_BEFORE: dict[str, frozenset[str]] = {
    "cao": frozenset({"cap"}),
    "chat": frozenset({"luong", "lieu"}),
    "re": frozenset({"tien"}),
    "rex": frozenset({"tien"}),
    "dat": frozenset({"truoc", "hang", "coc", "mua", "lich"}),
}
PREDICATE_NOT_AFTER: dict[str, frozenset[str]] = {"on": frozenset({"cam"})}
# Value frames: a price named as the measure of what the rest is worth ("trong tầm giá", "với
# giá này", "so với giá tiền", "với số tiền bỏ ra", "p/p", "giá này mà ...", "giá 5 triệu mà
# ..."). A clause naming the price this way and judging nothing itself judges the price as the
# rest of its sentence judges the product ("Với giá này, máy quá ngon": the price is good value).
PRICE_FRAMES: tuple[str, ...] = (
    "tam gia",
    "tam tien",
    "phan khuc",
    "so voi gia",
    "so voi gia tien",
    "so voi gia thanh",
    "so voi tien",
    "so voi so tien",
    "voi so tien",
    "so tien bo ra",
    "tien bo ra",
    "tren gia thanh",
    "p p",
)
# The frames that hold no price keyword, so they name the price themselves.
PRICE_FRAME_MENTIONS: tuple[str, ...] = ("phan khuc", "p p")
# Words that hold a price keyword once accents are stripped but do not name the price: "đánh
# giá" (to rate), "gia đình" (family), "tham gia", "chuyên gia", "quốc gia", "gia công"
# (workmanship), "gia hạn", "gia vị", "gia dụng" (household goods), "gia nhập", "đầu tiên" (first),
# "ưu tiên", "trước tiên", "tiện lợi", "tiện ích", "tiện dụng", "thuận tiện" (typed without
# accents), "tiến hành", "tiến bộ", "cải tiến", "tiên tiến". Matched whole, longest first, so
# the price keyword inside them is not read.
NOT_PRICE: tuple[str, ...] = (
    "danh gia",
    "gia dinh",
    "tham gia",
    "chuyen gia",
    "quoc gia",
    "gia cong",
    "gia han",
    "gia vi",
    "gia dung",
    "gia nhap",
    "dau tien",
    "uu tien",
    "truoc tien",
    "tien loi",
    "tien ich",
    "tien dung",
    "thuan tien",
    "tien hanh",
    "tien bo",
    "cai tien",
    "tien tien",
)
# The same as: price keyword -> the words before it, and the words after it, that make it one
# of these.
NOT_PRICE_BEFORE: dict[str, frozenset[str]] = {
    key: frozenset(p.split()[0] for p in NOT_PRICE if p.split()[1] == key and p != "tien tien")
    for key in ("gia", "tien")
}
NOT_PRICE_AFTER: dict[str, frozenset[str]] = {
    key: frozenset(p.split()[1] for p in NOT_PRICE if p.split()[0] == key)
    for key in ("gia", "tien")
}
# After a price noun (and "tiền", "cả", "bán", "thành"), these make it "this price": "giá này",
# "giá vậy", "giá như vậy", "giá thế này", "mức giá đó".
PRICE_DEMONSTRATIVES: frozenset[str] = frozenset({"nay", "vay", "do", "the", "nhu"})

EN_ASPECT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "delivery": (
        "delivery",
        "delivered",
        "shipping",
        "shipped",
        "ship",
        "arrived",
        "arrive",
        "courier",
        "dispatch",
        "dispatched",
        "late",
        "parcel",
        "postage",
    ),
    "quality": (
        "quality",
        "material",
        "materials",
        "durable",
        "sturdy",
        "broke",
        "broken",
        "flimsy",
        "cheaply",
        "build",
        "works",
        "working",
        "battery",
        "fabric",
        "stitching",
        "fell",
        "defective",
        "food",
    ),
    "price": (
        "price",
        "prices",
        "priced",
        "cost",
        "costs",
        "expensive",
        "cheap",
        "value",
        "money",
        "overpriced",
        "affordable",
        "bargain",
        "deal",
        "worth",
        "pricey",
        "inexpensive",
        "paid",
        "pay",
        "refunded",
    ),
    "service": (
        "service",
        "staff",
        "seller",
        "support",
        "customer",
        "waiter",
        "waitress",
        "server",
        "refund",
        "reply",
        "responded",
        "response",
        "helpful",
        "rude",
        "friendly",
        "manager",
    ),
    "packaging": (
        "packaging",
        "package",
        "packaged",
        "packed",
        "box",
        "wrapped",
        "wrapping",
        "packing",
    ),
    "matches_description": (
        "described",
        "description",
        "pictured",
        "picture",
        "pictures",
        "photo",
        "photos",
        "advertised",
        "expected",
        "size",
        "fits",
        "fit",
        "listing",
    ),
}
