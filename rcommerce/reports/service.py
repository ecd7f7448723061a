"""Roll-ups: storing each day's counters, and reading a range of days back for a report.

``refresh`` recomputes whole days from the raw events and replaces their rows, so it is
idempotent and safe to run again for any day that changed. ``load_days`` reads one row per
day; a day that has never been rolled up is computed from the events on the spot.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import delete, func, insert
from sqlmodel import Session, col, select

from rcommerce.errors import InvalidInput
from rcommerce.reports.events import SENTIMENTS, DayCounts, Members, compute_days
from rcommerce.reports.models import ReportAdvocateDay, ReportDay, ReportMember
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

MAX_DAYS = 3 * 366 + 1
# Days a report may name: local midnights on either side of the range must be representable
# as datetimes in any time zone (date.min/date.max overflow once shifted to UTC).
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(9999, 12, 30)
_CHUNK = 500
_LOAD_ALL = 2000

T = TypeVar("T")


# ---- bitmaps of member numbers -------------------------------------------------------------


def encode_bitmap(numbers: Iterable[int]) -> bytes:
    bits = 0
    for number in numbers:
        bits |= 1 << number
    if not bits:
        return b""
    return zlib.compress(bits.to_bytes((bits.bit_length() + 7) // 8, "little"))


def decode_bitmap(data: bytes) -> int:
    return int.from_bytes(zlib.decompress(data), "little") if data else 0


def member_count(members: Members) -> int:
    return members.bit_count() if isinstance(members, int) else len(members)


def _numbers(session: Session, store_id: int, kind: str, refs: set[str]) -> dict[str, int]:
    """Member numbers of ``refs``, giving new ones the next free numbers."""
    found: dict[str, int] = {}
    ordered = sorted(refs)
    if len(ordered) > _LOAD_ALL:
        # A long range: one pass over the store's members beats many IN lists.
        rows = session.exec(
            select(ReportMember.ref, ReportMember.number).where(
                ReportMember.store_id == store_id, ReportMember.kind == kind
            )
        )
        found.update({ref: int(number) for ref, number in rows if ref in refs})
    else:
        for i in range(0, len(ordered), _CHUNK):
            rows = session.exec(
                select(ReportMember.ref, ReportMember.number).where(
                    ReportMember.store_id == store_id,
                    ReportMember.kind == kind,
                    col(ReportMember.ref).in_(ordered[i : i + _CHUNK]),
                )
            )
            found.update({ref: int(number) for ref, number in rows})
    missing = [ref for ref in ordered if ref not in found]
    if missing:
        top = session.exec(
            select(func.max(ReportMember.number)).where(
                ReportMember.store_id == store_id, ReportMember.kind == kind
            )
        ).one()
        next_number = int(top) + 1 if top is not None else 0
        rows_new = []
        for ref in missing:
            rows_new.append({"store_id": store_id, "kind": kind, "ref": ref, "number": next_number})
            found[ref] = next_number
            next_number += 1
        for i in range(0, len(rows_new), 5000):
            session.execute(insert(ReportMember), rows_new[i : i + 5000])
    return found


# ---- writing -------------------------------------------------------------------------------


def check_range(first: date, last: date) -> None:
    if first < EARLIEST_DAY or last > LATEST_DAY:
        raise InvalidInput(f"Dates must lie between {EARLIEST_DAY} and {LATEST_DAY}.")
    if last < first:
        raise InvalidInput("'to' must be on or after 'from'.")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(f"A report covers at most {MAX_DAYS} days.")


def lock_store(session: Session, store_id: int) -> Store:
    """Serialise roll-ups of one store (SQLite already serialises every writer)."""
    store = session.exec(select(Store).where(Store.id == store_id).with_for_update()).one()
    return store


def refresh(
    *, session: Session, settings: Settings, store: Store, first: date, last: date, now: datetime
) -> int:
    """Recompute and store the roll-ups of ``first``..``last``; returns the number of days."""
    check_range(first, last)
    assert store.id is not None
    lock_store(session, store.id)
    days = compute_days(session, settings, store, first, last)
    customer_refs = set().union(
        *(_refs(d.customers) | _refs(d.referred_customers) for d in days.values())
    )
    advocate_refs = set().union(*(_refs(d.sharers) | _refs(d.referrers) for d in days.values()))
    customers = _numbers(session, store.id, "customer", customer_refs)
    advocates = _numbers(session, store.id, "advocate", advocate_refs)
    existing = {
        row.day: row
        for row in session.exec(
            select(ReportDay).where(
                ReportDay.store_id == store.id,
                col(ReportDay.day) >= first,
                col(ReportDay.day) <= last,
            )
        )
    }
    session.execute(
        delete(ReportAdvocateDay).where(
            col(ReportAdvocateDay.store_id) == store.id,
            col(ReportAdvocateDay.day) >= first,
            col(ReportAdvocateDay.day) <= last,
        )
    )
    for day, counts in days.items():
        row = existing.get(day) or ReportDay(store_id=store.id, day=day)
        _fill(row, counts)
        row.customers = encode_bitmap(customers[r] for r in _refs(counts.customers))
        row.referred_customers = encode_bitmap(
            customers[r] for r in _refs(counts.referred_customers)
        )
        row.sharers = encode_bitmap(advocates[r] for r in _refs(counts.sharers))
        row.referrers = encode_bitmap(advocates[r] for r in _refs(counts.referrers))
        row.computed_at = now
        session.add(row)
        for advocate_id, (orders, revenue, cost) in counts.advocates.items():
            session.add(
                ReportAdvocateDay(
                    store_id=store.id,
                    day=day,
                    advocate_id=advocate_id,
                    referred_orders=orders,
                    referred_revenue=revenue,
                    reward_cost=cost,
                )
            )
    session.flush()
    return len(days)


def _refs(members: Members) -> set[str]:
    assert not isinstance(members, int)
    return set(members)


def _fill(row: ReportDay, counts: DayCounts) -> None:
    row.advocates_joined = counts.advocates_joined
    row.clicks, row.unique_clicks = counts.clicks, counts.unique_clicks
    row.channels = {k: list(v) for k, v in sorted(counts.channels.items())}
    row.orders, row.revenue = counts.orders, counts.revenue
    row.referred_orders, row.referred_revenue = counts.referred_orders, counts.referred_revenue
    row.referred_by_click = counts.referred_by_click
    row.referred_by_code = counts.referred_by_code
    row.referred_by_coupon = counts.referred_by_coupon
    row.converted_clicks = counts.converted_clicks
    row.reward_cost, row.reward_points = counts.reward_cost, counts.reward_points
    row.reviews, row.rating_sum = counts.reviews, counts.rating_sum
    row.r1, row.r2, row.r3, row.r4, row.r5 = counts.ratings
    row.positive = counts.sentiment["positive"]
    row.neutral = counts.sentiment["neutral"]
    row.negative = counts.sentiment["negative"]
    row.unscored = counts.sentiment["unscored"]
    row.aspects = {k: list(v) for k, v in sorted(counts.aspects.items())}
    row.examples = counts.examples
    row.replied, row.reply_seconds = counts.replied, counts.reply_seconds


# ---- reading -------------------------------------------------------------------------------


def _counts(row: ReportDay) -> DayCounts:
    sentiment = dict.fromkeys(SENTIMENTS, 0)
    sentiment.update(
        positive=row.positive, neutral=row.neutral, negative=row.negative, unscored=row.unscored
    )
    return DayCounts(
        advocates_joined=row.advocates_joined,
        clicks=row.clicks,
        unique_clicks=row.unique_clicks,
        channels={k: [int(v[0]), int(v[1])] for k, v in row.channels.items()},
        orders=row.orders,
        revenue=Decimal(row.revenue),
        referred_orders=row.referred_orders,
        referred_by_click=row.referred_by_click,
        referred_by_code=row.referred_by_code,
        referred_by_coupon=row.referred_by_coupon,
        converted_clicks=row.converted_clicks,
        referred_revenue=Decimal(row.referred_revenue),
        reward_cost=Decimal(row.reward_cost),
        reward_points=Decimal(row.reward_points),
        reviews=row.reviews,
        rating_sum=row.rating_sum,
        ratings=[row.r1, row.r2, row.r3, row.r4, row.r5],
        sentiment=sentiment,
        aspects={k: [int(v[0]), int(v[1])] for k, v in row.aspects.items()},
        examples=row.examples,
        replied=row.replied,
        reply_seconds=row.reply_seconds,
        customers=decode_bitmap(row.customers),
        referred_customers=decode_bitmap(row.referred_customers),
        sharers=decode_bitmap(row.sharers),
        referrers=decode_bitmap(row.referrers),
    )


class NeedsRollup(Exception):
    """Some days of the range were never rolled up, and this transaction may not write."""


def read_with_rollup(runtime: Runtime, work: Callable[[Session, bool], T]) -> T:
    """Run ``work(session, fill)`` in a read-only transaction (concurrent on SQLite); only
    when some days were never rolled up, run it again in a writing one that rolls them up."""
    try:
        with runtime.transaction(readonly=True) as session:
            return work(session, False)
    except NeedsRollup:
        with runtime.transaction() as session:
            return work(session, True)


def load_days(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    first: date,
    last: date,
    now: datetime,
    fill: bool = True,
) -> tuple[dict[date, DayCounts], dict[int, list[Any]]]:
    """The days' counters from the roll-ups, and each advocate's totals over the range.

    Days never rolled up yet (a new store, history imported later) are rolled up first, once;
    every later report reads their rows.
    """
    check_range(first, last)
    assert store.id is not None
    days = _stored(session, store.id, first, last)
    missing = [d for d in _each_day(first, last) if d not in days]
    if missing:
        if not fill:
            raise NeedsRollup(f"{len(missing)} days to roll up")
        for run_first, run_last in _runs(missing):
            refresh(
                session=session,
                settings=settings,
                store=store,
                first=run_first,
                last=run_last,
                now=now,
            )
        days = _stored(session, store.id, first, last)
    totals: dict[int, list[Any]] = {}
    sums = session.exec(
        select(
            ReportAdvocateDay.advocate_id,
            func.sum(ReportAdvocateDay.referred_orders),
            func.sum(ReportAdvocateDay.referred_revenue),
            func.sum(ReportAdvocateDay.reward_cost),
        )
        .where(
            ReportAdvocateDay.store_id == store.id,
            col(ReportAdvocateDay.day) >= first,
            col(ReportAdvocateDay.day) <= last,
        )
        .group_by(col(ReportAdvocateDay.advocate_id))
    )
    for advocate_id, orders, revenue, cost in sums:
        totals[int(advocate_id)] = [
            int(orders or 0),
            Decimal(str(revenue or 0)),
            Decimal(str(cost or 0)),
        ]
    return days, totals


def _stored(session: Session, store_id: int, first: date, last: date) -> dict[date, DayCounts]:
    rows = session.exec(
        select(ReportDay)
        .where(
            ReportDay.store_id == store_id,
            col(ReportDay.day) >= first,
            col(ReportDay.day) <= last,
        )
        .order_by(col(ReportDay.day))
    )
    return {row.day: _counts(row) for row in rows}


def raw_days(
    *, session: Session, settings: Settings, store: Store, first: date, last: date
) -> tuple[dict[date, DayCounts], dict[int, list[Any]]]:
    """The same as ``load_days``, computed from the raw events without any roll-up."""
    check_range(first, last)
    days = compute_days(session, settings, store, first, last)
    totals: dict[int, list[Any]] = {}
    for counts in days.values():
        for advocate_id, (orders, revenue, cost) in counts.advocates.items():
            entry = totals.setdefault(advocate_id, [0, Decimal(0), Decimal(0)])
            entry[0] += orders
            entry[1] += revenue
            entry[2] += cost
    return days, totals


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive runs of days: [(first, last), ...]."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _each_day(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
