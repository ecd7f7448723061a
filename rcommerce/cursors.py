"""Keyset-pagination cursors: opaque to clients, checked when they come back.

A cursor is the sort key of the last row a page showed (base64 of compact JSON); the next page
starts after it, so rows added or decided meanwhile never shift a page.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Protocol, TypeVar

from sqlmodel import Session, col
from sqlmodel.sql.expression import SelectOfScalar

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
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
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


class _Identified(Protocol):
    id: int | None


Row = TypeVar("Row", bound=_Identified)


def newest_first(
    session: Session, query: SelectOfScalar[Row], id_column: Any, cursor: str | None, limit: int
) -> tuple[list[Row], str | None]:
    """A page of ``query``'s rows, newest (highest id) first, after ``cursor``; and the cursor
    of the next page, or None on the last one."""
    if cursor:
        query = query.where(col(id_column) < id_cursor(cursor))
    rows = list(session.exec(query.order_by(col(id_column).desc()).limit(limit + 1)))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode([rows[-1].id])
