"""Train the Vietnamese models shipped in rcommerce/sentiment: the polarity model
(vi_model.json.gz) and the 'has an opinion?' model (opinion_vi.json).

Reproducible: the same inputs give byte-identical model files. The polarity model trains ONLY on
vi/foody_train.tsv (Apache-2.0) plus hand-written text (the sentences in lexicon_vi.py and the
verdicts in reviews_vi.tsv); the opinion model ONLY on hand-written text (sentences_vi.py,
forum_vi.py, reviews_vi.tsv).
Needs the optional `train` extra (scikit-learn, numpy); the runtime never imports them.

    .venv/bin/python scripts/train_sentiment.py [--datasets ../shared/datasets] [--check]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rcommerce.sentiment.forum_vi import NO_OPINION_SENTENCES, OPINION_SENTENCES  # noqa: E402
from rcommerce.sentiment.lexicon_vi import HANDWRITTEN_SENTENCES  # noqa: E402
from rcommerce.sentiment.model import MODEL_FORMAT, MODEL_PATH, features, load_model  # noqa: E402
from rcommerce.sentiment.normalize import canonical_tokens  # noqa: E402
from rcommerce.sentiment.opinion import FEATURE_NAMES, OPINION_FORMAT, OPINION_PATH  # noqa: E402
from rcommerce.sentiment.reviews_vi import read_reviews  # noqa: E402
from rcommerce.sentiment.sentences_vi import (  # noqa: E402
    MIXED_SENTENCES,
    NEUTRAL_SENTENCES,
    OPINIONATED_SENTENCES,
)
from rcommerce.sentiment.vietnamese import VietnameseScorer  # noqa: E402

SEED = 20261101
MIN_DF = 3
C = 0.5
PRUNE = 0.02  # weights smaller than this change no decision worth keeping the bytes for
HANDWRITTEN_REPEAT = 5  # the hand-written product sentences are few: count each a few times
# Each hand-written verdict of reviews_vi.tsv counts this many times next to Foody's 30,000
# restaurant reviews (see docs/sentiment.md for how it was chosen: on the hand-written rows only).
REVIEWS_REPEAT = 3
OPINION_MIN_DF = 2
OPINION_PRUNE = 0.005


def read_foody(path: Path) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        label_col = header.index("label")
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            rows.append((cols[-1], 1 if cols[label_col] == "positive" else 0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = REPO.parent / "shared" / "datasets"
    parser.add_argument("--datasets", type=Path, default=default)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--opinion-out", type=Path, default=OPINION_PATH)
    parser.add_argument(
        "--check", action="store_true", help="report held-out F1 on a 10%% foody split first"
    )
    args = parser.parse_args()
    foody = args.datasets / "vi" / "foody_train.tsv"
    if not foody.exists():
        sys.exit(f"missing {foody}: pass --datasets pointing at the shared datasets folder")

    rows = read_foody(foody)
    hand = [(text, label) for text, label in HANDWRITTEN_SENTENCES] * HANDWRITTEN_REPEAT
    verdicts = [
        (text, int(label == "positive")) for text, label in read_reviews() if label != "none"
    ]
    hand += verdicts * REVIEWS_REPEAT
    docs = [features(canonical_tokens(text)) for text, _ in rows + hand]
    labels = np.array([label for _, label in rows + hand], dtype=np.int64)

    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
    index = {f: i for i, f in enumerate(vocab)}

    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    indptr = [0]
    indices: list[int] = []
    for doc in docs:
        cols = sorted({index[f] for f in doc if f in index})
        indices.extend(cols)
        indptr.append(len(indices))
    # Binary presence features: review length should not decide the polarity.
    matrix = csr_matrix(
        (np.ones(len(indices)), np.array(indices), np.array(indptr)), shape=(len(docs), len(vocab))
    )

    if args.check:
        order = list(range(len(rows)))
        random.Random(SEED).shuffle(order)
        held = set(order[: len(rows) // 10])
        train_idx = [i for i in range(len(docs)) if i not in held]
        test_idx = sorted(held)
        clf = LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=SEED)
        clf.fit(matrix[train_idx], labels[train_idx])
        pred = clf.predict(matrix[test_idx])
        print(f"held-out foody macro F1: {f1_score(labels[test_idx], pred, average='macro'):.4f}")

    clf = LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=SEED)
    clf.fit(matrix, labels)
    weights = {
        f: round(float(w), 3)
        for f, w in zip(vocab, clf.coef_[0], strict=True)
        if abs(float(w)) >= PRUNE
    }
    payload = {
        "format": MODEL_FORMAT,
        "trained_on": [
            "vi/foody_train.tsv (Apache-2.0)",
            "hand-written sentences (lexicon_vi, reviews_vi.tsv verdicts)",
        ],
        "features": "binary word unigrams and bigrams of canonical_tokens()",
        "min_df": MIN_DF,
        "C": C,
        "seed": SEED,
        "bias": round(float(clf.intercept_[0]), 4),
        "weights": dict(sorted(weights.items())),
    }
    raw = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), sort_keys=True).encode()
    # mtime=0 and no file name keep the gzip bytes identical from run to run.
    with (
        args.out.open("wb") as out,
        gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as gz,
    ):
        gz.write(raw)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()[:16]
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({len(weights)} weights, {size} bytes, sha256 {digest})")
    train_opinion(args.out, args.opinion_out, check=args.check)


def opinion_rows() -> tuple[list[str], list[int]]:
    """Hand-written sentences: 0 = states no opinion, 1 = states one (mixed reviews included)."""
    texts: list[str] = []
    labels: list[int] = []
    for text in NEUTRAL_SENTENCES + NO_OPINION_SENTENCES:
        texts.append(text)
        labels.append(1 if text in MIXED_SENTENCES else 0)
    for text, _ in OPINIONATED_SENTENCES + OPINION_SENTENCES:
        texts.append(text)
        labels.append(1)
    for text, label in read_reviews():
        texts.append(text)
        labels.append(0 if label == "none" else 1)
    return texts, labels


def train_opinion(polarity_path: Path, out: Path, *, check: bool) -> None:
    """Fit the opinion model on features computed with the polarity model just written: the
    standardised topic-free cues of opinion.FEATURE_NAMES next to binary word n-grams."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    scorer = VietnameseScorer(load_model(polarity_path))
    texts, labels = opinion_rows()
    tokens = [canonical_tokens(text) for text in texts]
    rows = [scorer.evidence(text, toks)[1] for text, toks in zip(texts, tokens, strict=True)]
    x = np.array(rows, dtype=np.float64)
    y = np.array(labels, dtype=np.int64)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    z = (x - means) / scales

    grams = [set(features(toks)) for toks in tokens]
    df: Counter[str] = Counter()
    for doc in grams:
        df.update(doc)
    vocab = sorted(g for g, n in df.items() if n >= OPINION_MIN_DF)
    index = {g: i for i, g in enumerate(vocab)}
    indptr = [0]
    indices: list[int] = []
    for doc in grams:
        indices.extend(sorted(index[g] for g in doc if g in index))
        indptr.append(len(indices))
    binary = csr_matrix(
        (
            np.ones(len(indices)),
            np.array(indices, dtype=np.int32),
            np.array(indptr, dtype=np.int32),
        ),
        shape=(len(grams), len(vocab)),
    )
    matrix = hstack([csr_matrix(z), binary], format="csr")
    matrix.indices = matrix.indices.astype(np.int32)
    matrix.indptr = matrix.indptr.astype(np.int32)

    def make() -> LogisticRegression:
        return LogisticRegression(
            C=1.0, class_weight="balanced", solver="liblinear", random_state=SEED
        )

    if check:
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
        cv = cross_val_score(make(), matrix, y, cv=folds, scoring="accuracy")
        cues = cross_val_score(make(), z, y, cv=folds, scoring="accuracy")
        print(
            f"opinion model 5-fold accuracy on the hand-written sentences: {cv.mean():.4f}"
            f" (cues alone, without n-grams: {cues.mean():.4f})"
        )
    clf = make()
    clf.fit(matrix, y)
    coef = clf.coef_[0]
    dense = len(FEATURE_NAMES)
    ngrams = {
        g: round(float(w), 4)
        for g, w in zip(vocab, coef[dense:], strict=True)
        if abs(float(w)) >= OPINION_PRUNE
    }
    payload = {
        "format": OPINION_FORMAT,
        "trained_on": "hand-written sentences (sentences_vi.py, forum_vi.py, reviews_vi.tsv)",
        "rows": {"no_opinion": int((y == 0).sum()), "opinion": int((y == 1).sum())},
        "features": list(FEATURE_NAMES),
        "means": [round(float(v), 4) for v in means],
        "scales": [round(float(v), 4) for v in scales],
        "weights": [round(float(v), 4) for v in coef[:dense]],
        "bias": round(float(clf.intercept_[0]), 4),
        "ngram_min_df": OPINION_MIN_DF,
        "ngrams": dict(sorted(ngrams.items())),
    }
    out.write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    print(f"wrote {out} ({len(y)} sentences, {len(ngrams)} n-gram weights, sha256 {digest})")


if __name__ == "__main__":
    main()
