"""Hand-written examples for rcommerce.sentiment.analyze in Vietnamese and English."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcommerce.sentiment import SCORER_VERSION, analyze

VI_CASES = [
    ("Sản phẩm rất tốt, giao hàng nhanh, đóng gói cẩn thận", "positive"),
    ("san pham rat tot, giao hang nhanh", "positive"),
    ("Hàng đẹppppp quáaaa, shop tư vấn nhiệt tình ^^", "positive"),
    ("sp ok, dc giá, ship nhanh 👍", "positive"),
    ("Hàng kém chất lượng, dùng hai ngày đã hỏng", "negative"),
    ("hang kem chat luong, dung hai ngay da hong", "negative"),
    ("Sản phẩm không tốt, thất vọng :(", "negative"),
    ("sp ko dep nhu hinh, that vong", "negative"),
    ("Áo không đẹp như hình, vải mỏng dính", "negative"),
    ("Lúc đầu tưởng không ổn nhưng dùng rồi thấy rất tốt", "positive"),
    ("Giao hàng nhanh nhưng sản phẩm bị lỗi, rất thất vọng", "negative"),
    ("chẳng đẹp gì cả, chán", "negative"),
    ("😍😍😍", "positive"),
    ("😡👎", "negative"),
]

EN_CASES = [
    ("Great product, fast delivery, exactly as described.", "positive"),
    ("It does the job.", "positive"),
    ("Five stars, would buy again", "positive"),
    ("Stopped working after two days.", "negative"),
    ("I returned it.", "negative"),
    ("Total waste of money.", "negative"),
    ("Arrived broken and the seller never replied.", "negative"),
    ("The package never arrived.", "negative"),
    ("It fell apart within a week.", "negative"),
    ("Would not recommend.", "negative"),
    ("Not as described at all.", "negative"),
    ("The box was nice but the product is junk.", "negative"),
]


@pytest.mark.parametrize(("text", "label"), VI_CASES)
def test_vietnamese_labels(text: str, label: str) -> None:
    result = analyze(text)
    assert result.language == "vi"
    assert result.label == label, (text, result)


@pytest.mark.parametrize(("text", "label"), EN_CASES)
def test_english_labels(text: str, label: str) -> None:
    result = analyze(text)
    assert result.language == "en"
    assert result.label == label, (text, result)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("san pham rat tot, giao hang nhanh", "vi"),
        ("Sản phẩm tuyệt vời", "vi"),
        ("hang ok, shop giao nhanh", "vi"),
        ("The quality is great and the price is fair", "en"),
        ("Ce produit est très bien, je le recommande", "other"),
        ("Dieses Produkt ist sehr gut und nicht teuer", "other"),
        ("这个产品很好，我很喜欢", "other"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert analyze(text).language == language


def test_other_language_is_neutral_and_flagged() -> None:
    result = analyze("Ce produit est très bien, je le recommande")
    assert result.label == "neutral"
    assert result.compound == 0.0
    assert result.is_other_language
    assert "other_language" in result.flags


def test_short_text_uses_store_language() -> None:
    assert analyze("ok", language="vi").language == "vi"
    assert analyze("ok", language="en").language == "en"
    assert analyze("👍", language="en").label == "positive"
    assert analyze("").label == "neutral"


def test_vietnamese_aspects_per_clause() -> None:
    result = analyze("Giao hàng nhanh, đóng gói cẩn thận nhưng chất lượng kém, giá hơi đắt")
    assert result.aspects["delivery"] > 0
    assert result.aspects["packaging"] > 0
    assert result.aspects["quality"] < 0
    assert result.aspects["price"] < 0
    assert "service" not in result.aspects


def test_vietnamese_aspects_without_diacritics() -> None:
    result = analyze("giao hang cham, shop tra loi nhiet tinh, hang dung nhu mo ta")
    assert result.aspects["delivery"] < 0
    assert result.aspects["service"] > 0
    assert result.aspects["matches_description"] > 0


def test_english_aspects_per_clause() -> None:
    result = analyze("Fast delivery and great packaging, but the quality is poor and overpriced.")
    assert result.aspects["delivery"] > 0
    assert result.aspects["packaging"] > 0
    assert result.aspects["quality"] < 0
    assert result.aspects["price"] < 0


def test_no_aspects_when_none_mentioned() -> None:
    assert analyze("Tuyệt vời!").aspects == {}
    assert analyze("I love it!").aspects == {}


def test_result_records_scorer_version() -> None:
    assert analyze("tốt").scorer_version == SCORER_VERSION


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "vi", "en", "fr"]))
def test_compound_is_bounded(text: str, language: str | None) -> None:
    result = analyze(text, language)
    assert -1.0 <= result.compound <= 1.0
    assert result.label in ("positive", "neutral", "negative")
    assert result.language in ("vi", "en", "other")
    assert all(-1.0 <= value <= 1.0 for value in result.aspects.values())


@pytest.mark.parametrize("marker", ["tuy nhiên", "tuy nhien", "có điều", "co dieu"])
def test_two_word_contrast_words_weigh_like_nhung(marker: str) -> None:
    """ "A tuy nhiên B" and "A có điều B" give B the weight "A nhưng B" gives it (the words
    themselves carry their own small model weights)."""
    first, then = "Máy đẹp, chạy mượt", "pin yếu, sạc lâu"
    listed = analyze(f"{first}, {then}", language="vi")
    plain = analyze(f"{first} nhưng {then}", language="vi")
    two_words = analyze(f"{first} {marker} {then}", language="vi")
    assert listed.label == "positive"
    assert plain.label == two_words.label == "negative"
    assert two_words.compound == pytest.approx(plain.compound, abs=0.1)


def test_vietnamese_aspects_split_at_two_word_markers() -> None:
    result = analyze("Chất lượng tốt có điều giao hàng chậm quá", language="vi")
    assert result.aspects["quality"] > 0
    assert result.aspects["delivery"] < 0
