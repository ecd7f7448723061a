"""Who a buyer is: phone numbers in E.164 and e-mail addresses in one spelling (pure, no database).

``0901 234 567``, ``+84 90 123 4567`` and ``84901234567`` are one buyer: each becomes ``+84901234567``.
The fraud-check folding of Gmail dots and plus-tags is not done here: it lives in
``rcommerce.advocates.service.canonical_email`` and is applied only where fraud is checked.
"""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

DEFAULT_REGION = "VN"
# Longer than any E.164 number with formatting around it; longer input is not a phone number.
_MAX_PHONE_INPUT = 40


class InvalidPhone(ValueError):
    """The text is not a valid phone number for the region it was read in."""


def parse_phone(raw: str, *, region: str | None = DEFAULT_REGION) -> str:
    """The number in E.164 (``+84901234567``), or InvalidPhone.

    ``region`` (ISO 3166 alpha-2) says how to read a number written without its country code;
    a number that starts with ``+``, ``00`` or the region's own country code needs none.
    """
    text = raw.strip()
    if not text or len(text) > _MAX_PHONE_INPUT:
        raise InvalidPhone(f"{raw!r} is not a phone number")
    try:
        number = phonenumbers.parse(text, (region or DEFAULT_REGION).upper())
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"{raw!r} is not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(raw: str | None, *, region: str | None = DEFAULT_REGION) -> str | None:
    """Like parse_phone, but None for an empty, missing or invalid number (what webhooks need)."""
    if raw is None:
        return None
    try:
        return parse_phone(str(raw), region=region)
    except InvalidPhone:
        return None


def zalo_phone(e164: str) -> str:
    """The form Zalo ZNS and most Vietnamese SMS gateways take: ``+84901234567`` -> ``84901234567``."""
    return e164.removeprefix("+")


def normalise_email(raw: str | None) -> str | None:
    """Trimmed and lower-cased; None when empty or not an address (Sapo GO sends ``""``)."""
    if raw is None:
        return None
    value = str(raw).strip()
    if not value:
        return None
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return None
    return value.lower()
