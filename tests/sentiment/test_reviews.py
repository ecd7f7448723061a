"""The hand-written reviews and forum posts (reviews_vi.tsv) that train the Vietnamese models."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rcommerce.sentiment.normalize import canonical_tokens
from rcommerce.sentiment.reviews_vi import read_aspect_rows, read_reviews, read_verdict_rows


def test_shipped_reviews_cover_three_classes_without_duplicates() -> None:
    rows = read_reviews()
    counts = Counter(label for _, label in rows)
    assert set(counts) == {"positive", "negative", "none"}
    assert min(counts.values()) >= 400
    canonical = [" ".join(canonical_tokens(text)) for text, _ in rows]
    assert len(set(canonical)) == len(canonical)


def test_reviews_mix_diacritics_and_plain_text() -> None:
    rows = read_reviews()
    plain = [text for text, _ in rows if text.isascii()]
    for label in ("positive", "negative", "none"):
        assert any(lab == label for text, lab in rows if text in plain), label


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("text\tlabel\nok\tpositive\n", "header"),
        ("label\ttext\npositive\n", "label<TAB>text"),
        ("label\ttext\nneutral\tmáy này bao nhiêu tiền\n", "unknown label"),
    ],
)
def test_bad_rows_are_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "reviews.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_reviews(path)


def test_price_rows_cover_three_classes_without_duplicates() -> None:
    rows = read_aspect_rows()
    counts = Counter(label for aspect, label, _ in rows if aspect == "price")
    assert set(counts) == {"positive", "negative", "neutral"}
    assert min(counts.values()) >= 80
    canonical = [" ".join(canonical_tokens(text)) for _, _, text in rows]
    assert len(set(canonical)) == len(canonical)
    # None repeats a row that trains the polarity model.
    trained = {" ".join(canonical_tokens(text)) for text, _ in read_reviews()}
    assert not trained & set(canonical)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("label\ttext\npositive\tgiá rẻ\n", "header"),
        ("aspect\tlabel\ttext\nprice\tpositive\n", "aspect<TAB>label<TAB>text"),
        ("aspect\tlabel\ttext\nprice\tnone\tgiá 5 triệu\n", "unknown label"),
    ],
)
def test_bad_aspect_rows_are_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "aspects.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_aspect_rows(path)


def test_verdict_rows_are_new_and_labelled_by_verdict() -> None:
    rows = read_verdict_rows()
    counts = Counter(label for _, label in rows)
    assert set(counts) == {"positive", "negative", "neutral"}
    assert counts["positive"] >= 50 and counts["negative"] >= 50
    canonical = [" ".join(canonical_tokens(text)) for text, _ in rows]
    assert len(set(canonical)) == len(canonical)
    # None repeats a row that trains a model or the price rows.
    trained = {" ".join(canonical_tokens(text)) for text, _ in read_reviews()}
    priced = {" ".join(canonical_tokens(text)) for _, _, text in read_aspect_rows()}
    assert not (trained | priced) & set(canonical)


def test_bad_verdict_rows_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "verdicts.tsv"
    path.write_text("label\ttext\nnone\tmáy ổn\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown label"):
        read_verdict_rows(path)
