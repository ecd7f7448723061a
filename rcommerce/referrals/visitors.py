"""Unique visitors: one visitor's (IP hash + user agent) repeat visits to one advocate's link
within an hour of their unique visit are one unique click. In embedded mode the redirect counts
them in the process's cache. In distributed mode it does not wait for Redis: a visit this
process saw within the hour is a repeat, and any other click travels with its uniqueness
unknown, for the copy into the database to decide from the clicks held there (as it does for
every click when the cache cannot tell)."""

from __future__ import annotations

import weakref
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from rcommerce.referrals.models import Click
from rcommerce.runtime import Runtime

UNIQUE_WINDOW = 3600  # seconds
# A referral token carries this much of the visitor's IP hash; the unique-visitor counter and
# the self-referral check at order time compare the same prefix.
IP_KEY_CHARS = 16

# The positions of a click row (rcommerce.referrals.clicks: id, store, advocate, campaign,
# channel, unique, IP hash, user agent, time).
_ID, _ADVOCATE, _UNIQUE, _IP, _AGENT, _AT = 0, 2, 5, 6, 7, 8


async def first_visit(
    runtime: Runtime, advocate_id: int, ip_hash: str, ua_hash: str, at: float
) -> bool | None:
    """Whether this is the visitor's unique visit to the advocate's link; None when the shared
    cache cannot count now (the copy into the database decides then)."""
    key = f"uv:{advocate_id}:{ip_hash[:IP_KEY_CHARS]}:{ua_hash}"
    if runtime.redis is not None:
        return _seen_here(runtime).first(key, at)
    seen = await runtime.cache.call(runtime.cache.incr, key, UNIQUE_WINDOW)
    return None if seen is None else seen == 1


class _SeenHere:
    """The visits this process redirected in the last UNIQUE_WINDOW seconds (by the time of
    the first of each: a repeat does not extend the hour, as the cache's counter does not)."""

    def __init__(self, size: int = 200_000) -> None:
        self.size = size
        self.seen: dict[str, float] = {}

    def first(self, key: str, now: float) -> bool | None:
        """False for a repeat of a visit seen here within the hour of the one that opened it;
        None otherwise (unknown: another process may have seen it)."""
        at = self.seen.get(key)
        if at is not None and 0 <= now - at < UNIQUE_WINDOW:
            return False
        if len(self.seen) >= self.size:
            self.seen = {k: v for k, v in self.seen.items() if now - v < UNIQUE_WINDOW}
            if len(self.seen) >= self.size:
                self.seen.clear()
        self.seen[key] = now
        return None


_seen: weakref.WeakKeyDictionary[Runtime, _SeenHere] = weakref.WeakKeyDictionary()


def _seen_here(runtime: Runtime) -> _SeenHere:
    here = _seen.get(runtime)
    if here is None:
        here = _seen.setdefault(runtime, _SeenHere())
    return here


def _moment(value: Any) -> float:
    """A row's time (naive UTC datetime, SQLite's text of one, or an aware datetime) in seconds."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def decide(session: Session, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows with every unknown uniqueness (None) decided: unique unless the same visitor
    made a unique visit to the same link in the hour before, in the database or earlier in
    this batch. The hour runs from that unique visit, as the cache's counter does."""
    unknown = [row for row in rows if row[_UNIQUE] is None]
    if not unknown:
        return rows
    visitors = {(row[_ADVOCATE], row[_IP], row[_AGENT]) for row in unknown}
    moments = [_moment(row[_AT]) for row in unknown]
    since = datetime.fromtimestamp(min(moments) - UNIQUE_WINDOW, UTC)
    until = datetime.fromtimestamp(max(moments), UTC) + timedelta(seconds=1)
    uniques: defaultdict[tuple[Any, ...], list[float]] = defaultdict(list)
    held = session.exec(
        select(Click.advocate_id, Click.ip_hash, Click.user_agent, Click.created_at).where(
            col(Click.advocate_id).in_({visitor[0] for visitor in visitors}),
            col(Click.ip_hash).in_({visitor[1] for visitor in visitors if visitor[1]}),
            col(Click.unique),
            col(Click.created_at) >= since,
            col(Click.created_at) < until,
        )
    )
    for advocate_id, ip_hash, agent, created_at in held:
        if (advocate_id, ip_hash, agent) in visitors:
            uniques[(advocate_id, ip_hash, agent)].append(created_at.timestamp())
    decided: dict[str, bool] = {}
    for row in sorted(rows, key=lambda r: (_moment(r[_AT]), r[_ID])):
        visitor = (row[_ADVOCATE], row[_IP], row[_AGENT])
        if visitor not in visitors:
            continue
        at = _moment(row[_AT])
        unique = row[_UNIQUE]
        if unique is None:
            unique = not any(at - UNIQUE_WINDOW < seen <= at for seen in uniques[visitor])
            decided[row[_ID]] = unique
        if unique:
            uniques[visitor].append(at)
    return [
        (*row[:_UNIQUE], decided[row[_ID]], *row[_UNIQUE + 1 :]) if row[_ID] in decided else row
        for row in rows
    ]
