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


# A word's entry: (weight x idf, idf squared, {next word -> (weight x idf, idf squared)}).
Entry = tuple[float, float, dict[str, tuple[float, float]]]


@dataclass(frozen=True, slots=True)
class Model:
    """The trained logistic regression: bias, the weight of each kept feature (already
    multiplied by its idf) and the idf of every vocabulary feature (for the vector's length)."""

    bias: float
    weights: dict[str, float]
    idf: dict[str, float]
    # word -> [weight x idf, idf squared, {next word -> [weight x idf, idf squared]}]: one
    # lookup per word and one per bigram at run time, and no bigram string is ever built.
    table: dict[str, Entry] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.table:
            return
        weights = self.weights
        for feature, value in self.idf.items():
            if " " not in feature:
                self.table[feature] = (weights.get(feature, 0.0), value * value, {})
        for feature, value in self.idf.items():
            if " " in feature:
                first, second = feature.split(" ")
                # A bigram in the vocabulary was seen in at least min_df training texts, so
                # both its words were too.
                self.table[first][2][second] = (weights.get(feature, 0.0), value * value)

    def contributions(self, tokens: list[str]) -> list[float]:
        """Per-token share of the decision value (without the bias), so clauses and aspects can
        be scored. A bigram's share is split between its two tokens; a repeated feature is
        counted at its first occurrence."""
        n = len(tokens)
        out = [0.0] * n
        get = self.table.get
        # Features found: unigram word -> (entry, first token); bigram (by the identity of its
        # entry) -> (entry, its first token). Counts only for features seen more than once.
        unigrams: dict[str, tuple[Entry, int]] = {}
        bigrams: dict[int, tuple[tuple[float, float], int]] = {}
        repeats: dict[str | int, int] = {}
        followers: dict[str, tuple[float, float]] | None = None  # of the previous word
        # The vector's squared length: each unigram's idf squared, in order of first
        # occurrence, then each bigram's, then the repeats' extra weight.
        norm2 = 0.0
        for i, tok in enumerate(tokens):
            entry = get(tok)
            if entry is None:
                followers = None
                continue
            if tok in unigrams:
                repeats[tok] = repeats.get(tok, 1) + 1
            else:
                unigrams[tok] = (entry, i)
                norm2 += entry[1]
            if followers:
                pair = followers.get(tok)
                if pair is not None:
                    key = id(pair)
                    if key in bigrams:
                        repeats[key] = repeats.get(key, 1) + 1
                    else:
                        bigrams[key] = (pair, i - 1)
            followers = entry[2]
        if not unigrams:
            return out
        for pair, _ in bigrams.values():
            norm2 += pair[1]
        tf: dict[str | int, float] = {}
        if repeats:
            log = math.log
            for feature, count in repeats.items():
                factor = 1.0 + log(count)
                tf[feature] = factor
                idf2 = (
                    unigrams[feature][0][1] if isinstance(feature, str) else bigrams[feature][0][1]
                )
                norm2 += idf2 * (factor * factor - 1.0)
        scale = 1.0 / math.sqrt(norm2)
        for tok, (found, first) in unigrams.items():
            if found[0]:
                out[first] += found[0] * scale * (tf.get(tok, 1.0) if tf else 1.0)
        half = scale / 2.0
        for key, (pair, first) in bigrams.items():
            if pair[0]:
                share = pair[0] * half * (tf.get(key, 1.0) if tf else 1.0)
                out[first] += share
                out[first + 1] += share
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
