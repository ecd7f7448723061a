"""Measure rcommerce.sentiment.analyze against NLTK's plain VADER on the shared labelled sets.

    .venv/bin/python benchmarks/sentiment.py [--datasets ../shared/datasets] [--limit N]
        [--only foody --only uit ...]

Every file under <datasets>/vi and <datasets>/en is scored by both, in the same run, on the same
rows. vi/foody_heldback is the fixed fifth of vi/foody_train that no model is trained on
(rcommerce/sentiment/splits.py): the in-domain figure. Label sets: accuracy, macro F1, negative-class F1. Score sets (en/vader_*): Pearson r and
3-class weighted F1 at +-0.05. Time: median microseconds per review, measured interleaved.
On 2-class sets (no neutral label) a 'neutral' prediction is mapped by the sign of the compound
(>= 0 positive, < 0 negative), for both scorers.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rcommerce.sentiment import analyze, label_for, warm  # noqa: E402
from rcommerce.sentiment.english import LEXICON_DIR, LEXICON_RESOURCE  # noqa: E402
from rcommerce.sentiment.splits import held_back  # noqa: E402

DEFAULT_DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
LABELS = ("negative", "neutral", "positive")
FOODY = "vi/foody_train"
FOODY_HELD = "vi/foody_heldback"  # the held-back fifth of FOODY, never trained on
ASPECT_COLUMNS = {"price": "price", "ser&acc": "service"}


@dataclass
class Row:
    label: str | None
    score: float | None
    aspects: dict[str, str]
    text: str


def read_rows(path: Path, limit: int | None) -> list[Row]:
    rows: list[Row] = []
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != len(header):
                continue
            rec = dict(zip(header, cols, strict=True))
            label = rec.get("label")
            if label is not None and label not in LABELS:
                label = {"0": "positive", "1": "negative"}.get(label, label)
            score = float(rec["score"]) if "score" in rec else None
            aspects = json.loads(rec["aspects"]) if "aspects" in rec else {}
            rows.append(Row(label, score, aspects, cols[-1]))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def f1(truth: Sequence[str], pred: Sequence[str], cls: str) -> float:
    tp = sum(1 for t, p in zip(truth, pred, strict=True) if t == cls and p == cls)
    fp = sum(1 for t, p in zip(truth, pred, strict=True) if t != cls and p == cls)
    fn = sum(1 for t, p in zip(truth, pred, strict=True) if t == cls and p != cls)
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def label_metrics(truth: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    classes = sorted(set(truth))
    return {
        "acc": sum(1 for t, p in zip(truth, pred, strict=True) if t == p) / len(truth),
        "macro_f1": sum(f1(truth, pred, c) for c in classes) / len(classes),
        "neg_f1": f1(truth, pred, "negative"),
    }


def score_metrics(gold: Sequence[float], compounds: Sequence[float]) -> dict[str, float]:
    truth = [label_for(g / 4.0) for g in gold]
    pred = [label_for(c) for c in compounds]
    n = len(truth)
    weighted = sum(f1(truth, pred, c) * truth.count(c) / n for c in set(truth))
    return {"pearson_r": pearson(gold, compounds), "weighted_f1": weighted}


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    syy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return 0.0 if sxx == 0 or syy == 0 else sxy / (sxx * syy)


def two_class(compound: float) -> str:
    label = label_for(compound)
    if label == "neutral":
        return "positive" if compound >= 0 else "negative"
    return label


def plain_vader() -> Callable[[str], float]:
    """NLTK's SentimentIntensityAnalyzer as shipped, constructed once (the baseline)."""
    import nltk.data
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    if str(LEXICON_DIR) not in nltk.data.path:
        nltk.data.path.append(str(LEXICON_DIR))
    sia = SentimentIntensityAnalyzer(lexicon_file=LEXICON_RESOURCE)

    def compound(text: str) -> float:
        return float(sia.polarity_scores(text)["compound"])

    return compound


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--limit", type=int, default=None, help="first N rows of each file")
    parser.add_argument(
        "--only", action="append", default=[], help="only sets whose name contains this"
    )
    args = parser.parse_args()
    if not (args.datasets / "vi").is_dir() or not (args.datasets / "en").is_dir():
        print(f"datasets folder not found: {args.datasets} (pass --datasets)", file=sys.stderr)
        return 2

    warm()
    baseline = plain_vader()
    files = sorted((args.datasets / "vi").glob("*.tsv")) + sorted(
        (args.datasets / "en").glob("*.tsv")
    )
    results: dict[str, dict[str, dict[str, float]]] = {}
    aspect_lines: list[str] = []
    for path in files:
        name = f"{path.parent.name}/{path.stem}"
        if args.only and not any(part in name for part in args.only):
            continue
        rows = read_rows(path, args.limit)
        ours_c: list[float] = []
        base_c: list[float] = []
        ours_t: list[int] = []
        base_t: list[int] = []
        ours_res = []
        for i, row in enumerate(rows):
            # Alternate who goes first so cache effects favour neither scorer.
            order = (0, 1) if i % 2 == 0 else (1, 0)
            for who in order:
                start = time.perf_counter_ns()
                if who == 0:
                    res = analyze(row.text)
                    elapsed = time.perf_counter_ns() - start
                    ours_t.append(elapsed)
                    ours_c.append(res.compound)
                    ours_res.append(res)
                else:
                    value = baseline(row.text)
                    elapsed = time.perf_counter_ns() - start
                    base_t.append(elapsed)
                    base_c.append(value)
        results[name] = measure(rows, ours_c, base_c, ours_t, base_t)
        if name == FOODY:
            # The fixed fifth no model was trained on and no choice was made with
            # (rcommerce/sentiment/splits.py): the in-domain figure.
            keep = [i for i, row in enumerate(rows) if held_back(row.text)]
            results[FOODY_HELD] = measure(
                [rows[i] for i in keep],
                [ours_c[i] for i in keep],
                [base_c[i] for i in keep],
                [ours_t[i] for i in keep],
                [base_t[i] for i in keep],
            )
        if any(r.aspects for r in rows):
            for column, aspect in ASPECT_COLUMNS.items():
                truth_a: list[str] = []
                pred_a: list[str] = []
                base_a: list[str] = []
                covered = 0
                for row, res, bc in zip(rows, ours_res, base_c, strict=True):
                    if column not in row.aspects:
                        continue
                    truth_a.append(row.aspects[column])
                    if aspect in res.aspects:
                        covered += 1
                        pred_a.append(label_for(res.aspects[aspect]))
                    else:
                        pred_a.append(res.label)  # aspect not found: the review's label
                    base_a.append(label_for(bc))
                if truth_a:
                    m = label_metrics(truth_a, pred_a)
                    b = label_metrics(truth_a, base_a)
                    aspect_lines.append(
                        f"{name} aspect {column} -> {aspect}: rows {len(truth_a)}, "
                        f"found in text {covered / len(truth_a):.0%}; "
                        f"acc {m['acc']:.3f} macro F1 {m['macro_f1']:.3f} "
                        f"(plain VADER, review label: acc {b['acc']:.3f} "
                        f"macro F1 {b['macro_f1']:.3f})"
                    )

    print_table(results)
    for line in aspect_lines:
        print(line)
    print()
    return print_targets(results)


def measure(
    rows: Sequence[Row],
    ours_c: Sequence[float],
    base_c: Sequence[float],
    ours_t: Sequence[int],
    base_t: Sequence[int],
) -> dict[str, dict[str, float]]:
    """Both scorers' figures on these rows (label or score metrics) and median times."""
    entry: dict[str, dict[str, float]] = {}
    if rows[0].score is not None:
        gold = [r.score or 0.0 for r in rows]
        entry["ours"] = score_metrics(gold, ours_c)
        entry["vader"] = score_metrics(gold, base_c)
    else:
        truth = [r.label or "" for r in rows]
        mapper: Callable[[float], str] = two_class if len(set(truth)) == 2 else label_for
        entry["ours"] = label_metrics(truth, [mapper(c) for c in ours_c])
        entry["vader"] = label_metrics(truth, [mapper(c) for c in base_c])
    entry["ours"]["us"] = statistics.median(ours_t) / 1000
    entry["vader"]["us"] = statistics.median(base_t) / 1000
    return entry


def print_table(results: dict[str, dict[str, dict[str, float]]]) -> None:
    head = f"| {'set':28} | {'metric':11} | {'rcommerce':>9} | {'VADER':>9} | {'us/rev':>7} | {'VADER us':>8} |"
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for name, entry in results.items():
        for key in entry["ours"]:
            if key == "us":
                continue
            print(
                f"| {name:28} | {key:11} | {entry['ours'][key]:9.3f} | {entry['vader'][key]:9.3f} "
                f"| {entry['ours']['us']:7.1f} | {entry['vader']['us']:8.1f} |"
            )


def print_targets(results: dict[str, dict[str, dict[str, float]]]) -> int:
    checks: list[tuple[str, bool]] = []

    def want(name: str, key: str, floor: float) -> None:
        if name in results:
            value = results[name]["ours"][key]
            checks.append((f"{name} {key} {value:.4f} >= {floor}", value >= floor))

    want(FOODY_HELD, "acc", 0.90)
    want("vi/aivivn_dev", "neg_f1", 0.85)
    want("vi/vlsp2016_train", "macro_f1", 0.60)
    want("vi/uit_visfd_train", "acc", 0.80)
    want("en/uci_yelp", "acc", 0.80)
    for name, entry in results.items():
        if name.startswith("en/"):
            key = "pearson_r" if "pearson_r" in entry["ours"] else "acc"
            ours, base = entry["ours"][key], entry["vader"][key]
            checks.append((f"{name} {key} {ours:.4f} >= plain VADER {base:.4f}", ours >= base))
            if key == "pearson_r":
                o, b = entry["ours"]["weighted_f1"], entry["vader"]["weighted_f1"]
                checks.append((f"{name} weighted_f1 {o:.4f} >= plain VADER {b:.4f}", o >= b))
            else:
                o, b = entry["ours"]["macro_f1"], entry["vader"]["macro_f1"]
                checks.append((f"{name} macro_f1 {o:.4f} >= plain VADER {b:.4f}", o >= b))
    for name, entry in results.items():
        ours_us, base_us = entry["ours"]["us"], entry["vader"]["us"]
        checks.append(
            (f"{name} median {ours_us:.1f} us <= plain VADER {base_us:.1f} us", ours_us <= base_us)
        )
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
