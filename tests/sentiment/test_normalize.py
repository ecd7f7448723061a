"""Canonical tokens: accents stripped, teencode expanded, and words that only share their
accent-stripped form with a lexicon key, a negation or an intensifier kept apart."""

from __future__ import annotations

import unicodedata

from rcommerce.sentiment.normalize import canonical_tokens, read_tokens


def test_stretched_letters_collapse_but_uu_is_a_vowel() -> None:
    assert canonical_tokens("quáaaa đẹppppp") == ["qua", "dep"]
    # "ưu" strips to "uu": "hữu" must not become "hu" (hư, broken)
    assert canonical_tokens("hữu ích, lưu ý, ưu điểm") == [
        "huu", "ich", ",", "luu", "y", ",", "uu", "diem",
    ]  # fmt: skip
    assert canonical_tokens("huuuu") == ["hu"]


def test_teencode_typed_with_accents_only_when_it_is_teencode() -> None:
    assert canonical_tokens("hông thích, đc, nhìu") == [
        "khong", "thich", ",", "duoc", ",", "nhieu",
    ]  # fmt: skip
    # "hồng" (pink), "hẻm" (alley), "ỉu" (soggy) and the particle "à" are words of their own
    assert canonical_tokens("màu hồng trong hẻm ỉu à") == [
        "mau", "hong", "trong", "hem", "iu", "a",
    ]  # fmt: skip
    # typed without accents, teencode is expanded as before
    assert canonical_tokens("hong thich iu") == ["khong", "thich", "yeu"]


def test_words_of_another_sense_are_marked() -> None:
    read = read_tokens("Tiếp tục sửa chữa bản quốc tế, tốt nhất")
    assert read.words == ["tiep", "tuc", "sua", "chua", "ban", "quoc", "te", ",", "tot", "nhat"]
    # "tục" is not "tức" (angry), "tế" is not "tệ", "nhất" (most) is not "nhạt" (bland) ...
    assert read.not_lexicon == {1, 6, 9}
    # ... "chữa" (to repair) is not the negation "chưa"; "nhất" does intensify
    assert read.not_modifier == {3}
    # misplaced tone marks still match; typed without accents every key applies
    assert read_tokens("qúa tốt").not_modifier == frozenset()
    assert read_tokens("tiep tuc sua chua ban quoc te").not_lexicon == frozenset()
    # a missing tone is another word: "thôi" is not "thối" (rotten)
    assert read_tokens("đẹp quá đi thôi").not_lexicon == {3}


def test_plain_words_in_text_typed_with_accents() -> None:
    # "xin" typed plainly among accented words is "please", not "xịn" without its accent
    assert read_tokens("cho em xin tư vấn").not_lexicon == {2}
    assert read_tokens("may xin qua").not_lexicon == frozenset()


def test_any_text_is_read() -> None:
    # decomposed accents, capitals, other scripts and symbols: tokens line up or fall back
    texts = [
        unicodedata.normalize("NFD", "Sản phẩm TỐT, giao hàng nhanh"),
        "İstanbul ß straße 東京 тест đẹp quá 😍👍",
        "ĐẸP QUÁÁÁ!!! hữuuu ích___ 10/10",
        "a\u0301\u0301 e\u0323",
    ]
    for text in texts:
        read = read_tokens(text)
        assert all(i < len(read.words) for i in read.not_lexicon | read.not_modifier)
    assert canonical_tokens(texts[0]) == canonical_tokens("Sản phẩm TỐT, giao hàng nhanh")
