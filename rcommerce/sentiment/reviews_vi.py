"""The hand-written Vietnamese reviews and forum posts in reviews_vi.tsv (written for rcommerce).

8,509 rows (2,801 positive, 2,809 negative, 2,899 no opinion), the one place for them: the
first 1,309 (short and long product reviews and forum posts) were written in one round; the
next 3,004 in a second round, longer and messier, like real forum posts and marketplace
comments (a quarter without diacritics, teencode, emoji, sarcasm): 997 about technology
forums and shops (phones, laptops and PC parts, audio, cameras, TVs, networks, software and
games, repair shops), 1,008 about marketplace goods (fashion, cosmetics, household and
kitchen goods, furniture, baby goods, groceries, books, sports, pets, shops and delivery) and
999 about services and vehicles (motorbikes, cars and EVs, garages, carriers, telecoms, banks
and insurance, travel and airlines, health, beauty, housing, repairs). A third round of
1,800 (rows 4,314-6,113, 600 per label) are comments from technology forums and news
threads: 600 about phones, tablets, watches and earbuds, 600 about computers, audio, video
and accessories, 600 about software, services, shops and tech companies (brand arguments,
irony, price complaints, advice to buy something else, wishes and replies without a verdict).
A fourth round of 2,396 (rows 6,114-8,509) are replies in such threads: about phones, about
cameras, audio, TVs and home appliances, about carriers, apps, shops and services, and about
laptops, PC parts, consoles and games. Labels: `positive` and
`negative` (verdicts, including contrast, sarcasm, mild complaints, rhetorical questions and
"ok but" text, labelled by their overall verdict) and `none` (no opinion: questions and
requests for advice, also those containing opinion words, specifications, news, prices, shop
notices, plans, instructions, comparisons without a verdict). Every domain appears in every
class, so a model trained on them cannot tell the classes apart by topic. No row was copied
or adapted from any dataset, and none was written by looking at evaluation rows.
scripts/train_sentiment.py trains on them (the polarity model on the verdicts together with
Foody, the opinion model on all of them); they are not read at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, cast

REVIEWS_PATH = Path(__file__).with_name("reviews_vi.tsv")
ReviewLabel = Literal["positive", "negative", "none"]
LABELS: tuple[ReviewLabel, ...] = ("positive", "negative", "none")


def read_reviews(path: Path = REVIEWS_PATH) -> list[tuple[str, ReviewLabel]]:
    """(text, label) rows of the TSV file (header `label<TAB>text`); raises on a bad row."""
    return cast(list[tuple[str, ReviewLabel]], _labelled_rows(path, LABELS))


def _labelled_rows(path: Path, labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """(text, label) rows of a `label<TAB>text` file whose labels are ``labels``; raises on a
    bad row."""
    rows: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as handle:
        if handle.readline().rstrip("\n") != "label\ttext":
            raise ValueError(f"{path}: expected the header 'label<TAB>text'")
        for number, line in enumerate(handle, start=2):
            label, sep, text = line.rstrip("\n").partition("\t")
            if not sep or not text.strip():
                raise ValueError(f"{path}:{number}: expected 'label<TAB>text'")
            if label not in labels:
                raise ValueError(f"{path}:{number}: unknown label {label!r}")
            rows.append((text, label))
    return rows


ASPECT_ROWS_PATH = Path(__file__).with_name("aspects_vi.tsv")
AspectLabel = Literal["positive", "negative", "neutral"]


def read_aspect_rows(path: Path = ASPECT_ROWS_PATH) -> list[tuple[str, AspectLabel, str]]:
    """(aspect, label, text) rows of aspects_vi.tsv (header `aspect<TAB>label<TAB>text`):
    hand-written reviews labelled for one aspect they name (written for rcommerce, used only
    to choose how aspects are scored, never read at run time); raises on a bad row."""
    rows: list[tuple[str, AspectLabel, str]] = []
    with path.open(encoding="utf-8") as handle:
        if handle.readline().rstrip("\n") != "aspect\tlabel\ttext":
            raise ValueError(f"{path}: expected the header 'aspect<TAB>label<TAB>text'")
        for number, line in enumerate(handle, start=2):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or not parts[2].strip():
                raise ValueError(f"{path}:{number}: expected 'aspect<TAB>label<TAB>text'")
            aspect, label, text = parts
            if label not in ("positive", "negative", "neutral"):
                raise ValueError(f"{path}:{number}: unknown label {label!r}")
            rows.append((aspect, label, text))  # type: ignore[arg-type]
    return rows


VERDICT_ROWS_PATH = Path(__file__).with_name("verdicts_vi.tsv")


def read_verdict_rows(path: Path = VERDICT_ROWS_PATH) -> list[tuple[str, AspectLabel]]:
    """(text, label) rows of verdicts_vi.tsv (header `label<TAB>text`): hand-written buyer
    reviews of phones and electronics labelled by their overall verdict (mixed ones too;
    `neutral` when the buyer states none), written for rcommerce to measure the 3-class
    reading of such reviews; never trained on, never read at run time. Raises on a bad row."""
    labels = ("positive", "negative", "neutral")
    return cast(list[tuple[str, AspectLabel]], _labelled_rows(path, labels))
