"""Reading platform JSON defensively: ids, money, dates, names, phones and the carried ``rc_ref``.

Webhook bodies are other people's data: every reader here accepts a missing, null or oddly typed
field and answers None (or a safe default) instead of raising.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rcommerce.identity import normalise_email, normalise_phone

Json = Mapping[str, Any]

REFERRAL_KEY = "rc_ref"
# The embed script keeps only tokens of this shape (URL-safe base64 with dots), so do we.
_TOKEN = re.compile(r"^[\w.~-]{8,1024}$")
_TOKEN_IN_TEXT = re.compile(r"(?:^|[^\w])_?rc_ref\s*[=:]\s*([\w.~-]{8,1024})")


def obj(value: Any) -> Json:
    """A JSON object, or an empty one when the field is missing or not an object."""
    return value if isinstance(value, Mapping) else {}


def objects(value: Any) -> list[Json]:
    """The objects of a JSON array (anything else in it is skipped)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def text(value: Any) -> str | None:
    """A non-empty trimmed string (numbers become their decimal text), else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        value = format(Decimal(str(value)), "f") if isinstance(value, float) else str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def ident(value: Any) -> str | None:
    """A platform id as a string: ``820982911946154508`` -> ``"820982911946154508"``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text(value)


def money(value: Any) -> Decimal | None:
    """A decimal amount from ``"404.95"``, ``404.95`` or ``250000``; None when not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def count(value: Any, default: int = 1) -> int:
    """A positive quantity; ``default`` when missing or not a positive whole number."""
    try:
        number = int(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return default
    return number if number > 0 else default


def when(value: Any, *, naive_is_utc: bool = True) -> datetime | None:
    """An ISO 8601 timestamp (``Z``, offsets, or none); None when absent or unreadable.

    WooCommerce's ``*_gmt`` fields carry no offset but are UTC; other naive times are taken as
    UTC too unless ``naive_is_utc`` is False (then they stay naive for the caller to place).
    """
    raw = text(value)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None and naive_is_utc:
        moment = moment.replace(tzinfo=UTC)
    return moment


def full_name(*parts: Any) -> str:
    return " ".join(p for p in (text(part) for part in parts) if p)


def first_email(*candidates: Any) -> str | None:
    for candidate in candidates:
        email = normalise_email(text(candidate))
        if email:
            return email
    return None


def first_phone(candidates: Iterable[tuple[Any, Any]], region: str) -> str | None:
    """The first candidate that is a valid number. Each candidate is (phone, country code of the
    address it came from, or None); the address's country beats the store's default region."""
    for raw, country in candidates:
        phone = normalise_phone(text(raw), region=text(country) or region)
        if phone:
            return phone
    return None


def _token(value: Any) -> str | None:
    candidate = text(value)
    if candidate is None:
        return None
    candidate = candidate.split("rc_ref=", 1)[-1] if "rc_ref=" in candidate else candidate
    return candidate if _TOKEN.match(candidate) else None


def referral_from_attributes(
    items: Any, *, key_fields: tuple[str, ...] = ("name", "key")
) -> str | None:
    """``rc_ref`` from a list of ``{name|key, value}`` pairs (Shopify/Haravan/Sapo note_attributes,
    WooCommerce meta_data). A leading underscore (WooCommerce hidden meta) is accepted."""
    for item in objects(items):
        for field in key_fields:
            name = text(item.get(field))
            if name is not None and name.lower().lstrip("_") == REFERRAL_KEY:
                token = _token(item.get("value"))
                if token:
                    return token
    return None


def referral_from_url(url: Any) -> str | None:
    """``rc_ref`` from a landing URL or path such as ``/products/x?rc_ref=...``."""
    raw = text(url)
    if raw is None:
        return None
    values = parse_qs(urlsplit(raw).query).get(REFERRAL_KEY)
    return _token(values[0]) if values else None


def referral_from_note(note: Any) -> str | None:
    """``rc_ref=...`` or ``rc_ref: ...`` written into a free-text order note."""
    raw = text(note)
    if raw is None:
        return None
    found = _TOKEN_IN_TEXT.search(raw)
    return found.group(1) if found else None


def codes(values: Iterable[Any]) -> tuple[str, ...]:
    """Distinct non-empty codes, in order."""
    seen: dict[str, None] = {}
    for value in values:
        code = text(value)
        if code:
            seen.setdefault(code, None)
    return tuple(seen)
