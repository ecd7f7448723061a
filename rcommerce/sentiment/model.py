"""The Vietnamese statistical model: a logistic regression over word n-grams, read in pure Python.

scripts/train_sentiment.py writes vi_model.json.gz; this module defines its feature function
(shared with the training script, so both see the same features) and loads it.
"""

from __future__ import annotations

import gzip
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

MODEL_FORMAT = "rcommerce-vi-logreg-ngram/1"
MODEL_PATH = Path(__file__).with_name("vi_model.json.gz")


def features(tokens: list[str]) -> list[str]:
    """Word unigrams and bigrams of canonical tokens (see normalize.canonical_tokens)."""
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


@dataclass(frozen=True, slots=True)
class Model:
    """Weights of the trained logistic regression, keyed by feature string."""

    bias: float
    weights: dict[str, float]

    def contributions(self, tokens: list[str]) -> list[float]:
        """Per-token share of the decision value, so clauses and aspects can be scored.

        A bigram's weight is split between its two tokens; presence is binary, as in training,
        so a repeated n-gram counts once.
        """
        get = self.weights.get
        n = len(tokens)
        out = [0.0] * n
        seen: set[str] = set()
        for i, tok in enumerate(tokens):
            if tok not in seen:
                seen.add(tok)
                out[i] += get(tok, 0.0)
        for i in range(n - 1):
            gram = f"{tokens[i]} {tokens[i + 1]}"
            if gram not in seen:
                seen.add(gram)
                w = get(gram, 0.0)
                if w:
                    half = w / 2.0
                    out[i] += half
                    out[i + 1] += half
        return out


def load_model(path: Path = MODEL_PATH) -> Model:
    """Read the model file; raises ValueError if its format is not the one this code expects."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    if payload.get("format") != MODEL_FORMAT:
        raise ValueError(f"{path}: format {payload.get('format')!r}, expected {MODEL_FORMAT!r}")
    weights = {str(k): float(v) for k, v in payload["weights"].items()}
    return Model(bias=float(payload["bias"]), weights=weights)
