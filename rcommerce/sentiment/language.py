"""Language detection for reviews: Vietnamese, English or other, robust to missing diacritics.

Vietnamese-only letters (ă, ơ, ư, đ, ạ, ẩ ...) decide at once; otherwise common words of each
language are counted on the accent-stripped text ("san pham rat tot" is Vietnamese).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rcommerce.sentiment.aspects import VI_ASPECT_KEYWORDS
from rcommerce.sentiment.lexicon_vi import INTENSIFIERS, LEXICON, NEGATIONS
from rcommerce.sentiment.normalize import strip_accents

_VI_LETTERS = re.compile(
    "[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĩũơ"
    "ĂĐƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸĨŨ]"
)
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[a-z]+")  # _WORD on lower-case ASCII text
# English contractions ("you're", "don't", "I'll") and the pronoun "I" written alone: Vietnamese
# has neither, so each is one word of English evidence.
_EN_MARKERS = re.compile(r"[a-z]['’](?:re|ll|ve|s|t|m|d)\b|(?<![\w'’])I(?![\w'’])")

_VI_COMMON = [
    "khong",
    "co",
    "la",
    "cua",
    "va",
    "duoc",
    "nhung",
    "rat",
    "qua",
    "lam",
    "hang",
    "giao",
    "mua",
    "nay",
    "minh",
    "thi",
    "cho",
    "nhu",
    "nhieu",
    "nen",
    "roi",
    "con",
    "cung",
    "hon",
    "sau",
    "truoc",
    "mot",
    "hai",
    "ba",
    "nguoi",
    "gia",
    "chat",
    "luong",
    "san",
    "pham",
    "ao",
    "vai",
    "dung",
    "khi",
    "lai",
    "ve",
    "chua",
    "khach",
    "ban",
    "di",
    "den",
    "ngay",
    "dc",
    "ko",
    "kg",
    "sp",
    "shop",
    "nha",
    "voi",
    "cai",
    "nao",
    "nhe",
    "nha",
    "ah",
    "a",
    "oi",
    "em",
    "anh",
    "chi",
    "tui",
    "toi",
    "ma",
    "vay",
    "luon",
    "nua",
    "moi",
    "dep",
    "tot",
    "xau",
    "cham",
    "nhanh",
    "ngon",
    "re",
    "dat",
    "hay",
    "biet",
    "thay",
    "lan",
    "dau",
    "tien",
    "sai",
    "nhan",
    "dong",
    "goi",
    "mau",
    "size",
    "giao",
    "hang",
    "ship",
    "shipper",
    "cam",
    "on",
    "ung",
    "ho",
    "tuyet",
    "voi",
    "hai",
    "long",
    "thich",
    "chuan",
    "nhu",
    "hinh",
    "mo",
    "ta",
    "vua",
    "dan",
    "kieu",
    "bi",
    "hu",
    "loi",
    "hong",
    "ok",
    "tam",
    "duoc",
    "binh",
    "thuong",
    "that",
    "vong",
    "kem",
    "uong",
    "tien",
    "phi",
    "luc",
    "gio",
    "dung",
    "may",
    "pin",
    "man",
    "hinh",
    "sac",
]
_EN_COMMON = [
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "i",
    "me",
    "my",
    "we",
    "our",
    "you",
    "your",
    "he",
    "she",
    "they",
    "them",
    "their",
    "to",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "as",
    "not",
    "no",
    "so",
    "very",
    "too",
    "just",
    "than",
    "then",
    "there",
    "here",
    "have",
    "has",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "should",
    "what",
    "which",
    "who",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "some",
    "more",
    "most",
    "other",
    "only",
    "own",
    "same",
    "also",
    "again",
    "ever",
    "never",
    "always",
    "great",
    "good",
    "bad",
    "love",
    "loved",
    "like",
    "product",
    "item",
    "quality",
    "price",
    "service",
    "delivery",
    "arrived",
    "order",
    "ordered",
    "buy",
    "bought",
    "recommend",
    "well",
    "really",
    "much",
    "one",
    "two",
    "after",
    "before",
    "time",
    "works",
    "work",
    "working",
    "money",
    "waste",
    "returned",
    "stars",
    "place",
    "food",
    "need",
    "want",
    "know",
    "think",
    "if",
    "about",
    "because",
    "people",
    "today",
    "now",
    "out",
    "please",
    "thanks",
    "yes",
    "yeah",
    "lol",
]


def _vi_words() -> frozenset[str]:
    words = set(_VI_COMMON)
    for table in (LEXICON, INTENSIFIERS):
        for key in table:
            words.update(key.split())
    for group in VI_ASPECT_KEYWORDS.values():
        for key in group:
            words.update(key.split())
    words.update(w for key in NEGATIONS for w in key.split())
    return frozenset(w for w in words if w.isalpha() and w.isascii())


_OTHER_COMMON = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "une",
        "est",
        "et",
        "du",
        "au",
        "aux",
        "pour",
        "pas",
        "avec",
        "sur",
        "dans",
        "qui",
        "que",
        "tres",
        "bien",
        "merci",
        "produit",
        "je",
        "il",
        "elle",
        "el",
        "los",
        "las",
        "una",
        "por",
        "para",
        "con",
        "muy",
        "gracias",
        "pero",
        "es",
        "del",
        "al",
        "lo",
        "como",
        "mas",
        "producto",
        "bueno",
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "ein",
        "eine",
        "mit",
        "sehr",
        "gut",
        "aber",
        "auch",
        "fur",
        "ich",
        "o",
        "os",
        "um",
        "uma",
        "com",
        "nao",
        "muito",
        "obrigado",
        "bom",
        "mas",
        "yang",
        "dan",
        "ini",
        "itu",
        "tidak",
        "ada",
        "dengan",
        "untuk",
        "saya",
        "sangat",
        "bagus",
        "barang",
        "terima",
        "kasih",
        "il",
        "della",
        "di",
        "che",
        "non",
        "per",
        "una",
        "sono",
        "molto",
        "grazie",
    ]
)
_EN_ALL = frozenset(_EN_COMMON)
VI_WORDS = _vi_words() - _EN_ALL - _OTHER_COMMON
EN_WORDS = _EN_ALL
OTHER_WORDS = _OTHER_COMMON - VI_WORDS - _EN_ALL
# Shape of an unaccented Vietnamese syllable: onset, vowel nucleus, optional coda.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)


@lru_cache(maxsize=4)
def _vietnamese_only(extra_english: frozenset[str]) -> frozenset[str]:
    """Words of two letters or more that count for Vietnamese and not for English (VADER's
    words included): most words of a Vietnamese text, counted after one lookup."""
    return frozenset(
        w
        for w in VI_WORDS
        if len(w) >= 2 and w not in EN_WORDS and not (len(w) > 2 and w in extra_english)
    )


def detect_language(
    text: str, extra_english: frozenset[str] | set[str] = frozenset(), hint: str | None = None
) -> str | None:
    """'vi', 'en' or 'other'; None when there are too few words to tell (emoji, "ok", "10/10").

    `extra_english` adds known English words (the VADER lexicon) as evidence; with a `hint`
    (the store's language), one- or two-word text without Vietnamese-only letters is left to it.
    """
    # Plain ASCII text (common: Vietnamese typed without accents) has no Vietnamese-only
    # letter and nothing to strip, its letters are a-z, and it has no word of another script.
    plain = text.isascii()
    if not plain and _VI_LETTERS.search(text):
        return "vi"
    lowered = text.lower()
    words = _ASCII_WORD.findall(lowered) if plain else _WORD.findall(strip_accents(lowered))
    if not words or (hint is not None and len(words) <= 2):
        return None
    if (
        not plain
        and not "".join(words).isascii()  # emoji and accents alone leave the words ASCII
        and sum(1 for w in words if not w.isascii()) * 2 > len(words)
    ):
        return "other"  # mostly another script (Chinese, Thai, Cyrillic ...)
    vi = other = shape_en = 0
    en = len(_EN_MARKERS.findall(text)) if "'" in text or "’" in text or "I" in text else 0
    vietnamese_only = (
        _vietnamese_only(extra_english) if isinstance(extra_english, frozenset) else frozenset()
    )
    for word in words:
        if word in vietnamese_only:
            vi += 1
            continue
        if len(word) < 2:
            continue  # single letters ("o_O", "k") say nothing about the language
        in_vi = word in VI_WORDS
        in_en = word in EN_WORDS or (len(word) > 2 and word in extra_english)
        if in_vi and not in_en:
            vi += 1
        elif in_en and not in_vi:
            en += 1
        elif word in OTHER_WORDS:
            other += 1
        elif not in_vi and not in_en and word.isascii() and not _SYLLABLE.fullmatch(word):
            # Not a possible Vietnamese syllable ("brown", "finally"): weak English evidence.
            shape_en += 1
    if other >= 2 and other > max(vi, en):
        return "other"  # a Latin-script language we do not score (French, Indonesian ...)
    en += shape_en // 2
    if vi != en:
        return "vi" if vi > en else "en"
    if len(words) >= 2:
        syllables = sum(1 for w in words if _SYLLABLE.fullmatch(w))
        if syllables * 5 >= len(words) * 4:
            return "vi"
    return None
