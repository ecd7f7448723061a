"""Known misreadings (issue #21): each was read wrongly by scorer 2026.11-7 and must stay fixed.

Every sentence here was written for these tests; none comes from an evaluation set.
"""

from __future__ import annotations

import pytest

from rcommerce.sentiment import FLAG_SARCASM, analyze


@pytest.mark.parametrize(
    "text",
    [
        "không phải là hàng tệ, khá ổn",
        "Không phải là hàng tệ đâu, dùng khá ổn",
        "khong phai la hang te, kha on",
        "chẳng phải đồ dỏm, dùng ổn",
    ],
)
def test_negated_negative_is_not_negative(text: str) -> None:
    assert analyze(text).label in ("positive", "neutral")


@pytest.mark.parametrize(
    "text", ["Sản phẩm bình thường", "san pham binh thuong", "Sản phẩm bình thường."]
)
def test_plain_mediocre_verdict_is_neutral(text: str) -> None:
    result = analyze(text)
    assert result.label == "neutral"
    # Neutral aspects too: nothing here is quoted as a complaint.
    assert all(abs(v) < 0.05 for v in result.aspects.values())


def test_mediocre_next_to_a_complaint_stays_negative() -> None:
    assert analyze("Sản phẩm bình thường, giao hàng chậm, đóng gói cẩu thả").label == "negative"


@pytest.mark.parametrize(
    "text",
    ["đẹp kinh khủng", "Áo đẹp kinh khủng, mặc rất thích", "dep kinh khung", "ngon khủng khiếp"],
)
def test_horribly_good_is_praise(text: str) -> None:
    assert analyze(text).label == "positive"


@pytest.mark.parametrize("text", ["xấu kinh khủng", "giao hàng chậm kinh khủng"])
def test_horrible_after_a_complaint_is_still_a_complaint(text: str) -> None:
    assert analyze(text).label == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Tuyệt vời, đặt hàng 2 tuần rồi vẫn chưa nhận được. Cảm ơn shop nhiều nhé",
        "tuyet voi, dat hang 2 tuan roi van chua nhan duoc. cam on shop nhieu nhe",
        "Xuất sắc, giao nhầm màu lần thứ hai.",
    ],
)
def test_sarcasm_after_a_complaint_is_negative_and_flagged(text: str) -> None:
    result = analyze(text)
    assert result.label == "negative"
    assert result.sarcasm
    assert FLAG_SARCASM in result.flags


@pytest.mark.parametrize(
    "text", ["Great, another broken zipper", "Oh perfect. It stopped working after two days."]
)
def test_english_sarcasm_is_negative_and_flagged(text: str) -> None:
    result = analyze(text)
    assert result.label == "negative"
    assert result.sarcasm


@pytest.mark.parametrize(
    "text",
    [
        "Cảm ơn shop, áo đẹp, giao nhanh",
        "Tuyệt vời, vải mịn, đường may chắc chắn",
        "Great, the zipper works perfectly",
        "Áo đẹp, nhưng giao hàng chậm",
    ],
)
def test_sincere_praise_is_not_sarcasm(text: str) -> None:
    assert not analyze(text).sarcasm


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # "me" typed without accents: mẹ (mother) next to kin words and "cho"; mê otherwise.
        ("mua cho me cai ao", "neutral"),
        ("me minh bao hang nay te lam", "negative"),
        ("me cai vay nay qua", "positive"),
        ("mình mê chiếc váy này", "positive"),
        ("Tặng mẹ, mẹ rất ưng", "positive"),
        # "sai" (wrong) against "sài", the common misspelling of "xài" (to use).
        ("sai 2 thang roi van tot", "positive"),
        ("sài 2 tháng rồi vẫn tốt", "positive"),
        ("shop giao sai mau", "negative"),
        ("hang sai, khong giong hinh", "negative"),
        # "bí": pumpkin or stuffy, never "bị" (passive of harm).
        ("Canh bí đỏ ngon, giá rẻ", "positive"),
        ("Phòng bí bách, nóng nực", "negative"),
    ],
)
def test_words_typed_without_accents_keep_their_sense(text: str, label: str) -> None:
    assert analyze(text).label == label


def test_plain_me_is_no_praise_next_to_kin_words() -> None:
    # The same sentence with a word that carries no opinion in place of "me".
    assert abs(analyze("mua cho me cai ao").compound) < 0.05
    assert abs(analyze("mua cho ban cai ao").compound) < 0.05
