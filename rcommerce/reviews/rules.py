"""The moderation rules a submission goes through: what they look at and what they decide.
Pure functions of text and counts; moderation.py gathers those and applies the outcome.

Rules look at behaviour (honeypot, velocity, duplicates, links, personal data) and at words
(profanity and abuse lists in Vietnamese and English, with and without diacritics). No rule
looks at the star rating or the sentiment alone: a 1-star review with no abuse is published
exactly like a 5-star one. The only rule that reads both compares them (5 stars with a strongly
negative text, or the reverse) and only flags the published review for a manager to look at.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

# Reason codes a review or testimonial may be rejected or unpublished with. Anything else (and
# notably "negative") is refused: hiding honest negative reviews is deceptive (FTC 16 CFR 465).
REJECT_REASONS: dict[str, str] = {
    "spam": "advertising, link spam or bot submission",
    "abuse": "profanity, insults, threats or hate against a person or group",
    "off_topic": "not about the product, the store or the buying experience",
    "personal_data": "contains someone's phone number, address or other personal data",
    "fake": "not written by a real customer, or paid for / incentivised without disclosure",
    "duplicate": "the same text submitted again",
    "conflict_of_interest": "written by the store's staff, owner or a competitor",
    "illegal": "unlawful content",
    "author_request": "the author asked for it to be removed",
}

# Why a submission waits for a human instead of being published at once.
PENDING_FLAGS = (
    "profanity",
    "link",
    "near_duplicate",
    "velocity",
    "personal_data",
)
# Why a published review is flagged for a manager to look at (it is never held for it).
REVIEW_FLAGS = ("rating_mismatch",)

MIN_DUPLICATE_CHARS = 30  # "Tốt", "ok", "Hàng đẹp" are not spam when many people write them
NEAR_DUPLICATE_SIMILARITY = 0.8
MISMATCH_COMPOUND = 0.5

# The lists are matched as whole words and phrases on two views of the text:
# - words written WITHOUT tone marks ("dm", "vcl", "deo biet") against the *_PLAIN lists, with
#   đ read as d, because that is how people type them on a phone;
# - words written WITH tone marks against the *_ACCENTED lists, because the marks settle the
#   meaning: "đéo" is profane, "đeo" (wear) is not; "lồn" is, "lớn" (big) and "lon" (can) are not.
# An accented word never matches a plain entry, so "vải" (fabric), "các" (the), "buổi"
# (session) and "cực kỳ" (extremely) are safe however the letters collide.
# "lừa đảo" (a scam), "tệ" (bad), "thất vọng" (disappointed), "crap", "sucks" are honest
# complaints, not abuse, and appear in no list.
SEVERE_PLAIN = {
    "dm", "dmm", "dcm", "dkm", "dcmm", "dmcs", "dit", "djt", "dit me", "dit con me",
    "du ma", "du me", "dau buoi", "cc", "cl", "clgt", "vcl", "vkl", "vcc", "vai lon",
    "vai cut", "fuck", "fucking", "fuckin", "fucked", "fucker", "motherfucker", "cunt",
    "retard", "retarded", "whore", "slut", "faggot", "nigger",
}  # fmt: skip
SEVERE_ACCENTED = {
    "đéo", "lồn", "cặc", "buồi", "địt", "đụ", "đĩ", "đụ má", "đù má", "vãi lồn", "vãi cứt",
    "đầu buồi", "địt mẹ",
}  # fmt: skip
# Insults and words that are usually, not always, abuse ("ngon vl" is praise; "thằng chó"
# is an insult, "đồ chó" may be dog gear): a human looks, nothing is rejected for them.
MILD_PLAIN = {
    "vl", "deo biet", "deo hieu", "deo mua", "deo bao gio", "deo thay", "deo ra gi",
    "deo tra loi", "deo chiu", "deo on", "thang cho", "do cho", "oc cho", "oc lon",
    "ngu nhu bo", "ngu nhu cho", "khon nan", "mat day", "suc vat", "shit", "bullshit",
    "bitch", "asshole", "bastard", "dickhead", "idiot", "idiots", "moron",
}  # fmt: skip
MILD_ACCENTED = {
    "vãi", "cứt", "thằng chó", "đồ chó", "óc chó", "óc lợn", "ngu như bò", "ngu như chó",
    "khốn nạn", "mất dạy", "súc vật", "ngu học",
}  # fmt: skip
# Euphemisms that are abuse however they are accented ("như lol", "nhu lol": "like a c*nt");
# matched on the text with every mark removed. "lol" alone is English laughter and stays out.
SEVERE_FOLDED = {"nhu lol", "vai lol"}
# "Đồ ngu", "thằng ngu" (you idiot): "ngu" has no mark, so these are matched as spelt, or
# typed without any mark; never folded ("đậu đỏ ngũ cốc", "sau đó ngủ" fold to "do ngu").
MILD_SPELT = {"đồ ngu", "thằng ngu", "do ngu", "thang ngu"}
_LONGEST_PHRASE = 4
_SEVERE_PLAIN, _SEVERE_ACCENTED = frozenset(SEVERE_PLAIN), frozenset(SEVERE_ACCENTED)
_MILD_PLAIN, _MILD_ACCENTED = frozenset(MILD_PLAIN), frozenset(MILD_ACCENTED)
_SEVERE_FOLDED, _MILD_SPELT = frozenset(SEVERE_FOLDED), frozenset(MILD_SPELT)

_URL = re.compile(
    r"(https?://|www\.)\S+|\b[\w-]+\.(com|net|vn|org|info|xyz|top|shop|link|ly|me|io|co)\b(/\S*)?",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def strip_diacritics(text: str) -> str:
    """'Đẹp quá' -> 'Dep qua' (Vietnamese đ included, which NFD does not decompose): each
    character's canonical decomposition without its combining marks (one table lookup per
    character; characters beyond the Basic Multilingual Plane are decomposed one by one)."""
    folded = text.translate(_fold_table())
    if folded.isascii() or not any(ord(c) > 0xFFFF for c in folded):
        return folded
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@functools.lru_cache(maxsize=16384)
def _fold_word(word: str) -> str:
    """``strip_diacritics`` of one word, remembered: the abuse lists look at every word of
    every text in two or three views, and shoppers use a few thousand words."""
    return strip_diacritics(word)


@functools.cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
        if kept != char and code not in table:
            table[code] = kept
    return table


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


@functools.lru_cache(maxsize=4096)
def folded_words(text: str) -> tuple[str, ...]:
    """The words of ``text``, lower case, without diacritics. Cached: moderation compares each
    new review with the store's recent ones, so the same texts come back review after review."""
    return tuple(_fold_word(word) for word in words(text))


def fingerprint(text: str) -> str:
    """Equal for texts that differ only in case, diacritics, spacing, punctuation or emoji."""
    normal = " ".join(folded_words(text))
    return hashlib.sha256(normal.encode()).hexdigest()[:32] if normal else ""


def normalised_length(text: str) -> int:
    return len(" ".join(folded_words(text)))


@functools.lru_cache(maxsize=4096)
def shingles(text: str, size: int = 3) -> frozenset[str]:
    tokens = folded_words(text)
    if len(tokens) < size:
        return frozenset({" ".join(tokens)} if tokens else ())
    return frozenset(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """``similarity(a, b) >= NEAR_DUPLICATE_SIMILARITY``, without building the union, and
    without the intersection when the sizes alone rule it out (the similarity is at most
    the smaller size over the larger)."""
    if not a or not b:
        return False
    small, large = sorted((len(a), len(b)))
    if small / large < NEAR_DUPLICATE_SIMILARITY:
        return False
    return similar_by_counts(small, large, len(a & b))


def similar_by_counts(size_a: int, size_b: int, common: int) -> bool:
    """``similar`` of two non-empty shingle sets of these sizes with ``common`` shingles in
    common (for callers that count the common shingles through an index)."""
    return common / (size_a + size_b - common) >= NEAR_DUPLICATE_SIMILARITY


def count_links(text: str) -> int:
    return len(_URL.findall(text))


def has_personal_data(text: str) -> bool:
    return bool(_PHONE.search(text) or _EMAIL.search(text))


MASK = "•••"


def mask_personal_data(text: str) -> str:
    """``text`` with each phone number and e-mail address replaced by MASK."""
    return _PHONE.sub(MASK, _EMAIL.sub(MASK, text))


@functools.lru_cache(maxsize=16384)
def _has_tone(word: str) -> bool:
    plain_d = word.replace("đ", "d")
    return _fold_word(plain_d) != plain_d


@functools.cache
def _first_words(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(phrase.split(" ", 1)[0] for phrase in phrases)


def _says(tokens: list[str], phrases: frozenset[str]) -> bool:
    """Whether one of ``phrases`` (of at most _LONGEST_PHRASE words) is a run of consecutive
    ``tokens``, looking only at the runs that start with an entry's first word."""
    firsts = _first_words(phrases)
    for i, token in enumerate(tokens):
        if token in firsts:
            for size in range(1, min(_LONGEST_PHRASE, len(tokens) - i) + 1):
                if " ".join(tokens[i : i + size]) in phrases:
                    return True
    return False


# Digits typed for letters inside a word ("d1t", "l0n", "5hit"): read as the letters.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_REPEATS = re.compile(r"([^\W\d_])\1+")
# What may stand between the letters of a word split to dodge a list: "d.m", "đ-m", "v.c.l".
# Not "/" ("c/c" is "chung cư", an apartment block) nor anything else.
_SPLITTERS = re.compile(r"\s*[.\-_*'~+·]+\s*")


@functools.lru_cache(maxsize=16384)
def _spelt(token: str) -> str:
    """A word with digits typed for letters read as the letters and repeated letters once."""
    if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
        token = token.translate(_LEET)
    return _REPEATS.sub(r"\1", token)


@functools.lru_cache(maxsize=1024)
def _splits(gap: str) -> bool:
    """Whether ``gap`` between two letters is one of _SPLITTERS."""
    return bool(_SPLITTERS.fullmatch(gap))


def _normalised(text: str, *, spaced: bool) -> list[str]:
    """The words as typed to dodge a list: digits inside a word read as letters ("d1t"),
    repeated letters once ("dmmmm", "fuuuck"), and single letters split by dots or dashes
    joined into one word ("d.m", "đ-m", "v.c.l"); with ``spaced``, split by spaces too
    ("c c"), which only the severe lists are matched on: "v l" is too often "vậy là"."""
    out: list[str] = []
    run = False  # whether out[-1] is single letters joined so far
    last = 0
    for match in _WORD.finditer(unicodedata.normalize("NFC", text).lower()):
        gap = match.string[last : match.start()]
        last = match.end()
        token = _spelt(match.group())
        single = len(token) == 1 and token.isalpha()
        joins = _splits(gap) or (spaced and gap.isspace())
        if single and run and joins:
            out[-1] += token
        else:
            out.append(token)
            run = single
    return out


def _severity(tokens: list[str]) -> str | None:
    # A gap marker keeps phrases from matching across a word of the other view.
    plain = ["·" if _has_tone(w) else _fold_word(w) for w in tokens]
    accented = [w if _has_tone(w) or "đ" in w else "·" for w in tokens]
    if _says(plain, _SEVERE_PLAIN) or _says(accented, _SEVERE_ACCENTED):
        return "severe"
    if _says([_fold_word(w) for w in tokens], _SEVERE_FOLDED):
        return "severe"
    if _says(plain, _MILD_PLAIN) or _says(accented, _MILD_ACCENTED) or _says(tokens, _MILD_SPELT):
        return "mild"
    return None


def profanity(text: str) -> str | None:
    """'severe', 'mild' or None (see the lists above for how words are matched), on the words
    as written and on their normalised spelling (``_normalised``), the worse of the two."""
    found = {_severity(words(text)), _severity(_normalised(text, spaced=False))}
    if "severe" in found or _severity(_normalised(text, spaced=True)) == "severe":
        return "severe"
    return "mild" if "mild" in found else None


@dataclass
class Signals:
    """What the rules learned about one submission; decide() turns it into an outcome."""

    honeypot: bool = False
    links: int = 0
    duplicate: bool = False
    near_duplicate: bool = False
    profanity: str | None = None
    personal_data: bool = False
    velocity: bool = False
    rating_mismatch: bool = False
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    status: str  # published | pending | rejected
    reason_code: str | None
    flags: list[str]


def screen(text: str, *, name: str = "", honeypot: bool = False) -> Signals:
    """What the rules see in one shopper-written text and its author's name (links, abuse,
    personal data, the honeypot): the checks every kind of shopper text shares (reviews,
    testimonials, product questions and answers). The caller adds what only it can know
    (duplicates, velocity) and lets ``decide`` turn the signals into an outcome."""
    return Signals(
        honeypot=honeypot,
        links=count_links(text),
        profanity=profanity(f"{name}\n{text}"),
        personal_data=has_personal_data(text),
    )


def mismatch(rating: int | None, compound: float | None) -> bool:
    """Stars and text disagree strongly: 5 stars with a clearly negative text, or 1 star with
    a clearly positive one (often a mis-click). Only ever a flag on a published review; 4 and
    2 stars are left alone ("minus one star because..." reads negative and is honest)."""
    if rating is None or compound is None:
        return False
    return (rating == 5 and compound <= -MISMATCH_COMPOUND) or (
        rating == 1 and compound >= MISMATCH_COMPOUND + 0.1
    )


def decide(signals: Signals) -> Outcome:
    flags: list[str] = []
    if signals.honeypot:
        return Outcome("rejected", "spam", ["honeypot"])
    if signals.links >= 2:
        return Outcome("rejected", "spam", ["links"])
    if signals.duplicate:
        return Outcome("rejected", "duplicate", ["duplicate"])
    if signals.profanity == "severe":
        return Outcome("rejected", "abuse", ["profanity"])
    if signals.profanity == "mild":
        flags.append("profanity")
    if signals.links == 1:
        flags.append("link")
    if signals.near_duplicate:
        flags.append("near_duplicate")
    if signals.velocity:
        flags.append("velocity")
    if signals.personal_data:
        flags.append("personal_data")
    if flags:
        if signals.rating_mismatch:
            flags.append("rating_mismatch")
        return Outcome("pending", None, flags)
    # Stars and text disagreeing never delay a review (the scorer misreads sarcasm): it is
    # published, flagged for the manager to look at.
    return Outcome("published", None, ["rating_mismatch"] if signals.rating_mismatch else [])
