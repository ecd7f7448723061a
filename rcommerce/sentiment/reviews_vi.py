"""The hand-written Vietnamese reviews and forum posts in reviews_vi.tsv (written for rcommerce).

Product reviews and forum talk across many domains (phones, laptops and PC parts, audio, cameras,
appliances, fashion, cosmetics, groceries, services, delivery, vehicles, software), with and
without diacritics, in teencode, short and long, in three classes: `positive` and `negative`
(verdicts, including contrast, sarcasm, mild complaints and "ok but" text, labelled by their
overall verdict) and `none` (no opinion: questions, specifications, news, prices, plans,
instructions, comparisons without a verdict, requests for advice). Every domain appears in every
class, so a model trained on them cannot tell the classes apart by topic. No row was copied or
adapted from any dataset. scripts/train_sentiment.py trains on them (the polarity model on the
verdicts together with Foody, the opinion model on all of them); they are not read at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

REVIEWS_PATH = Path(__file__).with_name("reviews_vi.tsv")
ReviewLabel = Literal["positive", "negative", "none"]
LABELS: tuple[ReviewLabel, ...] = ("positive", "negative", "none")


def read_reviews(path: Path = REVIEWS_PATH) -> list[tuple[str, ReviewLabel]]:
    """(text, label) rows of the TSV file (header `label<TAB>text`); raises on a bad row."""
    rows: list[tuple[str, ReviewLabel]] = []
    with path.open(encoding="utf-8") as handle:
        if handle.readline().rstrip("\n") != "label\ttext":
            raise ValueError(f"{path}: expected the header 'label<TAB>text'")
        for number, line in enumerate(handle, start=2):
            label, sep, text = line.rstrip("\n").partition("\t")
            if not sep or not text.strip():
                raise ValueError(f"{path}:{number}: expected 'label<TAB>text'")
            for known in LABELS:
                if label == known:
                    rows.append((text, known))
                    break
            else:
                raise ValueError(f"{path}:{number}: unknown label {label!r}")
    return rows
