"""Text normalisation shared by the Vietnamese scorer and its training script.

Reviews arrive with or without diacritics, in teencode, with stretched letters and emoji; every
feature and lexicon key is computed on one canonical, accent-stripped, lower-case form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from rcommerce.sentiment.lexicon_vi import (
    ACCENT_TAGS,
    LEXICON_SENSES,
    MODIFIER_SENSES,
    PLAIN_CONTEXT,
    PLAIN_WORDS,
)

# Emoji and emoticons become word tokens so that the lexicon and the model can read them.
EMOTICON_TOKENS: dict[str, str] = {
    ":)": " emo_pos ",
    ":-)": " emo_pos ",
    ":))": " emo_pos ",
    ":)))": " emo_pos ",
    "=))": " emo_pos ",
    "=)": " emo_pos ",
    ":d": " emo_pos ",
    ":-d": " emo_pos ",
    "^^": " emo_pos ",
    "^_^": " emo_pos ",
    "<3": " emo_pos ",
    ":3": " emo_pos ",
    ";)": " emo_pos ",
    ":v": " emo_pos ",
    ":p": " emo_pos ",
    "xd": " emo_pos ",
    ":(": " emo_neg ",
    ":-(": " emo_neg ",
    ":((": " emo_neg ",
    ":(((": " emo_neg ",
    ":'(": " emo_neg ",
    "-_-": " emo_neg ",
    ":/": " emo_neg ",
    ">:(": " emo_neg ",
    "t_t": " emo_neg ",
}

POSITIVE_EMOJI = frozenset(
    "😀😁😂😃😄😅😆😇😉😊😋😌😍😎😏😘😙😚😛😜😝🤗🤩🥰🥳☺🙂👍👌👏💯🎉❤♥💕💖💗💓💞💘💝😻✨🌟⭐🔥🙆💪🤝🙏"
)
NEGATIVE_EMOJI = frozenset("😞😟😠😡😢😣😤😥😦😧😨😩😪😫😭😰😱😒😓😔😕😖🙁☹🤬🤮🤢👎💔😑😐🙄😬")

# Teencode and common abbreviations, keyed on accent-stripped lower-case tokens.
TEENCODE: dict[str, str] = {
    "k": "khong",
    "ko": "khong",
    "kg": "khong",
    "kh": "khong",
    "khg": "khong",
    "kho": "kho",
    "hok": "khong",
    "hong": "khong",
    "hk": "khong",
    "hem": "khong",
    "hum": "khong",
    "khum": "khong",
    "khog": "khong",
    "dc": "duoc",
    "dk": "duoc",
    "dx": "duoc",
    "duoc": "duoc",
    "sp": "san pham",
    "sd": "su dung",
    "sdung": "su dung",
    "j": "gi",
    "ji": "gi",
    "bt": "binh thuong",
    "bth": "binh thuong",
    "nt": "nhan tin",
    "ib": "nhan tin",
    "inbox": "nhan tin",
    "ok": "ok",
    "oke": "ok",
    "okie": "ok",
    "oki": "ok",
    "okey": "ok",
    "okay": "ok",
    "okela": "ok",
    "okla": "ok",
    "oce": "ok",
    "ship": "ship",
    "shiper": "shipper",
    "shipper": "shipper",
    "shop": "shop",
    "sop": "shop",
    "shope": "shop",
    "r": "roi",
    "rui": "roi",
    "vs": "voi",
    "ms": "moi",
    "mn": "moi nguoi",
    "mng": "moi nguoi",
    "cx": "cung",
    "cg": "cung",
    "ng": "nguoi",
    "ngta": "nguoi ta",
    "tks": "cam on",
    "thank": "cam on",
    "thanks": "cam on",
    "thankyou": "cam on",
    "thanhks": "cam on",
    "camon": "cam on",
    "qa": "qua",
    "wa": "qua",
    "z": "vay",
    "v": "vay",
    "dt": "dien thoai",
    "mk": "minh",
    "mik": "minh",
    "mjk": "minh",
    "mih": "minh",
    "bn": "bao nhieu",
    "ik": "di",
    "trc": "truoc",
    "nhiu": "nhieu",
    "iu": "yeu",
    "thik": "thich",
    "thjk": "thich",
    "dep": "dep",
    "xink": "xinh",
    "xjn": "xinh",
    "fai": "phai",
    "ph": "phai",
    "hix": "hic",
    "huhu": "hic",
    "hjc": "hic",
    "good": "good",
    "gud": "good",
    "nice": "nice",
    "bad": "bad",
    "tot": "tot",
    "vl": "vl",
    "vcl": "vl",
    "vkl": "vl",
    "god": "good",
    "m": "minh",
    "b": "ban",
    "bh": "bao hanh",
    "tl": "tra loi",
    "nv": "nhan vien",
    "gh": "giao hang",
    "e": "em",
    "a": "anh",
    "c": "chi",
}

# Teencode typed with accents. Any other accented word that strips to a teencode key is a word
# of its own: "hồng" (pink) and "họng" are not "hông" (không), "hẻm" (alley) is not "hem",
# "ỉu" (soggy) is not "iu" (yêu), and the particles "à", "ạ", "ê" are not "anh", "em".
ACCENTED_TEENCODE: frozenset[str] = frozenset(
    {
        "kô",
        "hôk",
        "hông",
        "hổng",
        "khôg",
        "đc",
        "đk",
        "đx",
        "jì",
        "okê",
        "ôki",
        "ôk",
        "rùi",
        "qá",
        "wá",
        "đt",
        "mìk",
        "mìh",
        "ík",
        "nhìu",
        "íu",
        "thík",
        "fải",
    }
)

_TEENCODE_SPLIT: dict[str, tuple[str, ...]] = {
    key: tuple(value.split()) for key, value in TEENCODE.items() if value != key
}
_TOKEN_RE = re.compile(r"[a-z0-9_]+|[.!?]+|[,;]")
# Stretched letters. "uu" stays: it is how "ưu" strips (hữu, lưu, cứu, ưu đãi), and "hữu"
# must not become "hu" (hư, broken); three or more u's are stretching.
_REPEAT_RE = re.compile(r"([a-tv-z])\1+|(u)u{2,}")
# Whether _REPEAT_RE matches at all: the same letters, without the backtracking of "+" (about
# half the time of a search with _REPEAT_RE; most texts have no stretched letter).
_HAS_REPEAT_RE = re.compile(r"([a-tv-z])\1|uuu")


def _collapse(match: re.Match[str]) -> str:
    """A stretched letter, once ("quáaaa" -> "qua")."""
    return match.group(1) or match.group(2)


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


_NONE: frozenset[int] = frozenset()


class Tokens(NamedTuple):
    """Canonical tokens of a text, and which of them were typed as another word than the one
    a single-word key names (lexicon_vi.LEXICON_SENSES, MODIFIER_SENSES): token indices."""

    words: list[str]
    not_lexicon: frozenset[int]
    not_modifier: frozenset[int]
    # Indices of the tokens that start with a digit (amounts, specs, dates).
    numbers: tuple[int, ...] = ()


_TYPED_REPEAT_RE = re.compile(r"(\w)\1+")


@lru_cache(maxsize=4096)
def _spelling(word: str) -> tuple[str, str]:
    """(the letters without the tone mark, the tone mark or ''), stretched letters collapsed:
    'quá', 'qúa' and 'quáaa' are spelt the same."""
    decomposed = unicodedata.normalize("NFD", _TYPED_REPEAT_RE.sub(r"\1", word))
    tone = "".join(c for c in decomposed if c in _TONE_MARKS)
    letters = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", letters), tone


_LEXICON_SPELLINGS = {k: frozenset(map(_spelling, v)) for k, v in LEXICON_SENSES.items()}
_MODIFIER_SPELLINGS = {k: frozenset(map(_spelling, v)) for k, v in MODIFIER_SENSES.items()}
_SENSE_KEYS = frozenset(LEXICON_SENSES) | frozenset(MODIFIER_SENSES)
_TEENCODE_SPELLINGS = frozenset(map(_spelling, ACCENTED_TEENCODE))
# Canonical words that read_tokens must look at (any other word is kept as it is).
_READ_AS_TYPED = frozenset(_TEENCODE_SPLIT) | _SENSE_KEYS | PLAIN_WORDS | frozenset(PLAIN_CONTEXT)


# Words glued where a line break was lost ("rất kémSon fake", "mẫuK hài lòng"): a capital right
# after a small letter starts a new word (Vietnamese never capitalises inside a word).
def _letters(upper: bool) -> str:
    """Latin letters used by Vietnamese (with every diacritic) of one case, for a regex class."""
    chars = [chr(c) for c in range(0x41, 0x7B)] + [chr(c) for c in range(0xC0, 0x1EFF + 1)]
    picked = (c for c in chars if c.isalpha() and (c.isupper() if upper else c.islower()))
    return "".join(re.escape(c) for c in picked)


# The capital is tested first: most positions hold no capital, so the look-behind is rarely tried.
_GLUED_RE = re.compile(f"(?=[{_letters(upper=True)}])(?<=[{_letters(upper=False)}])")
_EMOTICON_RE = re.compile(
    "|".join(re.escape(e) for e in sorted(EMOTICON_TOKENS, key=len, reverse=True))
)
# Every emoticon holds one of these: text without them has none to replace. (A text of one
# word is looked at only for ":", "^", "=" and "<", as before.)
_MAY_HOLD_EMOTICON_RE = re.compile(r"[:=^<;\-]|xd|t_t")


# Combining diacritical marks: str.translate deletes these keys (their value is None).
_COMBINING_MARKS: dict[int, None] = dict.fromkeys(range(0x0300, 0x036F + 1))
_COMBINING_RE = re.compile("[\u0300-\u036f]")


@lru_cache(maxsize=1)
def _strip_table() -> dict[int, str]:
    """Map every precomposed Vietnamese letter to its base letter (đ -> d)."""
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0x00C0, 0x1EFF + 1):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    # Combining marks left over by decomposed input are dropped.
    table.update(dict.fromkeys(_COMBINING_MARKS, ""))
    return table


@lru_cache(maxsize=1)
def _strip_list() -> list[str]:
    """_strip_table as a list indexed by code point (every other character maps to itself;
    str.translate leaves characters past its end alone): indexing a list is cheaper than a
    dictionary lookup for every character."""
    table = _strip_table()
    return [table.get(code, chr(code)) for code in range(max(table) + 1)]


def strip_accents(text: str) -> str:
    """Remove Vietnamese diacritics: 'sản phẩm rất tốt' -> 'san pham rat tot'."""
    if text.isascii():
        return text  # the table maps no ASCII character
    return text.translate(_strip_list())


# The tokens of the accented text, aligned with _TOKEN_RE's on its stripped form: the letters
# are a-z and every character strip_accents maps to one of them.
_TYPED_RE = re.compile(
    "[a-z0-9_"
    + "".join(
        re.escape(chr(c))
        for c in range(0xC0, 0x1EFF + 1)
        if len(strip_accents(chr(c))) == 1 and "a" <= strip_accents(chr(c)) <= "z"
    )
    + "]+|[.!?]+|[,;]"
)


_EMOJI_TABLE: dict[int, str] = {ord(c): " emo_pos " for c in POSITIVE_EMOJI} | {
    ord(c): " emo_neg " for c in NEGATIVE_EMOJI
}


def _emoji_tokens(text: str) -> str:
    """Replace emoji by word tokens (only the characters that carry sentiment)."""
    return text.translate(_EMOJI_TABLE)


_BEYOND_VIETNAMESE_RE = re.compile("[^\x00-\u2000]")  # emoji, symbols, other scripts


def _has_emoji(text: str) -> bool:
    return _BEYOND_VIETNAMESE_RE.search(text) is not None


def canonical_tokens(text: str) -> list[str]:
    """Tokens of `text` in canonical form (see read_tokens)."""
    return read_tokens(text).words


def read_tokens(text: str) -> Tokens:
    """Tokens of `text` in canonical form: lower case, accent-stripped, teencode expanded.

    Stretched letters collapse ('quáaaa' -> 'qua', 'đẹppppp' -> 'dep'); Vietnamese syllables
    never repeat a letter except "ưu" (stripped "uu"), so collapsing doubled letters is safe.
    Emoticons and emoji become 'emo_pos' / 'emo_neg'. Multi-syllable expansions become several
    tokens, exactly as if the reviewer had typed them in full. Words typed with accents that
    are another word than a single-word key's are listed (Tokens.not_lexicon, not_modifier).
    """
    text = unicodedata.normalize("NFC", text)
    if not text.islower():
        text = _GLUED_RE.sub(" ", text)
    lowered = text.lower()
    if (
        _MAY_HOLD_EMOTICON_RE.search(lowered)
        if " " in lowered
        else ":" in lowered or "^" in lowered or "=" in lowered or "<" in lowered
    ):
        lowered = _EMOTICON_RE.sub(lambda m: EMOTICON_TOKENS[m.group(0)], lowered)
    if _has_emoji(lowered):
        lowered = _emoji_tokens(lowered)
    typed: list[str] = []  # the tokens as typed, with their accents
    if lowered.isascii():
        tokens = _TOKEN_RE.findall(lowered)
        if _HAS_REPEAT_RE.search(lowered):
            tokens = _REPEAT_RE.sub(_collapse, " ".join(tokens)).split(" ")
    else:
        if _COMBINING_RE.search(lowered):
            # Combining marks that did not compose: dropped, as strip_accents drops them.
            lowered = lowered.translate(_COMBINING_MARKS)
        typed = _TYPED_RE.findall(lowered)
        if not typed:
            return Tokens([], _NONE, _NONE)
        # A typed token's letters are exactly those that strip to a-z, so stripping the
        # typed tokens gives _TOKEN_RE's tokens of the stripped text, one for one; collapsing
        # stretched letters never adds or removes a token, so the two stay aligned.
        stripped = strip_accents(" ".join(typed))
        if _HAS_REPEAT_RE.search(stripped):
            stripped = _REPEAT_RE.sub(_collapse, stripped)
        tokens = stripped.split(" ")
    out: list[str] = []
    not_lexicon: list[int] = []
    not_modifier: list[int] = []
    plain: list[int] = []  # PLAIN_CONTEXT words typed without accents
    numbers: list[int] = []
    get = _TEENCODE_SPLIT.get
    for tok, word in zip(tokens, typed or tokens, strict=True):
        # A token is a word when it starts with a letter, "_" (compared as strings, which is
        # cheaper than a method call on its first character) or a digit (_TOKEN_RE).
        if tok >= "_" and tok not in _READ_AS_TYPED and word not in ACCENT_TAGS:
            out.append(tok)  # most words: no teencode, tag, sense or context to look at
            continue
        if "0" <= tok < ":":
            numbers.append(len(out))  # read on as any word
        if not tok[0].isalnum() and tok[0] != "_":
            # Clause boundaries: "." or "?" ends a sentence, "," a clause (aspects, contrast).
            out.append("?" if "?" in tok else "." if tok[0] in ".!" else ",")
            continue
        expansion = get(tok)
        if not word.isascii():
            # Typed with accents: a tagged word, teencode only if typed so, and a single-word
            # key only in its own sense.
            tag = ACCENT_TAGS.get(word)
            if tag is not None:
                out.append(tag)
                continue
            if expansion is not None or tok in _SENSE_KEYS:
                spelling = _spelling(word)
                if expansion is not None and spelling not in _TEENCODE_SPELLINGS:
                    expansion = None
                if spelling not in _LEXICON_SPELLINGS.get(tok, (spelling,)):
                    not_lexicon.append(len(out))
                if spelling not in _MODIFIER_SPELLINGS.get(tok, (spelling,)):
                    not_modifier.append(len(out))
        elif typed and tok in PLAIN_WORDS:
            not_lexicon.append(len(out))  # plain in text typed with accents: "xin", please
        elif tok in PLAIN_CONTEXT:
            plain.append(len(out))
        if expansion is None:
            out.append(tok)
        else:
            out.extend(expansion)
    for at in plain:
        before, after = PLAIN_CONTEXT[out[at]]
        if (at > 0 and out[at - 1] in before) or (at + 1 < len(out) and out[at + 1] in after):
            not_lexicon.append(at)  # "mua cho me" (mẹ), "sai 2 thang" (xài)
    return Tokens(
        out,
        frozenset(not_lexicon) if not_lexicon else _NONE,
        frozenset(not_modifier) if not_modifier else _NONE,
        tuple(numbers),
    )
