"""Buyer identity: the spellings of one Vietnamese number are one buyer; bad input is None."""

from __future__ import annotations

import pytest

from rcommerce.identity import (
    InvalidPhone,
    normalise_email,
    normalise_phone,
    parse_phone,
    zalo_phone,
)


@pytest.mark.parametrize(
    "raw",
    [
        "0901 234 567",
        "+84 90 123 4567",
        "84901234567",
        "0084901234567",
        "(+84) 901-234-567",
        " 090.123.4567 ",
    ],
)
def test_every_spelling_of_a_vietnamese_mobile_is_one_number(raw: str) -> None:
    assert normalise_phone(raw) == "+84901234567"
    assert parse_phone(raw) == "+84901234567"


def test_a_landline_and_a_foreign_number() -> None:
    assert normalise_phone("028 3812 3456") == "+842838123456"
    assert normalise_phone("+380993350918") == "+380993350918"


def test_the_region_reads_numbers_written_without_a_country_code() -> None:
    assert normalise_phone("(650) 253-0000", region="US") == "+16502530000"
    assert normalise_phone("(650) 253-0000", region=None) is None  # read as Vietnamese: invalid


@pytest.mark.parametrize(
    "raw", [None, "", "   ", "123", "555-555-SHIP", "not a phone", "0" * 60, "+1 (555) 555-5555"]
)
def test_invalid_numbers_are_none(raw: str | None) -> None:
    assert normalise_phone(raw) is None


def test_parse_phone_says_why() -> None:
    with pytest.raises(InvalidPhone, match="not a valid phone number"):
        parse_phone("0281234567")
    with pytest.raises(InvalidPhone, match="not a phone number"):
        parse_phone("")


def test_zalo_takes_the_number_without_its_plus() -> None:
    assert zalo_phone("+84901234567") == "84901234567"


def test_emails_are_trimmed_and_lower_cased() -> None:
    assert normalise_email("  Jon.Doe+shop@Example.COM ") == "jon.doe+shop@example.com"


@pytest.mark.parametrize("raw", [None, "", "  ", "a@b", "no-at-sign"])
def test_missing_or_broken_emails_are_none(raw: str | None) -> None:
    assert normalise_email(raw) is None
