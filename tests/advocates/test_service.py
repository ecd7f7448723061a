"""Advocates: referral codes and the canonical e-mail behind self-referral checks."""

from __future__ import annotations

from rcommerce.advocates import service

LOOK_ALIKES = set("0O1IL2Z5S8B")


def test_codes_are_short_and_have_no_look_alikes() -> None:
    codes = {service.new_referral_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == 7 and not LOOK_ALIKES & set(code)
    assert service.clean_code(" ab-c d ") == "ABCD"


def test_canonical_email_for_self_referral() -> None:
    assert service.canonical_email("A.Li+shop@GoogleMail.com") == "ali@gmail.com"
    assert service.canonical_email("a.li+x@example.com") == "a.li@example.com"
