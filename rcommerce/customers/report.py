"""Reading the segments: each segment's figures over a date range against the range before
it (with its advocates' referral results, side by side), a segment's customers with the
reasons, and one customer's segments."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from rcommerce.customers.models import ALL, SEGMENTS, CustomerSegment, SegmentDay
from rcommerce.customers.service import settings_row
from rcommerce.errors import InvalidInput
from rcommerce.identity import InvalidPhone, parse_phone
from rcommerce.referrals import customer_facts as referral_facts
from rcommerce.stores.models import Store

MAX_DAYS = 731
PAGE = 100
CENT = Decimal("0.01")


def check_range(first: date, last: date) -> None:
    if last < first:
        raise InvalidInput("to: is before from", fields=[{"field": "to"}])
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(f"A range is at most {MAX_DAYS} days.", fields=[{"field": "to"}])


def _sums(session: Session, store: Store, first: date, last: date) -> dict[str, list[Any]]:
    rows = session.execute(
        select_columns(
            col(SegmentDay.segment),
            func.sum(SegmentDay.orders),
            func.sum(SegmentDay.revenue),
            func.sum(SegmentDay.referred_orders),
            func.sum(SegmentDay.reviewed_orders),
            func.sum(SegmentDay.referral_clicks),
        )
        .where(
            col(SegmentDay.store_id) == store.id,
            col(SegmentDay.day) >= first,
            col(SegmentDay.day) <= last,
        )
        .group_by(col(SegmentDay.segment))
    ).all()
    return {
        name: [int(o or 0), Decimal(str(r or 0)), int(ref or 0), int(rev or 0), int(c or 0)]
        for name, o, r, ref, rev, c in rows
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def segments_report(*, session: Session, store: Store, first: date, last: date) -> dict[str, Any]:
    """Each segment: its customers (as the last run found them), and over the range the
    orders, revenue, average order value, referral and review rates of those customers, their
    share of the store's revenue, and the revenue's trend against the range just before."""
    check_range(first, last)
    span = (last - first).days + 1
    now = _sums(session, store, first, last)
    before = _sums(session, store, first - timedelta(days=span), first - timedelta(days=1))
    row = settings_row(session, store)
    members = row.members if row else {}
    store_revenue = now.get(ALL, [0, Decimal(0), 0, 0, 0])[1]
    clicks = {name: figures[4] for name, figures in now.items()}
    referrals = referral_results(session, store, first, last, clicks)
    segments = []
    for name in SEGMENTS:
        orders, revenue, referred, reviewed, _ = now.get(name, [0, Decimal(0), 0, 0, 0])
        previous = before.get(name, [0, Decimal(0), 0, 0, 0])[1]
        segments.append(
            {
                "name": name,
                "customers": int(members.get(name, 0)),
                "orders": orders,
                "revenue": str(revenue.quantize(CENT)),
                "average_order_value": str((revenue / orders).quantize(CENT)) if orders else None,
                "referral_rate": _rate(referred, orders),
                "review_rate": _rate(reviewed, orders),
                "revenue_share": (
                    round(float(revenue / store_revenue), 4) if store_revenue > 0 else None
                ),
                "previous_revenue": str(previous.quantize(CENT)),
                "trend": round(float((revenue - previous) / previous), 4) if previous > 0 else None,
                "referrals": referrals[name],
            }
        )
    return {
        "store_id": store.id,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "currency": store.currency,
        "customers": row.customers if row else 0,
        "computed_at": row.computed_at.isoformat() if row and row.computed_at else None,
        "segments": segments,
        "referrals": referrals[ALL],
    }


def referral_results(
    session: Session, store: Store, first: date, last: date, clicks: dict[str, int]
) -> dict[str, dict[str, Any]]:
    """Each segment's referral results over the range (store's days), side by side, and the
    whole programme's (``all``): the segment's members who are advocates (as the last run
    found them), then of what those
    advocates' referrals did in the range (``referral_facts.results_per_advocate``) the referred
    buyers, revenue and rewards' cost, with the unique clicks on their links (``clicks``, from
    the daily rows the segments job writes) and the conversion rate (referred buyers per unique
    click; buyers who typed a code count too, so it can pass 1). An advocate in several
    segments counts in each; advocates of no segment count in ``all`` only."""
    zone = ZoneInfo(store.timezone)
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    sums = {name: referral_facts.Results() for name in (*SEGMENTS, ALL)}
    per = referral_facts.results_per_advocate(store, start, end)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Planned for this range's own figures each time: a plan kept from a short range (a
        # prepared statement's generic plan) is ruinous for a year.
        connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
    # One read: each advocate's figures with each segment they are in (none: a null segment).
    rows = connection.execute(
        select_columns(
            per.c.advocate_id,
            per.c.buyers,
            per.c.revenue,
            per.c.points,
            per.c.money,
            per.c.percent_share,
            col(CustomerSegment.segment),
        )
        .select_from(per)
        .join(
            CustomerSegment,
            (col(CustomerSegment.store_id) == store.id)
            & (col(CustomerSegment.customer) == per.c.customer),
            isouter=True,
        )
        .order_by(per.c.advocate_id)
    )
    seen = None
    found = referral_facts.Results()
    for advocate_id, buyers, revenue, points, money, share, segment in rows:
        if advocate_id != seen:
            seen, found = (
                advocate_id,
                referral_facts.results_of(buyers, revenue, points, money, share),
            )
            _add(sums[ALL], found)
        if segment in sums and segment != ALL:
            _add(sums[segment], found)
    row = settings_row(session, store)
    advocates = row.advocates if row else {}
    return {
        name: {
            "advocates": int(advocates.get(name, 0)),
            "unique_clicks": clicks.get(name, 0),
            "referred_buyers": r.referred_buyers,
            "referral_revenue": str(r.revenue.quantize(CENT)),
            "conversion_rate": _rate(r.referred_buyers, clicks.get(name, 0)),
            "rewards_cost": str(r.rewards_cost.quantize(CENT)),
            "reward_points": str(r.reward_points.quantize(CENT)),
        }
        for name, r in sums.items()
    }


def _add(total: referral_facts.Results, one: referral_facts.Results) -> None:
    total.referred_buyers += one.referred_buyers
    total.revenue += one.revenue
    total.rewards_cost += one.rewards_cost
    total.reward_points += one.reward_points


def check_segment(name: str) -> str:
    if name not in SEGMENTS:
        raise InvalidInput(f"segment: one of {', '.join(SEGMENTS)}", fields=[{"field": "segment"}])
    return name


def members(
    *, session: Session, store: Store, segment: str, after: str | None = None, limit: int = PAGE
) -> dict[str, Any]:
    """The segment's customers in order of their key, a page at a time (``after``: the last
    key of the page before), each with the reason they are in it."""
    check_segment(segment)
    query = select(CustomerSegment).where(
        CustomerSegment.store_id == store.id, CustomerSegment.segment == segment
    )
    if after:
        query = query.where(col(CustomerSegment.customer) > after)
    rows = session.exec(query.order_by(col(CustomerSegment.customer)).limit(limit + 1)).all()
    page = rows[:limit]
    return {
        "segment": segment,
        "customers": [
            {"customer": m.customer, "reason": m.reason, "computed_at": m.computed_at.isoformat()}
            for m in page
        ],
        "next": page[-1].customer if len(rows) > limit else None,
    }


def customer_key(raw: str) -> str:
    """A customer as the store names them: an e-mail (any case), else a phone number as typed
    (a Vietnamese one without its country code)."""
    text = raw.strip()
    if "@" in text:
        return text.lower()
    try:
        return parse_phone(text)
    except InvalidPhone:
        raise InvalidInput(
            "customer: an e-mail address or a phone number", fields=[{"field": "customer"}]
        ) from None


def customer_segments(*, session: Session, store: Store, customer: str) -> dict[str, Any]:
    """One customer's segments with why, as the last run found them (none is an answer)."""
    key = customer_key(customer)
    rows = session.exec(
        select(CustomerSegment).where(
            CustomerSegment.store_id == store.id, CustomerSegment.customer == key
        )
    ).all()
    order = {name: i for i, name in enumerate(SEGMENTS)}
    row = settings_row(session, store)
    return {
        "customer": key,
        "segments": [
            {"name": m.segment, "reason": m.reason}
            for m in sorted(rows, key=lambda m: order.get(m.segment, 99))
        ],
        "computed_at": row.computed_at.isoformat() if row and row.computed_at else None,
    }
