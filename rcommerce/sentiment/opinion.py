"""Does a Vietnamese text state an opinion at all? A small logistic regression over cues that
do not name a topic, next to word n-grams learnt from hand-written text in many domains.

Forum and chat text (questions, specifications, news, plans, instructions, comparisons without
a verdict) often carries sentiment words without a verdict, and a bag-of-words model trained on
reviews learns the *topic* of its training text instead of the absence of opinion. So this model
sees topic-free evidence (how much and which way the lexicon and the polarity model point,
question marks and question particles, address words, numbers and spec tokens, plan and news
words, negations, intensifiers) plus word unigrams and bigrams learnt from hand-written text only,
where every product domain appears on both sides, so the words it learns are the ones that state
or withhold a verdict ("đáng tiền", "thất vọng" versus "bao nhiêu", "dự kiến"), not topics.
scripts/train_sentiment.py fits it on the hand-written sentences in sentences_vi.py, forum_vi.py
and reviews_vi.tsv and writes opinion_vi.json; this module computes the features for both
training and scoring.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

OPINION_FORMAT = "rcommerce-vi-opinion-logreg/2"
OPINION_PATH = Path(__file__).with_name("opinion_vi.json")

# Clause-final particles that turn a statement into a question ("... không?", "... chưa?",
# "... nhỉ", "... vậy", "... nào", "... ạ" (canonical "anh" after teencode)).
# ("hông" is read as "không"; "hong" is "hồng", "hóng"...)
QUESTION_FINALS = frozenset({"khong", "ko", "k", "chua", "nhi", "vay", "nao", "ha", "ta"})
# Question words anywhere ("bao nhiêu", "thế nào", "ở đâu", "khi nào", "gì", "sao", "mấy").
QUESTION_WORDS = frozenset(
    {"bao nhieu", "the nao", "o dau", "khi nao", "bao gio", "bao lau", "gi", "sao", "may", "ai"}
)
# Plans, news, hearsay and speculation ("định mua", "vừa ra mắt", "dự kiến", "nghe nói", "chắc").
REPORT_WORDS = frozenset(
    {
        "dinh",
        "tinh",
        "se",
        "du kien",
        "vua",
        "ra mat",
        "cong bo",
        "nghe noi",
        "tin don",
        "chac",
        "co le",
        "theo",
        "dang",
        "moi",
        "hong",
        "thong so",
        "phien ban",
        "ban",
    }
)
CLAUSE_ENDS = frozenset({".", ",", "?", ";"})

FEATURE_NAMES: tuple[str, ...] = (
    "abs_compound",
    "lexicon_positive",
    "lexicon_negative",
    "abs_model",
    "ends_with_question",
    "question_marks",
    "question_particles",
    "address_cues",
    "number_share",
    "report_words",
    "intensifiers",
    "negations",
)
# Not features, on purpose: length and the number of lexicon hits (the hand-written sentences are
# short, so length would learn how they were written, not whether they state an opinion), and
# exclamation marks or emoticons (too few in the hand-written sentences to learn a weight).


def _kinds() -> dict[str, int]:
    """Token -> which of the cue tables it belongs to or starts a two-word key of (bits)."""
    kinds: dict[str, int] = {}
    for table, bit in ((QUESTION_FINALS, _FINAL), (CLAUSE_ENDS, _END)):
        for tok in table:
            kinds[tok] = kinds.get(tok, 0) | bit
    for table, bit in ((QUESTION_WORDS, _QUESTION), (REPORT_WORDS, _REPORT)):
        for key in table:
            first = key.split()[0]
            kinds[first] = kinds.get(first, 0) | (_FIRSTS if " " in key else bit)
    return kinds


_FINAL, _END, _QUESTION, _REPORT, _FIRSTS = 1, 2, 4, 8, 16
_KINDS = _kinds()


def opinion_features(
    tokens: Sequence[str],
    lexicon_valences: Sequence[float],
    model_value: float,
    compound: float,
    address_cues: int,
    intensifiers: int,
    negations: int,
) -> list[float]:
    """Feature vector in FEATURE_NAMES order; none of them names a product or a topic."""
    said = [v for v in lexicon_valences if v]  # most tokens have no valence
    positive = sum(v for v in said if v > 0)
    negative = -sum(v for v in said if v < 0)
    n = len(tokens)
    # One pass: most tokens are none of these, and are passed over after one lookup.
    particles = reports = numbers = ends = 0
    kinds = _KINDS
    for i, tok in enumerate(tokens):
        kind = kinds.get(tok, 0)
        if not kind:
            if not tok.isalpha() and any(c.isdigit() for c in tok):
                numbers += 1  # a token of letters only (most) holds no digit
            continue
        if kind & _END:
            ends += 1
            continue
        pair = f"{tok} {tokens[i + 1]}" if kind & _FIRSTS and i + 1 < n else ""
        if kind & _FINAL and (i + 1 == n or tokens[i + 1] in CLAUSE_ENDS):
            particles += 1
        if kind & _QUESTION or pair in QUESTION_WORDS:
            particles += 1
        if kind & _REPORT or pair in REPORT_WORDS:
            reports += 1
        if not tok.isalpha() and any(c.isdigit() for c in tok):
            numbers += 1
    words = max(1, n - ends)
    return [
        abs(compound),
        math.log1p(positive),
        math.log1p(negative),
        abs(model_value),
        1.0 if n and tokens[-1] == "?" else 0.0,
        float(min(tokens.count("?"), 3)),
        float(min(particles, 3)),
        float(min(address_cues, 3)),
        numbers / words,
        float(min(reports, 3)),
        float(min(intensifiers, 3)),
        float(min(negations, 3)),
    ]


@dataclass(frozen=True, slots=True)
class OpinionModel:
    """Logistic regression: P(opinion) = sigmoid(bias + sum w * (x - mean) / scale + sum of the
    weights of the n-grams present (binary, as in training))."""

    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    ngrams: dict[str, float]

    def probability(self, features: Sequence[float], grams: Iterable[str] = ()) -> float:
        z = self.bias
        for x, m, s, w in zip(features, self.means, self.scales, self.weights, strict=True):
            z += w * (x - m) / s
        z += sum(map(self.ngrams.get, set(grams), repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load_opinion_model(path: Path = OPINION_PATH) -> OpinionModel:
    """Read opinion_vi.json; raises ValueError if its format or features are not this code's."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    if payload.get("format") != OPINION_FORMAT:
        raise ValueError(f"{path}: format {payload.get('format')!r}, expected {OPINION_FORMAT!r}")
    if tuple(payload.get("features", ())) != FEATURE_NAMES:
        raise ValueError(f"{path}: features differ from opinion.FEATURE_NAMES; retrain")
    return OpinionModel(
        bias=float(payload["bias"]),
        means=tuple(float(x) for x in payload["means"]),
        scales=tuple(float(x) for x in payload["scales"]),
        weights=tuple(float(x) for x in payload["weights"]),
        ngrams={str(k): float(v) for k, v in payload["ngrams"].items()},
    )
