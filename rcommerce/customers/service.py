"""The store's segment thresholds, and the run that puts every customer in their segments:
memberships with reasons, and each segment's daily figures (orders, and the unique clicks on its
advocates' referral links), replaced whole in one transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, text
from sqlmodel import Session

from rcommerce.customers.facts import gather
from rcommerce.customers.models import (
    ALL,
    SEGMENTS,
    CustomerSegment,
    SegmentDay,
    SegmentSettings,
    Thresholds,
    ThresholdsUpdate,
)
from rcommerce.customers.rules import segments_of
from rcommerce.jobs import enqueue
from rcommerce.referrals import customer_facts as referral_facts
from rcommerce.stores.models import Store

RUN_JOB = "customers.segments"
INSERT_BATCH = 5_000


def settings_row(session: Session, store: Store) -> SegmentSettings | None:
    return session.get(SegmentSettings, store.id)


def thresholds_of(session: Session, store: Store) -> Thresholds:
    row = settings_row(session, store)
    return Thresholds.model_validate(row.thresholds if row else {})


def update_thresholds(
    *, session: Session, store: Store, data: ThresholdsUpdate, now: datetime
) -> Thresholds:
    """Change the thresholds sent (the others stay) and recompute the segments soon."""
    assert store.id is not None
    row = settings_row(session, store) or SegmentSettings(store_id=store.id)
    merged = {**Thresholds.model_validate(row.thresholds).model_dump()}
    merged.update(data.model_dump(exclude_unset=True, exclude_none=True))
    thresholds = Thresholds.model_validate(merged)
    row.thresholds = thresholds.model_dump()
    row.updated_at = now
    session.add(row)
    enqueue(session, RUN_JOB, {"store_id": store.id}, store_id=store.id)
    return thresholds


def compute(*, session: Session, store: Store, now: datetime) -> dict[str, int]:
    """Put every customer of the store in the segments they fit now (replacing the last run's
    memberships and daily figures); returns how many customers each segment has."""
    assert store.id is not None
    thresholds = thresholds_of(session, store)
    customers = gather(session, store, thresholds.entertainment_categories)
    zone = ZoneInfo(store.timezone)
    members = dict.fromkeys(SEGMENTS, 0)
    emails = {
        key for key in session.execute(referral_facts.advocate_emails(store)).scalars() if key
    }
    advocates = {**dict.fromkeys(SEGMENTS, 0), ALL: len(emails)}
    rows: list[dict[str, Any]] = []
    clicks = referral_facts.unique_clicks_by_day(session, store, zone, now)
    # (segment, day) -> [orders, revenue, referred orders, reviewed orders, referral clicks]
    days: dict[tuple[str, date], list[Any]] = defaultdict(lambda: [0, Decimal(0), 0, 0, 0])
    for by_day in clicks.values():  # every advocate's, for the whole store
        for day, count in by_day.items():
            days[(ALL, day)][4] += count
    for customer in customers.values():
        found = segments_of(customer, thresholds)
        if customer.key in emails:
            for name in found:
                advocates[name] += 1
        for day, count in clicks.get(customer.key, {}).items():
            for name in found:
                days[(name, day)][4] += count
        for name, reason in found.items():
            members[name] += 1
            rows.append(
                {
                    "store_id": store.id,
                    "customer": customer.key,
                    "segment": name,
                    "reason": reason,
                    "computed_at": now,
                }
            )
        for order in customer.orders:
            day = order.placed_at.astimezone(zone).date()
            for name in (ALL, *found):
                figures = days[(name, day)]
                figures[0] += 1
                figures[1] += order.net
                figures[2] += order.referred
                figures[3] += order.reviewed
    session.execute(delete(CustomerSegment).where(CustomerSegment.store_id == store.id))  # type: ignore[arg-type]
    session.execute(delete(SegmentDay).where(SegmentDay.store_id == store.id))  # type: ignore[arg-type]
    _insert(session, CustomerSegment, rows)
    _insert(
        session,
        SegmentDay,
        [
            {
                "store_id": store.id,
                "segment": name,
                "day": day,
                "orders": f[0],
                "revenue": f[1],
                "referred_orders": f[2],
                "reviewed_orders": f[3],
                "referral_clicks": f[4],
            }
            for (name, day), f in days.items()
        ],
    )
    row = settings_row(session, store) or SegmentSettings(store_id=store.id)
    row.customers, row.members, row.computed_at = len(customers), members, now
    row.advocates = advocates
    session.add(row)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # The memberships were just rewritten whole: the planner's statistics of the table
        # must say so, or the segments report's join to it is planned for an empty table.
        session.execute(text("ANALYZE customer_segment, segment_day"))
    return members


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    table = model.metadata.tables[model.__tablename__]
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(table), rows[start : start + INSERT_BATCH])
