"""The 'has an opinion?' model: weak-evidence Vietnamese text with no sign of an opinion (specs,
news, plans, comparisons without a verdict) is neutral; verdicts, including mixed ones, are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rcommerce.sentiment import analyze
from rcommerce.sentiment.forum_vi import NO_OPINION_SENTENCES, OPINION_SENTENCES
from rcommerce.sentiment.model import load_model
from rcommerce.sentiment.normalize import read_tokens
from rcommerce.sentiment.opinion import (
    FEATURE_NAMES,
    OPINION_PATH,
    OpinionModel,
    load_opinion_model,
)
from rcommerce.sentiment.vietnamese import NEUTRAL_BAND, NO_OPINION, VietnameseScorer


@pytest.fixture(scope="module")
def scorers() -> tuple[VietnameseScorer, VietnameseScorer]:
    model = load_model()
    return VietnameseScorer(model), VietnameseScorer(model, load_opinion_model())


NO_OPINION_EXAMPLES = [
    "Samsung vừa ra mắt mẫu máy tính bảng mới, màn 11 inch",
    "mình định cuối tháng mua laptop cho con đi học",
    "ban wifi re hon ban 4g khoang 3 trieu",
]


@pytest.mark.parametrize("text", NO_OPINION_EXAMPLES)
def test_statements_without_opinion_are_neutral(text: str) -> None:
    result = analyze(text, language="vi")
    assert result.label == "neutral"
    assert abs(result.compound) < NEUTRAL_BAND


def test_opinion_model_moves_weak_statements_and_keeps_their_sign(
    scorers: tuple[VietnameseScorer, VietnameseScorer],
) -> None:
    plain, gated = scorers
    moved = 0
    for text in NO_OPINION_SENTENCES:
        before = plain.score(text).compound
        after = gated.score(text).compound
        # The no-opinion decision reads the text with the model at OPINION_MODEL_WEIGHT,
        # whatever the polarity's MODEL_WEIGHT: its evidence compound.
        evidence = gated.evidence(text, read_tokens(text))[0]
        if before and after:
            assert (before > 0) == (after > 0), text  # two-class readers keep the lean
        if abs(before) >= NEUTRAL_BAND and abs(after) < NEUTRAL_BAND:
            moved += 1
            assert abs(evidence) < NO_OPINION, text  # only weak evidence is ever moved
    assert moved >= 20


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("máy này pin trâu thật, dùng cả ngày vẫn còn", "positive"),
        ("Máy đẹp, chạy mượt, mỗi tội pin hơi yếu", "positive"),
        ("dùng được 3 tháng là lag, chán", "negative"),
        ("giao sai màu, thiếu hàng, 1 sao", "negative"),
    ],
)
def test_verdicts_keep_their_label(text: str, label: str) -> None:
    assert analyze(text, language="vi").label == label


def test_opinion_model_separates_the_handwritten_sentences(
    scorers: tuple[VietnameseScorer, VietnameseScorer],
) -> None:
    _, gated = scorers
    assert gated.opinion is not None
    opinion = gated.opinion
    right = sum(
        opinion.probability(gated.evidence(t, read_tokens(t))[1]) < 0.5
        for t in NO_OPINION_SENTENCES
    ) + sum(
        opinion.probability(gated.evidence(t, read_tokens(t))[1]) >= 0.5
        for t, _ in OPINION_SENTENCES
    )
    assert right >= 0.8 * (len(NO_OPINION_SENTENCES) + len(OPINION_SENTENCES))


def test_opinion_model_file_is_checked(tmp_path: Path) -> None:
    payload = json.loads(OPINION_PATH.read_text(encoding="utf-8"))
    assert payload["features"] == list(FEATURE_NAMES)
    assert len(payload["weights"]) == len(FEATURE_NAMES)
    wrong_format = tmp_path / "format.json"
    wrong_format.write_text(json.dumps({**payload, "format": "other/1"}), encoding="utf-8")
    with pytest.raises(ValueError, match="format"):
        load_opinion_model(wrong_format)
    wrong_features = tmp_path / "features.json"
    wrong_features.write_text(
        json.dumps({**payload, "features": list(reversed(FEATURE_NAMES))}), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="features"):
        load_opinion_model(wrong_features)


def test_ngram_weights_count_once_per_text() -> None:
    zeros = (0.0,) * len(FEATURE_NAMES)
    model = OpinionModel(
        bias=0.0,
        means=zeros,
        scales=(1.0,) * len(FEATURE_NAMES),
        weights=zeros,
        ngrams={"bao nhieu": -2.0, "dang tien": 3.0},
    )
    assert model.probability(zeros) == 0.5
    asks = model.probability(zeros, ["gia", "bao nhieu", "bao nhieu"])
    assert asks == pytest.approx(model.probability(zeros, ["bao nhieu"]))
    assert asks < 0.5 < model.probability(zeros, ["dang tien"])


def test_shipped_opinion_model_reads_words_that_state_or_withhold_a_verdict() -> None:
    ngrams = load_opinion_model().ngrams
    for verdict in ("dang tien", "that vong", "hai long"):
        assert ngrams[verdict] > 0, verdict
    for report in ("du kien", "ra mat", "cong bo", "chua dung"):
        assert ngrams[report] < 0, report
