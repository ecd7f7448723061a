"""What both scorers return, and how sure a label is.

Confidence is a number in [0, 1] that says how much of the evidence agrees and how strong it
is; it is not a probability. It is built from three things the scorer already knows:
- strength: |compound| against CONFIDENT_COMPOUND (a compound of 0.5 or more is strong);
  a neutral label is sure when the compound sits in the middle of VADER's neutral band;
- agreement: in Vietnamese, whether the hand-written lexicon and the statistical model point
  the same way (when both say something and disagree, the label rests on one against the
  other, and confidence is halved);
- doubt: possible sarcasm or a language guessed from too little text halves it again.
An aspect's confidence is its clause's strength, halved when no lexicon word (only the
statistical model, which learnt from whole reviews) speaks in that clause, and halved for
praise in a possibly sarcastic review.
Reports quote an aspect mention only at QUOTE_CONFIDENCE or above.
"""

from __future__ import annotations

from typing import NamedTuple

CONFIDENT_COMPOUND = 0.5  # |compound| from which a label is read as strong
NEUTRAL_BAND = 0.05  # VADER's: |compound| below this is neutral
DOUBT = 0.5  # the factor for each reason to doubt
QUOTE_CONFIDENCE = 0.5  # reports quote aspect mentions at least this confident
# Evidence smaller than this (valence points) does not count as the lexicon or the model
# "saying something" when their agreement is judged.
SAYS_SOMETHING = 0.5


class Scored(NamedTuple):
    """A scorer's reading of one text."""

    compound: float
    aspects: dict[str, float]
    aspect_confidence: dict[str, float]
    confidence: float
    sarcasm: bool


def strength(compound: float) -> float:
    """How strongly a compound states its label, in [0, 1]."""
    size = abs(compound)
    if size < NEUTRAL_BAND:
        return 1.0 - size / NEUTRAL_BAND  # the middle of the neutral band is surely neutral
    return min(1.0, size / CONFIDENT_COMPOUND)


def review_confidence(compound: float, *, disagree: bool = False, sarcasm: bool = False) -> float:
    """Confidence of a review's label (see the module docstring)."""
    value = strength(compound)
    if disagree:
        value *= DOUBT
    if sarcasm:
        value *= DOUBT
    return round(max(0.0, min(1.0, value)), 4)


def aspect_confidence(compound: float, *, lexical: bool, sarcasm: bool) -> float:
    """Confidence of an aspect's compound (a neutral aspect compound is never confident:
    it says the aspect was mentioned, not judged)."""
    if abs(compound) < NEUTRAL_BAND:
        return 0.0
    value = min(1.0, abs(compound) / CONFIDENT_COMPOUND)
    if not lexical:
        value *= DOUBT
    if sarcasm and compound > 0:
        value *= DOUBT
    return round(value, 4)
