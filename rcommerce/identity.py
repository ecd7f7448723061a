"""Who a buyer is: phone numbers in E.164 and e-mail addresses in one spelling (pure, no database).

``0901 234 567``, ``+84 90 123 4567`` and ``84901234567`` are one buyer: each becomes ``+84901234567``.
The fraud-check folding of Gmail dots and plus-tags is not done here: it lives in
``rcommerce.advocates.service.canonical_email`` and is applied only where fraud is checked;
``skeleton`` is the look-alike folding it starts from.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Person:
    """Someone a data request is about: an e-mail address (lower case) and/or a phone number
    (E.164); whatever a store keeps under either is theirs."""

    email: str | None = None
    phone: str | None = None

    @property
    def addresses(self) -> list[str]:
        """The e-mail and the phone, those given."""
        return [a for a in (self.email, self.phone) if a]


# Letters with a stroke, which no decomposition takes apart (Vietnamese đ first of all).
_STROKES = {"đ": "d", "ð": "d", "ł": "l", "ø": "o", "ħ": "h", "ŧ": "t", "ƀ": "b", "ɨ": "i"}


def skeleton(text: str) -> str:
    """``text`` folded so that look-alikes meet, after Unicode TR 39's skeletons: compatibility
    forms (NFKC: fullwidth ``ｌａｎ``, ligatures), case, accents and other combining marks
    (``lân`` -> ``lan``), letters with a stroke (``đ``), and letters of other scripts that look
    like a Latin letter or digit (Cyrillic ``а``, Greek ``Ο``; Unicode's confusables, as the
    confusable-homoglyphs package ships them) all become plain ASCII. ASCII itself is kept as
    it is: ``rn`` and ``m`` are different mailboxes."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    if decomposed.isascii():
        return decomposed.casefold()
    prototypes = _latin_prototypes()
    out = []
    for char in decomposed:
        if unicodedata.category(char) == "Mn":
            continue
        lower = char.casefold()
        out.append(_STROKES.get(lower) or prototypes.get(char) or prototypes.get(lower) or lower)
    return "".join(out).casefold()


@functools.cache
def _latin_prototypes() -> dict[str, str]:
    """Each non-ASCII character that Unicode lists as confusable with an ASCII letter or digit,
    mapped to it (one of the same case first: Greek ``Ν`` is ``N``, ``ν`` is ``v``). Loaded on
    first use: the table is large."""
    from confusable_homoglyphs import confusables

    table: dict[str, str] = {}
    for char, homoglyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_forms = sorted(
            (h["c"] for h in homoglyphs if h["c"].isascii() and h["c"].isalnum()),
            key=lambda c: (c.isupper() != char.isupper(), c.isdigit(), c),
        )
        if ascii_forms:
            # Unicode's prototype of I-like letters is "l"; a capital one reads as "I".
            form = ascii_forms[0]
            table[char] = "I" if form == "l" and char.isupper() else form
    return table
