"""Train the Vietnamese models shipped in rcommerce/sentiment: the polarity model
(vi_model.json.gz) and the 'has an opinion?' model (opinion_vi.json).

Reproducible: the same inputs give byte-identical model files. The polarity model trains ONLY on
the four fifths of vi/foody_train.tsv (Apache-2.0) outside the held-back fifth (splits.py) plus
hand-written text (the sentences in lexicon_vi.py and the verdicts in reviews_vi.tsv); the
opinion model ONLY on hand-written text (sentences_vi.py, forum_vi.py, reviews_vi.tsv).
Needs the optional `train` extra (scikit-learn, numpy); the runtime never imports them.

    .venv/bin/python scripts/train_sentiment.py [--datasets ../shared/datasets] [--check]
        [--choose-c] [--choose-weight] [--choose-opinion-weight] [--choose-weight-3class]
        [--choose-repeat] [--choose-lean] [--choose-price] [--cache DIR]

The --choose-* options write nothing: they measure the regularisation C of the model alone,
the blend (MODEL_WEIGHT, LENGTH_HALF, RULES_HALF), OPINION_MODEL_WEIGHT (also on the
hand-written buyer reviews of verdicts_vi.tsv) and ADDRESS_LEAN of the whole scorer by 5-fold
cross-validation on the trainable four fifths of Foody (folds from splits.cv_fold) and the
rows of reviews_vi.tsv, and how the price aspect is read on the hand-written price rows of
aspects_vi.tsv. --cache keeps the five fold models between runs.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rcommerce.sentiment import label_for  # noqa: E402
from rcommerce.sentiment.forum_vi import NO_OPINION_SENTENCES, OPINION_SENTENCES  # noqa: E402
from rcommerce.sentiment.lexicon_vi import HANDWRITTEN_SENTENCES  # noqa: E402
from rcommerce.sentiment.model import (  # noqa: E402
    MODEL_FORMAT,
    MODEL_PATH,
    features,
    load_model,
    positions,
)
from rcommerce.sentiment.normalize import canonical_tokens, read_tokens  # noqa: E402
from rcommerce.sentiment.opinion import FEATURE_NAMES, OPINION_FORMAT, OPINION_PATH  # noqa: E402
from rcommerce.sentiment.reviews_vi import read_reviews  # noqa: E402
from rcommerce.sentiment.sentences_vi import (  # noqa: E402
    MIXED_SENTENCES,
    NEUTRAL_SENTENCES,
    OPINIONATED_SENTENCES,
)
from rcommerce.sentiment.splits import cv_fold, held_back  # noqa: E402
from rcommerce.sentiment.vietnamese import (  # noqa: E402
    LENGTH_HALF,
    MODEL_WEIGHT,
    OPINION_MODEL_WEIGHT,
    VietnameseScorer,
)

SEED = 20261101
MIN_DF = 3
# Inverse regularisation of the polarity model, from --choose-c (5-fold on the trainable Foody
# rows plus the hand-written verdicts; docs/sentiment.md).
C = 4.0
C_CANDIDATES = (1.0, 2.0, 4.0, 8.0)
# vietnamese.MODEL_WEIGHT (decision value -> valence points) and LENGTH_HALF come from
# --choose-weight, vietnamese.OPINION_MODEL_WEIGHT from --choose-opinion-weight.
WEIGHT_CANDIDATES = (4.0, 8.0, 12.0, 16.0, 24.0, 32.0)
LENGTH_CANDIDATES = (20.0, 60.0)
RULES_HALF_CANDIDATES = (math.inf, 120.0, 60.0, 40.0, 20.0)
WEIGHT_3CLASS_CANDIDATES = (0.5, 1.0, 2.0, 3.0, 4.0)  # measured by --choose-weight-3class
OPINION_WEIGHT_CANDIDATES = (1.0, 2.0, 4.0, 8.0)  # measured by --choose-opinion-weight
LEAN_CANDIDATES = ("evidence", "polarity")  # measured by --choose-lean
# vietnamese.PRICE_MODEL_WEIGHT and DEALS_JUDGE, measured by --choose-price.
PRICE_CANDIDATES = tuple((w, d) for d in (True, False) for w in (0.0, 0.25, 0.5))
# vietnamese.PRICE_PREDICATES_ON, PRICE_FRAME_REACH, PRICE_AMOUNTS and NOT_PRICE (with the shipped
# PRICE_MODEL_WEIGHT and DEALS_JUDGE), also measured by --choose-price.
PRICE_READING_CANDIDATES = tuple(
    (p, r, a, x)
    for p in (False, True)
    for r in ("off", "next", "sentence")
    for a in (False, True)
    for x in (False, True)
)
DEALS_GAINED_CANDIDATES = (False, True)  # vietnamese.DEALS_GAINED, also by --choose-price
PRUNE = 0.05  # coefficients smaller than this change no decision worth keeping the bytes for
HANDWRITTEN_REPEAT = 5  # the hand-written product sentences are few: count each a few times
# Each hand-written verdict of reviews_vi.tsv (all 4,313 rows) counts this many times next to
# Foody's 30,000 restaurant reviews: x1 scored best on the 3-class macro F1 of --choose-repeat
# (5 folds over the hand-written rows plus held-out Foody, allowed data only; docs/sentiment.md).
REVIEWS_REPEAT = 1
REPEAT_CANDIDATES = (0, 1, 3, 10, 30)  # measured by --choose-repeat
OPINION_MIN_DF = 2
OPINION_PRUNE = 0.005


def read_foody(path: Path) -> list[tuple[str, int]]:
    """The Foody reviews outside the held-back fifth (splits.held_back), which nothing here
    reads: (text, 1 if positive else 0)."""
    rows: list[tuple[str, int]] = []
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        label_col = header.index("label")
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if not held_back(cols[-1]):
                rows.append((cols[-1], 1 if cols[label_col] == "positive" else 0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = REPO.parent / "shared" / "datasets"
    parser.add_argument("--datasets", type=Path, default=default)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--opinion-out", type=Path, default=OPINION_PATH)
    parser.add_argument(
        "--check",
        action="store_true",
        help="also report the opinion model's 5-fold accuracy on its rows",
    )
    parser.add_argument("--choose-c", action="store_true", help="measure C_CANDIDATES")
    parser.add_argument("--choose-weight", action="store_true", help="measure WEIGHT_CANDIDATES")
    parser.add_argument("--choose-repeat", action="store_true", help="measure REPEAT_CANDIDATES")
    parser.add_argument(
        "--choose-opinion-weight",
        action="store_true",
        help="measure OPINION_WEIGHT_CANDIDATES on the hand-written rows' 3-class macro F1",
    )
    parser.add_argument(
        "--choose-lean",
        action="store_true",
        help="measure LEAN_CANDIDATES (2-class folds of Foody and verdicts, 3-class)",
    )
    parser.add_argument(
        "--choose-price",
        action="store_true",
        help="measure PRICE_CANDIDATES on the hand-written price rows of aspects_vi.tsv",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="folder keeping the five cross-validation polarity models between runs",
    )
    parser.add_argument(
        "--choose-weight-3class",
        action="store_true",
        help="measure WEIGHT_3CLASS_CANDIDATES on the hand-written rows' 3-class macro F1",
    )
    args = parser.parse_args()
    foody = args.datasets / "vi" / "foody_train.tsv"
    if not foody.exists():
        sys.exit(f"missing {foody}: pass --datasets pointing at the shared datasets folder")

    if args.choose_price:
        choose_price()
        return
    rows = read_foody(foody)
    reviews = read_reviews()
    if args.choose_weight_3class:
        choose_weight_3class(rows, reviews)
        return
    if args.choose_opinion_weight:
        choose_opinion_weight(rows, reviews, args.cache)
        return
    if args.choose_lean:
        choose_lean(rows, reviews, args.cache)
        return
    if args.choose_c or args.choose_weight or args.choose_repeat:
        if args.choose_c:
            choose_c(rows, reviews)
        if args.choose_weight:
            choose_weight(rows, reviews, args.cache)
        if args.choose_repeat:
            choose_repeat(rows, reviews)
        return
    docs, labels = polarity_docs(rows, reviews, REVIEWS_REPEAT)
    vocab, idf, matrix = tfidf_matrix(docs, MIN_DF)
    payload = fit_polarity(vocab, idf, matrix, labels)
    write_polarity(payload, args.out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()[:16]
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({len(payload['weights'])} weights, {len(idf)} features,"
        f" {size} bytes, sha256 {digest})"
    )
    train_opinion(args.out, args.opinion_out, reviews, check=args.check)


def cv_splits(
    rows: list[tuple[str, int]], reviews: Sequence[tuple[str, str]]
) -> list[tuple[list[int], list[int], list[int], list[int]]]:
    """Five folds: (Foody train, Foody test, reviews train, reviews test) indices. Foody folds
    come from splits.cv_fold (a hash of the text); the hand-written rows are stratified by
    label with the script's seed."""
    from sklearn.model_selection import StratifiedKFold

    fold_of = [cv_fold(text) for text, _ in rows]
    strat = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    review_folds = list(strat.split(np.zeros(len(reviews)), [label for _, label in reviews]))
    out = []
    for k, (r_train, r_test) in enumerate(review_folds):
        f_train = [i for i, f in enumerate(fold_of) if f != k]
        f_test = [i for i, f in enumerate(fold_of) if f == k]
        out.append((f_train, f_test, list(r_train), list(r_test)))
    return out


def choose_c(rows: list[tuple[str, int]], reviews: Sequence[tuple[str, str]]) -> None:
    """The polarity model alone, per C: mean accuracy on the held-out Foody fold (by the sign
    of the decision value) and on the held-out hand-written verdicts."""
    print("C       foody fold acc  verdicts fold acc   (model alone, 5 folds)")
    splits = cv_splits(rows, reviews)
    for c in C_CANDIDATES:
        food: list[float] = []
        hand: list[float] = []
        for f_train, f_test, r_train, r_test in splits:
            train_rows = [rows[i] for i in f_train]
            docs, labels = polarity_docs(train_rows, [reviews[i] for i in r_train], REVIEWS_REPEAT)
            vocab, idf, matrix = tfidf_matrix(docs, MIN_DF)
            model = model_of(fit_polarity(vocab, idf, matrix, labels, c=c))
            test = [rows[i] for i in f_test]
            food.append(
                float(
                    np.mean(
                        [(model.decision(canonical_tokens(t)) >= 0) == bool(y) for t, y in test]
                    )
                )
            )
            verdicts = [reviews[i] for i in r_test if reviews[i][1] != "none"]
            hand.append(
                float(
                    np.mean(
                        [
                            (model.decision(canonical_tokens(t)) >= 0) == (y == "positive")
                            for t, y in verdicts
                        ]
                    )
                )
            )
        print(f"{c:<7} {np.mean(food):.4f}          {np.mean(hand):.4f}", flush=True)


def fold_models(
    rows: list[tuple[str, int]],
    reviews: Sequence[tuple[str, str]],
    splits: list[tuple[list[int], list[int], list[int], list[int]]],
    cache: Path | None,
) -> list[Path]:
    """The polarity model of each fold (trained on the other Foody folds and the other folds'
    verdicts at the shipped settings), written to `cache` (kept between runs) or a temporary
    folder."""
    import tempfile

    folder = cache or Path(tempfile.mkdtemp(prefix="rcommerce-cv-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, (f_train, _, r_train, _) in enumerate(splits):
        path = folder / f"fold{k}-c{C}-df{MIN_DF}-x{REVIEWS_REPEAT}.json.gz"
        if not path.exists():
            train = [reviews[i] for i in r_train]
            docs, labels = polarity_docs([rows[i] for i in f_train], train, REVIEWS_REPEAT)
            vocab, idf, matrix = tfidf_matrix(docs, MIN_DF)
            write_polarity(fit_polarity(vocab, idf, matrix, labels), path)
        paths.append(path)
    return paths


def read_once(scorer: VietnameseScorer, text: str) -> tuple[str, Any, Any, bool]:
    """What VietnameseScorer.finish needs of a text, read once: the reading does not depend
    on the weights being measured (only on the polarity model)."""
    from rcommerce.sentiment.irony import read_sarcasm

    read = read_tokens(text)
    reading = scorer._token_scores(read)
    return text, read, reading, read_sarcasm(read.words, reading)


def choose_weight(
    rows: list[tuple[str, int]], reviews: Sequence[tuple[str, str]], cache: Path | None
) -> None:
    """The whole scorer (lexicon, rules and the polarity model at C trained on the other
    folds), per MODEL_WEIGHT and LENGTH_HALF: accuracy by the sign of the compound on the
    held-out Foody fold and on the held-out hand-written verdicts (product, forum and service
    text), and their mean, which picks the pair. Without the opinion model: it only decides
    weak evidence read at OPINION_MODEL_WEIGHT, and rarely changes a sign."""
    splits = cv_splits(rows, reviews)
    paths = fold_models(rows, reviews, splits, cache)
    grid = [
        (w, h, r)
        for r in RULES_HALF_CANDIDATES
        for h in LENGTH_CANDIDATES
        for w in WEIGHT_CANDIDATES
    ]
    table: dict[tuple[float, float, float], list[tuple[float, float]]] = {g: [] for g in grid}
    for path, (_, f_test, _, r_test) in zip(paths, splits, strict=True):
        scorer = VietnameseScorer(load_model(path), None)
        food_test = [(*read_once(scorer, t), y == 1) for t, y in (rows[i] for i in f_test)]
        hand_test = [
            (*read_once(scorer, t), y == "positive")
            for t, y in (reviews[i] for i in r_test)
            if y != "none"
        ]
        for weight, half, rules in grid:
            scorer.model_weight, scorer.length_half, scorer.rules_half = weight, half, rules
            food, hand = (
                np.mean([(scorer.finish(*args).compound >= 0) == y for *args, y in test])
                for test in (food_test, hand_test)
            )
            table[(weight, half, rules)].append((float(food), float(hand)))
        print(f"fold done: {len(table[grid[0]])}", flush=True)
    print("rules half  length  weight  foody fold acc  verdicts fold acc  mean")
    for (weight, half, rules), values in table.items():
        food_mean = float(np.mean([a for a, _ in values]))
        hand_mean = float(np.mean([b for _, b in values]))
        print(
            f"{rules:<11} {half:<7} {weight:<7} {food_mean:.4f}          {hand_mean:.4f}             "
            f"{(food_mean + hand_mean) / 2:.4f}"
        )


def choose_price() -> None:
    """How the price aspect is read, on the hand-written rows of aspects_vi.tsv, with the
    shipped models, which never saw those rows (the review's label stands in when the price is
    not found): accuracy and macro F1 of the price label per candidate. First how a clause
    naming the price without a price word, and a deal named, judge the price
    (vietnamese.PRICE_MODEL_WEIGHT, DEALS_JUDGE); then, at the shipped ones, the predicates
    after a word naming the price, the reach of value frames and amounts naming the price
    (PRICE_PREDICATES_ON, PRICE_FRAME_REACH, PRICE_AMOUNTS), with a 5-fold choice: on each
    fold the candidate best on the other four folds' rows, scored on the held-out fold."""
    from sklearn.model_selection import StratifiedKFold

    from rcommerce.sentiment.opinion import load_opinion_model
    from rcommerce.sentiment.reviews_vi import read_aspect_rows

    rows = [row for row in read_aspect_rows() if row[0] == "price"]
    truth = [label for _, label, _ in rows]
    model, opinion = load_model(), load_opinion_model()

    def labels(scorer: VietnameseScorer) -> list[str]:
        got = []
        for _, _, text in rows:
            scored = scorer.score(text)
            got.append(label_for(scored.aspects.get("price", scored.compound)))
        return got

    print(f"price model weight  deals judge  acc     macro F1   ({len(rows)} rows)")
    for weight, deals in PRICE_CANDIDATES:
        got = labels(
            VietnameseScorer(
                model,
                opinion,
                price_model_weight=weight,
                deals_judge=deals,
                price_predicates=False,
                price_frame_reach="off",
                price_amounts=False,
                not_price=False,
                deals_gained=False,
            )
        )
        acc = float(np.mean([a == b for a, b in zip(truth, got, strict=True)]))
        macro = float(f1_score(truth, got, average="macro"))
        print(f"{weight:<19} {deals!s:<12} {acc:.4f}  {macro:.4f}")
    print(f"\npredicates  frame reach  amounts  not price  acc     macro F1   ({len(rows)} rows)")
    right: dict[tuple[bool, str, bool, bool], np.ndarray] = {}
    for candidate in PRICE_READING_CANDIDATES:
        predicates, reach, amounts, not_price = candidate
        got = labels(
            VietnameseScorer(
                model,
                opinion,
                price_predicates=predicates,
                price_frame_reach=reach,
                price_amounts=amounts,
                not_price=not_price,
                deals_gained=False,
            )
        )
        right[candidate] = np.array([a == b for a, b in zip(truth, got, strict=True)])
        acc = float(np.mean(right[candidate]))
        macro = float(f1_score(truth, got, average="macro"))
        print(
            f"{predicates!s:<11} {reach:<12} {amounts!s:<8} {not_price!s:<10} "
            f"{acc:.4f}  {macro:.4f}"
        )
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    held: list[float] = []
    for train, test in folds.split(np.zeros(len(truth)), truth):
        best = max(PRICE_READING_CANDIDATES, key=lambda c: float(np.mean(right[c][train])))
        held.append(float(np.mean(right[best][test])))
        print(f"fold: chosen {best}, held-out accuracy {held[-1]:.4f}")
    print(f"5-fold held-out accuracy of the choice: {float(np.mean(held)):.4f}")
    print("\nwith the shipped readings: price model weight  deals judge  acc     macro F1")
    for weight, deals in PRICE_CANDIDATES:
        got = labels(VietnameseScorer(model, opinion, price_model_weight=weight, deals_judge=deals))
        acc = float(np.mean([a == b for a, b in zip(truth, got, strict=True)]))
        macro = float(f1_score(truth, got, average="macro"))
        print(f"{'':27}{weight:<19} {deals!s:<12} {acc:.4f}  {macro:.4f}")
    print("\nwith the shipped readings: deals gained judge  acc     macro F1")
    gained: dict[bool, np.ndarray] = {}
    for candidate in DEALS_GAINED_CANDIDATES:
        got = labels(VietnameseScorer(model, opinion, deals_gained=candidate))
        gained[candidate] = np.array([a == b for a, b in zip(truth, got, strict=True)])
        macro = float(f1_score(truth, got, average="macro"))
        print(f"{candidate!s:<40} {float(np.mean(gained[candidate])):.4f}  {macro:.4f}")
    held = []
    for train, test in folds.split(np.zeros(len(truth)), truth):
        best_gained = max(DEALS_GAINED_CANDIDATES, key=lambda c: float(np.mean(gained[c][train])))
        held.append(float(np.mean(gained[best_gained][test])))
        print(f"fold: chosen {best_gained}, held-out accuracy {held[-1]:.4f}")
    print(f"5-fold held-out accuracy of the choice: {float(np.mean(held)):.4f}")


def choose_opinion_weight(
    rows: list[tuple[str, int]], reviews: Sequence[tuple[str, str]], cache: Path | None
) -> None:
    """The whole scorer with the polarity at MODEL_WEIGHT and LENGTH_HALF, per
    OPINION_MODEL_WEIGHT in OPINION_WEIGHT_CANDIDATES (the opinion model retrained per fold
    and weight on the other folds' rows): 3-class macro F1 on the held-out hand-written rows
    (positive / negative / no opinion), accuracy by sign on the held-out Foody fold, and
    3-class accuracy on the buyer reviews of verdicts_vi.tsv (labelled by their overall
    verdict, mixed ones too; no model trains on them)."""
    import tempfile

    from rcommerce.sentiment.opinion import load_opinion_model
    from rcommerce.sentiment.reviews_vi import read_verdict_rows

    verdict_rows = read_verdict_rows()
    splits = cv_splits(rows, reviews)
    paths = fold_models(rows, reviews, splits, cache)
    table: dict[float, list[tuple[float, float, float]]] = {
        w: [] for w in OPINION_WEIGHT_CANDIDATES
    }
    with tempfile.TemporaryDirectory() as tmp:
        opinion_path = Path(tmp) / "opinion.json"
        for path, (_, f_test, r_train, r_test) in zip(paths, splits, strict=True):
            model = load_model(path)
            texts, opinion_labels = opinion_rows([reviews[i] for i in r_train])
            test = [reviews[i] for i in r_test]
            food_test = [rows[i] for i in f_test]
            for weight in OPINION_WEIGHT_CANDIDATES:
                write_opinion(
                    fit_opinion(path, texts, opinion_labels, opinion_weight=weight),
                    opinion_path,
                )
                scorer = VietnameseScorer(
                    model, load_opinion_model(opinion_path), opinion_weight=weight
                )
                got = [
                    "none" if lab == "neutral" else lab
                    for lab in (label_for(scorer.score(t).compound) for t, _ in test)
                ]
                three = float(f1_score([lab for _, lab in test], got, average="macro"))
                food = float(
                    np.mean([(scorer.score(t).compound >= 0) == bool(y) for t, y in food_test])
                )
                verdicts = float(
                    np.mean([label_for(scorer.score(t).compound) == lab for t, lab in verdict_rows])
                )
                table[weight].append((three, food, verdicts))
            print(f"fold done: {len(table[OPINION_WEIGHT_CANDIDATES[0]])}", flush=True)
    print(
        f"opinion weight  hand-written 3-class macro F1  foody fold acc"
        f"  buyer verdicts 3-class acc  mean   (polarity at {MODEL_WEIGHT}, length {LENGTH_HALF})"
    )
    for weight, values in table.items():
        three, food, verdicts = (float(np.mean([v[k] for v in values])) for k in range(3))
        print(
            f"{weight:<15} {three:.4f}                         {food:.4f}"
            f"          {verdicts:.4f}                      {(three + food + verdicts) / 3:.4f}"
        )


def choose_lean(
    rows: list[tuple[str, int]], reviews: Sequence[tuple[str, str]], cache: Path | None
) -> None:
    """The whole scorer at the shipped weights (the opinion model retrained per fold on the
    other folds' rows), per vietnamese.ADDRESS_LEAN in LEAN_CANDIDATES: accuracy by sign on the held-out Foody
    fold and on the held-out hand-written verdicts, and 3-class macro F1 on the held-out
    hand-written rows (which the lean cannot change: it moves a sign inside the neutral band)."""
    import tempfile

    from rcommerce.sentiment.opinion import load_opinion_model

    splits = cv_splits(rows, reviews)
    paths = fold_models(rows, reviews, splits, cache)
    table: dict[str, list[tuple[float, float, float]]] = {lean: [] for lean in LEAN_CANDIDATES}
    with tempfile.TemporaryDirectory() as tmp:
        opinion_path = Path(tmp) / "opinion.json"
        for path, (_, f_test, r_train, r_test) in zip(paths, splits, strict=True):
            model = load_model(path)
            texts, opinion_labels = opinion_rows([reviews[i] for i in r_train])
            write_opinion(fit_opinion(path, texts, opinion_labels), opinion_path)
            opinion = load_opinion_model(opinion_path)
            reader = VietnameseScorer(model, opinion)
            test = [(read_once(reader, t), label) for t, label in (reviews[i] for i in r_test)]
            food = [(read_once(reader, t), y) for t, y in (rows[i] for i in f_test)]
            for lean in LEAN_CANDIDATES:
                scorer = VietnameseScorer(model, opinion, address_lean=lean)
                hand = [(scorer.finish(*read).compound, label) for read, label in test]
                got = [
                    "none" if lab == "neutral" else lab
                    for lab in (label_for(value) for value, _ in hand)
                ]
                three = float(f1_score([label for _, label in hand], got, average="macro"))
                verdicts = float(
                    np.mean(
                        [
                            (value >= 0) == (label == "positive")
                            for value, label in hand
                            if label in ("positive", "negative")
                        ]
                    )
                )
                foody = float(
                    np.mean([(scorer.finish(*read).compound >= 0) == bool(y) for read, y in food])
                )
                table[lean].append((foody, verdicts, three))
            print(f"fold done: {len(table[LEAN_CANDIDATES[0]])}", flush=True)
    print("address lean   foody fold acc  verdicts fold acc  hand-written 3-class macro F1")
    for lean, values in table.items():
        foody, verdicts, three = (float(np.mean([v[k] for v in values])) for k in range(3))
        print(f"{lean:<14} {foody:.4f}          {verdicts:.4f}             {three:.4f}")


def choose_weight_3class(rows: list[tuple[str, int]], reviews: Sequence[tuple[str, str]]) -> None:
    """The whole scorer, opinion model included (retrained per fold and weight on the other
    folds' rows), per polarity weight in WEIGHT_3CLASS_CANDIDATES (the opinion model's
    evidence at OPINION_MODEL_WEIGHT; before 2026.12-2 both were this weight): 3-class macro F1 on the held-out
    hand-written rows (positive / negative / no opinion), the shape of a forum-text figure
    that --choose-weight's 2-class signs cannot see."""
    import tempfile

    from rcommerce.sentiment.opinion import load_opinion_model

    splits = cv_splits(rows, reviews)
    table: dict[float, list[float]] = {w: [] for w in WEIGHT_3CLASS_CANDIDATES}
    with tempfile.TemporaryDirectory() as tmp:
        polarity_path = Path(tmp) / "model.json.gz"
        opinion_path = Path(tmp) / "opinion.json"
        for f_train, _, r_train, r_test in splits:
            train = [reviews[i] for i in r_train]
            docs, labels = polarity_docs([rows[i] for i in f_train], train, REVIEWS_REPEAT)
            vocab, idf, matrix = tfidf_matrix(docs, MIN_DF)
            write_polarity(fit_polarity(vocab, idf, matrix, labels), polarity_path)
            model = load_model(polarity_path)
            texts, opinion_labels = opinion_rows(train)
            test = [reviews[i] for i in r_test]
            for weight in WEIGHT_3CLASS_CANDIDATES:
                write_opinion(
                    fit_opinion(polarity_path, texts, opinion_labels, model_weight=weight),
                    opinion_path,
                )
                scorer = VietnameseScorer(model, load_opinion_model(opinion_path), weight)
                got = [
                    "none" if lab == "neutral" else lab
                    for lab in (label_for(scorer.score(t).compound) for t, _ in test)
                ]
                table[weight].append(
                    float(f1_score([lab for _, lab in test], got, average="macro"))
                )
            print(f"fold done: {len(table[WEIGHT_3CLASS_CANDIDATES[0]])}", flush=True)
    print("weight  hand-written 3-class macro F1")
    for weight, values in table.items():
        print(f"{weight:<7} {np.mean(values):.4f}")


def polarity_docs(
    rows: list[tuple[str, int]], reviews: Sequence[tuple[str, str]], repeat: int
) -> tuple[list[list[str]], np.ndarray]:
    """Features and labels of the polarity model's training rows: Foody, then the hand-written
    sentences of lexicon_vi.py (x HANDWRITTEN_REPEAT), then the verdicts among the rows of
    reviews_vi.tsv (x repeat; "none" rows state no verdict)."""
    verdicts = [(text, int(label == "positive")) for text, label in reviews if label != "none"]
    hand = [(text, label) for text, label in HANDWRITTEN_SENTENCES] * HANDWRITTEN_REPEAT
    hand += verdicts * repeat
    docs = [canonical_tokens(text) for text, _ in rows + hand]
    labels = np.array([label for _, label in rows + hand], dtype=np.int64)
    return docs, labels


def rows_matrix(docs: list[list[str]], index: dict[str, int]) -> Any:
    """Binary presence matrix of docs over a fixed vocabulary (the opinion model's n-grams)."""
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    indptr = [0]
    indices: list[int] = []
    for doc in docs:
        cols = sorted({index[f] for f in doc if f in index})
        indices.extend(cols)
        indptr.append(len(indices))
    return csr_matrix(
        (np.ones(len(indices)), np.array(indices), np.array(indptr)),
        shape=(len(docs), len(index)),
    )


def binary_matrix(docs: list[list[str]], min_df: int) -> tuple[list[str], Any]:
    """Vocabulary (features in at least min_df docs, sorted) and the binary matrix over it."""
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    vocab = sorted(f for f, n in df.items() if n >= min_df)
    return vocab, rows_matrix(docs, {f: i for i, f in enumerate(vocab)})


def tfidf_matrix(docs: list[list[str]], min_df: int) -> tuple[list[str], list[float], Any]:
    """Vocabulary (unigrams and bigrams of the token lists `docs` found in at least min_df of
    them, sorted), the idf of each (rounded as
    stored) and the TF-IDF matrix model.Model reads at run time: (1 + ln count) x idf, rows
    scaled to unit length. idf = ln((1 + n) / (1 + df)) + 1, as scikit-learn smooths it."""
    from scipy.sparse import csr_matrix

    found_in = [positions(tokens) for tokens in docs]
    df: Counter[str] = Counter()
    for found in found_in:
        df.update(found.keys())
    vocab = sorted(f for f, n in df.items() if n >= min_df)
    n = len(docs)
    idf = [round(float(np.log((1 + n) / (1 + df[f])) + 1.0), 3) for f in vocab]
    index = {f: i for i, f in enumerate(vocab)}
    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for found in found_in:
        row = sorted(
            (index[g], (1.0 if count == 1 else 1.0 + float(np.log(count))) * idf[index[g]])
            for g, (count, _) in found.items()
            if g in index
        )
        norm = float(np.sqrt(sum(v * v for _, v in row))) or 1.0
        indices.extend(col for col, _ in row)
        values.extend(v / norm for _, v in row)
        indptr.append(len(indices))
    matrix = csr_matrix(
        (np.array(values), np.array(indices), np.array(indptr)), shape=(n, len(vocab))
    )
    return vocab, idf, matrix


def fit_polarity(
    vocab: list[str], idf: list[float], matrix: Any, labels: np.ndarray, c: float = C
) -> dict[str, Any]:
    """Fit the polarity model on ``tfidf_matrix``'s output; its payload as written to
    vi_model.json.gz."""
    clf = LogisticRegression(C=c, max_iter=3000, solver="liblinear", random_state=SEED)
    clf.fit(matrix, labels)
    weights = {
        f: round(float(w), 3)
        for f, w in zip(vocab, clf.coef_[0], strict=True)
        if abs(float(w)) >= PRUNE
    }
    return {
        "format": MODEL_FORMAT,
        "trained_on": [
            "vi/foody_train.tsv (Apache-2.0) outside the held-back fifth (splits.py)",
            "hand-written sentences (lexicon_vi, reviews_vi.tsv verdicts)",
        ],
        "features": "TF-IDF (sublinear tf, smooth idf, l2) word unigrams and bigrams of"
        " canonical_tokens()",
        "min_df": MIN_DF,
        "C": c,
        "seed": SEED,
        "bias": round(float(clf.intercept_[0]), 4),
        "weights": dict(sorted(weights.items())),
        "idf": dict(zip(vocab, idf, strict=True)),
    }


def model_of(payload: dict[str, Any]) -> Any:
    """The run-time model of a payload, without writing it."""
    from rcommerce.sentiment.model import Model

    idf = {str(k): float(v) for k, v in payload["idf"].items()}
    weights = {k: float(v) * idf[k] for k, v in payload["weights"].items()}
    return Model(bias=float(payload["bias"]), weights=weights, idf=idf)


def write_polarity(payload: dict[str, Any], path: Path) -> None:
    raw = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), sort_keys=True).encode()
    # mtime=0 and no file name keep the gzip bytes identical from run to run.
    with (
        path.open("wb") as out,
        gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as gz,
    ):
        gz.write(raw)


def opinion_rows(reviews: Sequence[tuple[str, str]]) -> tuple[list[str], list[int]]:
    """Hand-written sentences: 0 = states no opinion, 1 = states one (mixed reviews included);
    `reviews` are rows of reviews_vi.tsv (cross-validation leaves a fold out)."""
    texts: list[str] = []
    labels: list[int] = []
    for text in NEUTRAL_SENTENCES + NO_OPINION_SENTENCES:
        texts.append(text)
        labels.append(1 if text in MIXED_SENTENCES else 0)
    for text, _ in OPINIONATED_SENTENCES + OPINION_SENTENCES:
        texts.append(text)
        labels.append(1)
    for text, label in reviews:
        texts.append(text)
        labels.append(0 if label == "none" else 1)
    return texts, labels


def train_opinion(
    polarity_path: Path, out: Path, reviews: Sequence[tuple[str, str]], *, check: bool
) -> None:
    """Fit the opinion model on features computed with the polarity model just written and
    write opinion_vi.json."""
    texts, labels = opinion_rows(reviews)
    payload = fit_opinion(polarity_path, texts, labels, check=check)
    write_opinion(payload, out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    print(
        f"wrote {out} ({len(labels)} sentences, {len(payload['ngrams'])} n-gram weights,"
        f" sha256 {digest})"
    )


def write_opinion(payload: dict[str, Any], out: Path) -> None:
    out.write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def fit_opinion(
    polarity_path: Path,
    texts: list[str],
    labels: list[int],
    *,
    check: bool = False,
    model_weight: float = MODEL_WEIGHT,
    opinion_weight: float = OPINION_MODEL_WEIGHT,
) -> dict[str, Any]:
    """The opinion model's payload: the standardised topic-free cues of opinion.FEATURE_NAMES
    (computed with the polarity model at polarity_path) next to binary word n-grams."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    scorer = VietnameseScorer(
        load_model(polarity_path), model_weight=model_weight, opinion_weight=opinion_weight
    )
    reads = [read_tokens(text) for text in texts]
    rows = [scorer.evidence(text, read)[1] for text, read in zip(texts, reads, strict=True)]
    x = np.array(rows, dtype=np.float64)
    y = np.array(labels, dtype=np.int64)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    z = (x - means) / scales

    vocab, binary = binary_matrix([features(read.words) for read in reads], OPINION_MIN_DF)
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
    return {
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


def choose_repeat(rows: list[tuple[str, int]], reviews: Sequence[tuple[str, str]]) -> None:
    """How many times each hand-written verdict should count (REVIEWS_REPEAT), measured on
    allowed data only: 5 folds over the rows of reviews_vi.tsv; per fold, the polarity model is
    trained on the other Foody folds plus the other folds' verdicts (x repeat) and the opinion model on the other
    folds (plus the sentences), then the whole scorer is measured on the held-out fold (3-class
    macro F1 with the analyser's labels, and 2-class macro F1 of the verdicts by the sign of
    the compound) and on Foody fold 0 of splits.cv_fold (2-class, by sign)."""
    import tempfile

    from sklearn.model_selection import StratifiedKFold

    from rcommerce.sentiment.opinion import load_opinion_model

    foody_train = [row for row in rows if cv_fold(row[0]) != 0]
    foody_test = [row for row in rows if cv_fold(row[0]) == 0]
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    split = list(folds.split(np.zeros(len(reviews)), [label for _, label in reviews]))
    names = ("negative", "positive")
    print("repeat  fold 3-class macro F1  fold verdicts 2-class  held-out foody 2-class")
    with tempfile.TemporaryDirectory() as tmp:
        polarity_path = Path(tmp) / "model.json.gz"
        opinion_path = Path(tmp) / "opinion.json"
        for repeat in REPEAT_CANDIDATES:
            three: list[float] = []
            two: list[float] = []
            food: list[float] = []
            for train_idx, test_idx in split:
                train = [reviews[i] for i in train_idx]
                test = [reviews[i] for i in test_idx]
                docs, labels = polarity_docs(foody_train, train, repeat)
                vocab, idf, matrix = tfidf_matrix(docs, MIN_DF)
                write_polarity(fit_polarity(vocab, idf, matrix, labels), polarity_path)
                texts, opinion_labels = opinion_rows(train)
                write_opinion(fit_opinion(polarity_path, texts, opinion_labels), opinion_path)
                scorer = VietnameseScorer(
                    load_model(polarity_path), load_opinion_model(opinion_path)
                )
                compounds = [scorer.score(text)[0] for text, _ in test]
                # The analyser's labels; reviews_vi.tsv calls the neutral class "none".
                got = [
                    "none" if label == "neutral" else label for label in map(label_for, compounds)
                ]
                three.append(float(f1_score([lab for _, lab in test], got, average="macro")))
                pairs = [
                    (lab, names[c >= 0])
                    for (_, lab), c in zip(test, compounds, strict=True)
                    if lab != "none"
                ]
                two.append(
                    float(f1_score([a for a, _ in pairs], [b for _, b in pairs], average="macro"))
                )
                food_got = [int(scorer.score(text)[0] >= 0) for text, _ in foody_test]
                food.append(
                    float(f1_score([lab for _, lab in foody_test], food_got, average="macro"))
                )
            print(
                f"x{repeat:<6} {np.mean(three):.4f}"
                f"                 {np.mean(two):.4f}"
                f"                 {np.mean(food):.4f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
