"""How a Vietnamese text's score is made (Reading), and sarcasm after a complaint.

"Tuyệt vời, đặt hàng 2 tuần rồi vẫn chưa nhận được. Cảm ơn shop nhiều nhé": clauses of nothing
but praise or thanks (lexicon_vi.SARCASTIC_PRAISE and PRAISE_FILLERS), in a review whose other
clauses state a complaint (a lexicon valence <= SARCASM_COMPLAINT) and praise nothing, are
irony. Sincere thanks next to praise ("Cảm ơn shop, áo đẹp") and praise with a subject
("Tuyệt vời, vải mịn") are not.
"""

from __future__ import annotations

from typing import NamedTuple, TypeAlias

from rcommerce.sentiment.lexicon_vi import PRAISE_FILLERS, SARCASM_COMPLAINT, SARCASTIC_PRAISE

BOUNDARIES = frozenset({".", ",", "?"})
NEGATION_SCALAR = -0.74  # VADER's empirically derived value for a negated sentiment word

# A lexicon key found in a text: (first token, tokens covered, key, valence after modifiers).
Hit: TypeAlias = tuple[int, int, str, float]


class Reading(NamedTuple):
    """How a text's score is made, per canonical token."""

    scores: list[float]  # the lexicon's points: lexicon_part x weights, flipped
    lexicon_part: list[float]  # lexicon valence after negation and intensifiers
    model_part: list[float]  # share of the model's decision value
    weights: list[float]  # contrast, exception and question multipliers
    model_value: float  # the model's decision value, bias included
    hits: list[Hit]  # lexicon keys found
    flipped: set[int]  # tokens whose praise counts negated ("thà", sarcasm), model's too
    # The model's decision value (bias included) with the shares of negated words dropped,
    # not weighed by contrast, exceptions or questions.
    unweighed_value: float = 0.0


def praise_only(tokens: list[str], start: int, end: int, hits: list[Hit]) -> bool:
    """Whether tokens[start:end] hold sarcasm-prone praise ("tuyệt vời", "cảm ơn shop") and
    nothing else but particles, intensifiers and the people addressed."""
    covered: set[int] = set()
    for at, span, key, valence in hits:
        if start <= at < end and key not in PRAISE_FILLERS:  # "nhe": nhé, not nhẹ
            if key not in SARCASTIC_PRAISE or valence <= 0:
                return False
            covered.update(range(at, at + span))
    if not covered:
        return False
    return all(k in covered or tokens[k] in PRAISE_FILLERS for k in range(start, end))


def read_sarcasm(tokens: list[str], reading: Reading) -> bool:
    """Find ironic praise (module docstring); its positive scores then count negated, as a
    negated word does, and are listed in reading.flipped. Returns whether it was found."""
    hits, scores = reading.hits, reading.scores
    if not any(key in SARCASTIC_PRAISE and v > 0 for _, _, key, v in hits) or not any(
        v <= SARCASM_COMPLAINT for _, _, _, v in hits
    ):
        return False  # no praise to read as irony, or no complaint for it to be about
    clauses: list[tuple[int, int]] = []
    start = 0
    for k, tok in enumerate([*tokens, "."]):
        if tok in BOUNDARIES:
            if k > start:
                clauses.append((start, k))
            start = k + 1
    ironic = [c for c in clauses if praise_only(tokens, c[0], c[1], hits)]
    if not ironic or len(ironic) == len(clauses):
        return False
    inside = {k for a, b in ironic for k in range(a, b)}
    rest = [v for at, _, _, v in hits if at not in inside]
    if any(v > 0 for v in rest) or not any(v <= SARCASM_COMPLAINT for v in rest):
        return False
    for k in inside:
        if scores[k] > 0:
            scores[k] *= NEGATION_SCALAR
    reading.flipped.update(inside)
    return True
