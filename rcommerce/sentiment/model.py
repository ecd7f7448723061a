"""The Vietnamese statistical model: a logistic regression over TF-IDF word n-grams, read in
pure Python.

scripts/train_sentiment.py writes vi_model.json.gz with scikit-learn; this module defines the
feature function (shared with the training script, so both see the same features), the TF-IDF
weighting the training script uses, and loads the weights. Nothing here imports scikit-learn.

Features are the word unigrams and bigrams of the canonical tokens (normalize.read_tokens).
Each feature present in a text weighs (1 + ln count) * idf, and the vector is scaled to unit
length over every feature of the vocabulary (scikit-learn's TfidfVectorizer with
sublinear_tf=True, smooth idf, l2 norm); the decision value is the dot product with the
weights plus the bias.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODEL_FORMAT = "rcommerce-vi-logreg-tfidf/2"
MODEL_PATH = Path(__file__).with_name("vi_model.json.gz")


def features(tokens: list[str]) -> list[str]:
    """Word unigrams and bigrams of canonical tokens (see normalize.canonical_tokens)."""
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def positions(tokens: list[str]) -> dict[str, tuple[int, int]]:
    """Each distinct feature of `tokens` -> (how many times it occurs, index of the first token
    of its first occurrence)."""
    found: dict[str, tuple[int, int]] = {}
    get = found.get
    for i, tok in enumerate(tokens):
        seen = get(tok)
        found[tok] = (1, i) if seen is None else (seen[0] + 1, seen[1])
    for i in range(len(tokens) - 1):
        gram = f"{tokens[i]} {tokens[i + 1]}"
        seen = get(gram)
        found[gram] = (1, i) if seen is None else (seen[0] + 1, seen[1])
    return found


@dataclass(frozen=True, slots=True)
class Model:
    """The trained logistic regression: bias, the weight of each kept feature (already
    multiplied by its idf) and the idf of every vocabulary feature (for the vector's length)."""

    bias: float
    weights: dict[str, float]
    idf: dict[str, float]
    # feature -> (weight x idf, idf squared): one lookup per feature at run time.
    table: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.table:
            weights = self.weights
            self.table.update(
                (f, (weights.get(f, 0.0), value * value)) for f, value in self.idf.items()
            )

    def contributions(self, tokens: list[str]) -> list[float]:
        """Per-token share of the decision value (without the bias), so clauses and aspects can
        be scored. A bigram's share is split between its two tokens; a repeated feature is
        counted at its first occurrence."""
        n = len(tokens)
        out = [0.0] * n
        table = self.table
        # feature -> [weight x idf, idf squared, first token, count, is a bigram]
        found: dict[str, list[Any]] = {}
        # A bigram in the vocabulary was seen in at least min_df training texts, so both its
        # words were too: a bigram next to an unknown word is never looked up.
        before = ""  # the previous token when it is known, else ""
        for i, tok in enumerate(tokens):
            if tok not in table:
                before = ""
                continue
            if tok in found:
                found[tok][3] += 1
            else:
                entry = table[tok]
                found[tok] = [entry[0], entry[1], i, 1, False]
            if before:
                gram = f"{before} {tok}"
                if gram in found:
                    found[gram][3] += 1
                elif gram in table:
                    entry = table[gram]
                    found[gram] = [entry[0], entry[1], i - 1, 1, True]
            before = tok
        if not found:
            return out
        norm2 = 0.0
        log = math.log
        for hit in found.values():
            if hit[3] > 1:
                tf = 1.0 + log(hit[3])
                hit[0] *= tf
                norm2 += hit[1] * tf * tf
            else:
                norm2 += hit[1]
        scale = 1.0 / math.sqrt(norm2)
        for weight, _, first, _, bigram in found.values():
            if weight:
                if bigram:
                    half = weight * scale / 2.0
                    out[first] += half
                    out[first + 1] += half
                else:
                    out[first] += weight * scale
        return out

    def decision(self, tokens: list[str]) -> float:
        """The model's decision value (log-odds of positive) for canonical tokens."""
        return sum(self.contributions(tokens)) + self.bias


def load_model(path: Path = MODEL_PATH) -> Model:
    """Read the model file; raises ValueError if its format is not the one this code expects."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    if payload.get("format") != MODEL_FORMAT:
        raise ValueError(f"{path}: format {payload.get('format')!r}, expected {MODEL_FORMAT!r}")
    idf = {str(k): float(v) for k, v in payload["idf"].items()}
    # Stored as the logistic regression's coefficients; multiplied by idf once here.
    weights = {str(k): float(v) * idf[str(k)] for k, v in payload["weights"].items()}
    return Model(bias=float(payload["bias"]), weights=weights, idf=idf)
