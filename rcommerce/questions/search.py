"""Searching a product's questions, answers and reviews as shoppers type: words compared with
their diacritics and case ignored ("giat may" finds "giặt máy"), in either language, with the
little words of both languages left out; the texts that share most of the query's words first."""

from __future__ import annotations

from rcommerce.reviews import rules

# Words too common to say what a question is about, in Vietnamese written without marks and in
# English ("có", "không", "được" are in nearly every Vietnamese question). Words that fold
# into another meaning are kept out: "máy" (machine) is "may", "da" (leather) "đã", "đỏ" (red)
# "do".
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "ban", "be", "can", "cho", "co", "cua", "does", "duoc", "for",
        "has", "have", "how", "i", "in", "is", "it", "khong", "minh", "nay", "nha", "nhe",
        "of", "on", "or", "shop", "the", "thi", "this", "to", "toi", "va", "voi", "what",
        "will", "with", "you",
    }
)  # fmt: skip
# A text matches when it holds at least this share of the query's words.
MIN_SHARE = 0.5


def terms(text: str) -> set[str]:
    """The words that carry a query's meaning, folded (no diacritics, lower case)."""
    return {word for word in rules.folded_words(text) if word not in STOP_WORDS}


def share(query_terms: set[str], *texts: str) -> float:
    """The share of the query's words found in ``texts`` (0 when the query has none)."""
    if not query_terms:
        return 0.0
    found: set[str] = set()
    for text in texts:
        found |= set(rules.folded_words(text))
    return len(query_terms & found) / len(query_terms)


def matches(query_terms: set[str], *texts: str) -> float | None:
    """The share of the query's words in ``texts`` when it is enough to show them, else None."""
    value = share(query_terms, *texts)
    return value if value >= MIN_SHARE else None
