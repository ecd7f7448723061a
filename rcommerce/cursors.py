"""Keyset-pagination cursors: opaque to clients, checked when they come back.

A cursor is the sort key of the last row a page showed (base64 of compact JSON); the next page
starts after it, so rows added or decided meanwhile never shift a page.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from rcommerce.errors import InvalidInput
from rcommerce.web import MAX_ID

_NOT_OURS = "cursor: not a cursor this endpoint gave out."


def encode(values: list[Any]) -> str:
    raw = json.dumps(values, default=lambda v: v.isoformat(), separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(_NOT_OURS) from None
    if not isinstance(values, list):
        raise InvalidInput(_NOT_OURS)
    return values


def id_cursor(cursor: str) -> int:
    """The row id a newest-first cursor holds (an id a database column can hold)."""
    values = decode(cursor)
    if (
        len(values) != 1
        or not isinstance(values[0], int)
        or isinstance(values[0], bool)
        or not 0 < values[0] <= MAX_ID
    ):
        raise InvalidInput(_NOT_OURS)
    return values[0]
