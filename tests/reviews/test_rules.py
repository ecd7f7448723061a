"""The moderation rules on their own: no database, no HTTP."""

from __future__ import annotations

from rcommerce.reviews import rules


def test_word_lists_know_diacritics() -> None:
    assert rules.profanity("Đm shop") == "severe"
    assert rules.profanity("đéo bao giờ mua lại") == "severe"
    assert rules.profanity("deo biet lam an") == "mild"
    assert rules.profanity("ngon vl") == "mild"  # an intensifier as often as an insult
    # Honest complaints and ordinary words that collide once the marks are gone:
    for text in (
        "Shop lừa đảo, hàng giả",
        "lua dao, hang gia",
        "đeo tai nghe rất êm, size hơi lớn",
        "deo tai nghe rat em, size hoi lon",
        "vải đẹp, các bạn nên mua, cực kỳ ổn",
        "cac ban nen mua, buoi sang giao",
        "crap quality, it sucks",
    ):
        assert rules.profanity(text) is None, text
