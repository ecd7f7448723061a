"""Numeric ratings written in review text ("10/10", "4.5/5", "2 / 10"), in any language.

A rating N out of M (M = 5, 10 or 100) adds a valence on VADER's scale: (2 * N / M - 1) * 3, so
10/10 (or "11/10") is +3, 5/10 is 0 and
0/10 is -3. Dates ("1/4/2010") and other fractions ("24/7", "50/50")
are not ratings.
"""

from __future__ import annotations

import re

RATING_SCALE = 3.0
_RATING_RE = re.compile(r"(?<![\d/.,])(\d{1,3}(?:[.,]\d)?)\s*/\s*(5|10|100)(?![\d/]|[.,]\d)")


def ratings(text: str) -> list[tuple[int, float]]:
    """(character position, valence) of every rating in `text`."""
    if "/" not in text:
        return []
    found: list[tuple[int, float]] = []
    for match in _RATING_RE.finditer(text):
        value = float(match.group(1).replace(",", "."))
        scale = float(match.group(2))
        if value <= 2 * scale:  # "11/10" is praise, "300/10" is not a rating
            share = min(value, scale) / scale
            found.append((match.start(), round((2.0 * share - 1.0) * RATING_SCALE, 3)))
    return found
