"""Word-of-mouth counters per local day, computed straight from the raw events (advocates,
clicks, orders, conversions, rewards, reviews).

This is what the roll-up tasks store, and what a report falls back to for days that have not
been rolled up yet. Days are calendar days in the store's time zone; the grouping happens in
SQL so that a range costs one pass over each table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.sql.elements import ColumnElement as SAColumn
from sqlmodel import Session, col

from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order
from rcommerce.privacy import keyed_hash
from rcommerce.referrals.models import Click, Conversion, Reward
from rcommerce.reviews.models import REJECTED, Review
from rcommerce.sentiment import QUOTE_CONFIDENCE
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

REFERRED_STATUSES = ("pending", "held", "approved")
SPENT_REWARD_STATUSES = ("void", "clawed_back")
SENTIMENTS = ("positive", "neutral", "negative", "unscored")
ASPECT_THRESHOLD = 0.05  # the same cut VADER uses between neutral and a polarity
EXAMPLES_PER_DAY = 2

Members = frozenset[str] | int  # a set of references (raw) or a bitmap of member numbers


@dataclass
class DayCounts:
    """Everything a report needs about one day; sums over days except the member sets."""

    advocates_joined: int = 0
    clicks: int = 0
    unique_clicks: int = 0
    channels: dict[str, list[int]] = field(default_factory=dict)
    orders: int = 0
    revenue: Decimal = Decimal(0)
    referred_orders: int = 0
    # referred orders by how they were attributed: a click's rc_ref, a typed code, a coupon
    referred_by_click: int = 0
    referred_by_code: int = 0
    referred_by_coupon: int = 0
    # unique clicks of this day whose visit led to a referred order (on the click's day)
    converted_clicks: int = 0
    referred_revenue: Decimal = Decimal(0)
    reward_cost: Decimal = Decimal(0)
    reward_points: Decimal = Decimal(0)
    reviews: int = 0
    rating_sum: int = 0
    ratings: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])
    sentiment: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SENTIMENTS, 0))
    aspects: dict[str, list[int]] = field(default_factory=dict)
    examples: dict[str, dict[str, list[list[Any]]]] = field(default_factory=dict)
    replied: int = 0
    reply_seconds: int = 0
    customers: Members = frozenset()
    referred_customers: Members = frozenset()  # customers with a referred order that day
    sharers: Members = frozenset()
    referrers: Members = frozenset()
    # advocate id -> [referred orders, referred revenue, reward cost]
    advocates: dict[int, list[Any]] = field(default_factory=dict)


# ---- local days ---------------------------------------------------------------------------


def day_start(tz: ZoneInfo, day: date) -> datetime:
    """The UTC instant at which ``day`` begins in ``tz``."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def segments(tz: ZoneInfo, first: date, last: date) -> list[tuple[datetime, datetime, int]]:
    """[start, end) UTC pieces covering the days, each with one constant UTC offset (seconds).

    Split at every offset change (daylight saving), so ``utc + offset`` names the local day.
    """
    start, end = day_start(tz, first), day_start(tz, last + timedelta(days=1))
    pieces: list[tuple[datetime, datetime, int]] = []
    cursor = start
    offset = _offset(tz, cursor)
    probe = cursor
    while probe < end:
        step = min(probe + timedelta(hours=1), end)
        if _offset(tz, step) != offset and step < end:
            # Find the minute the offset changed.
            moment = probe
            while _offset(tz, moment) == offset:
                moment += timedelta(minutes=1)
            pieces.append((cursor, moment, offset))
            cursor, offset = moment, _offset(tz, moment)
        probe = step
    pieces.append((cursor, end, offset))
    return pieces


def _offset(tz: ZoneInfo, instant: datetime) -> int:
    delta = instant.astimezone(tz).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def day_of(session: Session, column: Any, tz: ZoneInfo, offset: int) -> SAColumn[Any]:
    """SQL for the local calendar day of a naive-UTC timestamp column."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(tz.key, func.timezone("UTC", column)))
    return func.date(column, literal(f"{offset:+d} seconds"))


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


# ---- the computation ----------------------------------------------------------------------


def customer_ref(settings: Settings, store_id: int, buyer: str) -> str:
    """A customer's identity in reports: a keyed hash of the e-mail (or phone), never the
    address itself."""
    return keyed_hash(settings, "report-customer", f"{store_id}:{buyer}")


def compute_days(
    session: Session, settings: Settings, store: Store, first: date, last: date
) -> dict[date, DayCounts]:
    """Counters of every day from ``first`` to ``last`` (inclusive), from the raw events."""
    assert store.id is not None
    tz = ZoneInfo(store.timezone)
    days: dict[date, DayCounts] = {}
    day = first
    while day <= last:
        days[day] = DayCounts()
        day += timedelta(days=1)
    customers: dict[date, set[str]] = defaultdict(set)
    referred_customers: dict[date, set[str]] = defaultdict(set)
    sharers: dict[date, set[str]] = defaultdict(set)
    referrers: dict[date, set[str]] = defaultdict(set)
    for start, end, offset in segments(tz, first, last):
        _advocates(session, store.id, tz, offset, start, end, days)
        _clicks(session, store.id, tz, offset, start, end, days, sharers)
        _orders(session, settings, store.id, tz, offset, start, end, days, customers)
        _conversions(
            session, settings, store.id, tz, offset, start, end, days, referrers, referred_customers
        )
        _converted_clicks(session, store.id, tz, offset, start, end, days)
        _rewards(session, store.id, tz, offset, start, end, days)
        _reviews(session, store.id, tz, offset, start, end, days)
    for key, counts in days.items():
        # Each unique click converts at most once: orders through repeat visits of one
        # visitor within the hour (one unique click) count once.
        counts.converted_clicks = min(counts.converted_clicks, counts.unique_clicks)
        counts.customers = frozenset(customers.get(key, ()))
        counts.referred_customers = frozenset(referred_customers.get(key, ()))
        counts.sharers = frozenset(sharers.get(key, ()))
        counts.referrers = frozenset(referrers.get(key, ()))
    return days


def _in(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(col(column) >= start, col(column) < end)


def _advocates(
    session: Session,
    store_id: int,
    tz: ZoneInfo,
    offset: int,
    start: datetime,
    end: datetime,
    days: dict[date, DayCounts],
) -> None:
    bucket = day_of(session, col(Advocate.created_at), tz, offset)
    rows = session.execute(
        select(bucket, func.count())
        .where(col(Advocate.store_id) == store_id, _in(col(Advocate.created_at), start, end))
        .group_by(bucket)
    )
    for value, count in rows:
        days[as_date(value)].advocates_joined += int(count)


def _clicks(
    session: Session,
    store_id: int,
    tz: ZoneInfo,
    offset: int,
    start: datetime,
    end: datetime,
    days: dict[date, DayCounts],
    sharers: dict[date, set[str]],
) -> None:
    bucket = day_of(session, col(Click.created_at), tz, offset)
    unique = func.sum(case((col(Click.unique), 1), else_=0))
    rows = session.execute(
        select(bucket, col(Click.channel), col(Click.advocate_id), func.count(), unique)
        .where(col(Click.store_id) == store_id, _in(col(Click.created_at), start, end))
        .group_by(bucket, col(Click.channel), col(Click.advocate_id))
    )
    for value, channel, advocate_id, raw, uniq in rows:
        key = as_date(value)
        counts = days[key]
        counts.clicks += int(raw)
        counts.unique_clicks += int(uniq or 0)
        pair = counts.channels.setdefault(channel, [0, 0])
        pair[0] += int(raw)
        pair[1] += int(uniq or 0)
        sharers[key].add(str(advocate_id))


def _orders(
    session: Session,
    settings: Settings,
    store_id: int,
    tz: ZoneInfo,
    offset: int,
    start: datetime,
    end: datetime,
    days: dict[date, DayCounts],
    customers: dict[date, set[str]],
) -> None:
    bucket = day_of(session, col(Order.placed_at), tz, offset)
    # A buyer is an e-mail, else a phone; an order with neither is a customer of its own.
    buyer = func.coalesce(col(Order.email), col(Order.phone), col(Order.order_id))
    rows = session.execute(
        select(bucket, buyer, func.count(), func.sum(col(Order.total)))
        .where(
            col(Order.store_id) == store_id,
            col(Order.status) != "refunded",
            _in(col(Order.placed_at), start, end),
        )
        .group_by(bucket, buyer)
    )
    for value, who, count, total in rows:
        key = as_date(value)
        days[key].orders += int(count)
        days[key].revenue += _dec(total)
        customers[key].add(customer_ref(settings, store_id, who))


def _conversions(
    session: Session,
    settings: Settings,
    store_id: int,
    tz: ZoneInfo,
    offset: int,
    start: datetime,
    end: datetime,
    days: dict[date, DayCounts],
    referrers: dict[date, set[str]],
    referred_customers: dict[date, set[str]],
) -> None:
    bucket = day_of(session, col(Order.placed_at), tz, offset)
    rows = session.execute(
        select(
            bucket,
            col(Conversion.advocate_id),
            col(Conversion.attributed_by),
            col(Order.email),
            func.count(),
            func.sum(col(Conversion.order_total)),
        )
        .join(Order, col(Order.id) == col(Conversion.order_pk))
        .where(
            col(Conversion.store_id) == store_id,
            col(Conversion.status).in_(REFERRED_STATUSES),
            col(Order.status) != "refunded",
            _in(col(Order.placed_at), start, end),
        )
        .group_by(
            bucket, col(Conversion.advocate_id), col(Conversion.attributed_by), col(Order.email)
        )
    )
    for value, advocate_id, attributed_by, email, count, total in rows:
        key = as_date(value)
        counts = days[key]
        referred_customers[key].add(customer_ref(settings, store_id, email))
        counts.referred_orders += int(count)
        if attributed_by == "token":
            counts.referred_by_click += int(count)
        elif attributed_by == "code":
            counts.referred_by_code += int(count)
        else:
            counts.referred_by_coupon += int(count)
        counts.referred_revenue += _dec(total)
        entry = counts.advocates.setdefault(int(advocate_id), [0, Decimal(0), Decimal(0)])
        entry[0] += int(count)
        entry[1] += _dec(total)
        referrers[key].add(str(advocate_id))


def _converted_clicks(
    session: Session,
    store_id: int,
    tz: ZoneInfo,
    offset: int,
    start: datetime,
    end: datetime,
    days: dict[date, DayCounts],
) -> None:
    """Clicks of each day that a referred order was attributed to (through the click's
    rc_ref), counted on the day of the click, once each, whenever the order came."""
    bucket = day_of(session, col(Click.created_at), tz, offset)
    rows = session.execute(
        select(bucket, func.count(func.distinct(col(Click.id))))
        .join(Conversion, col(Conversion.click_id) == col(Click.id))
        .join(Order, col(Order.id) == col(Conversion.order_pk))
        .where(
            col(Click.store_id) == store_id,
            _in(col(Click.created_at), start, end),
            col(Conversion.status).in_(REFERRED_STATUSES),
            col(Order.status) != "refunded",
        )
        .group_by(bucket)
    )
    for value, count in rows:
        days[as_date(value)].converted_clicks += int(count)


def reward_cost(kind: str, value: Decimal, order_total: Decimal) -> Decimal:
    """A reward's cost in the store's currency: a percentage coupon is valued on the referred
    order it came from (what the friend's discount took off it, or what the advocate's coupon
    is likely to); points are not money and are counted apart."""
    if kind == "coupon_percent":
        return (value * order_total / Decimal(100)).quantize(Decimal("0.01"))
    return value


def _rewards(
    session: Session,
    store_id: int,
    tz: ZoneInfo,
    offset: int,
    start: datetime,
    end: datetime,
    days: dict[date, DayCounts],
) -> None:
    bucket = day_of(session, col(Order.placed_at), tz, offset)
    rows = session.execute(
        select(
            bucket,
            col(Reward.advocate_id),
            col(Reward.kind),
            col(Reward.value),
            col(Conversion.order_total),
        )
        .join(Conversion, col(Conversion.id) == col(Reward.conversion_id))
        .join(Order, col(Order.id) == col(Conversion.order_pk))
        .where(
            col(Reward.store_id) == store_id,
            col(Reward.status).notin_(SPENT_REWARD_STATUSES),
            _in(col(Order.placed_at), start, end),
        )
    )
    for value, advocate_id, kind, amount, order_total in rows:
        counts = days[as_date(value)]
        if kind == "points":
            counts.reward_points += _dec(amount)
            continue
        cost = reward_cost(kind, _dec(amount), _dec(order_total))
        counts.reward_cost += cost
        entry = counts.advocates.setdefault(int(advocate_id), [0, Decimal(0), Decimal(0)])
        entry[2] += cost


def _reviews(
    session: Session,
    store_id: int,
    tz: ZoneInfo,
    offset: int,
    start: datetime,
    end: datetime,
    days: dict[date, DayCounts],
) -> None:
    bucket = day_of(session, col(Review.created_at), tz, offset)
    where = (
        col(Review.store_id) == store_id,
        col(Review.status) != REJECTED,
        _in(col(Review.created_at), start, end),
    )
    rows = session.execute(
        select(bucket, col(Review.rating), col(Review.sentiment_label), func.count())
        .where(*where)
        .group_by(bucket, col(Review.rating), col(Review.sentiment_label))
    )
    for value, rating, label, count in rows:
        counts = days[as_date(value)]
        n = int(count)
        counts.reviews += n
        counts.rating_sum += int(rating) * n
        if 1 <= int(rating) <= 5:
            counts.ratings[int(rating) - 1] += n
        counts.sentiment[label if label in SENTIMENTS else "unscored"] += n
    replies = session.execute(
        select(bucket, col(Review.created_at), col(Review.reply_at)).where(
            *where, col(Review.reply_at).is_not(None)
        )
    )
    for value, created_at, reply_at in replies:
        counts = days[as_date(value)]
        counts.replied += 1
        counts.reply_seconds += max(int((reply_at - created_at).total_seconds()), 0)
    scored = session.execute(
        select(
            bucket,
            col(Review.id),
            col(Review.status),
            col(Review.sentiment_aspects),
            col(Review.sentiment_aspect_confidence),
            col(Review.sentiment_sarcasm),
        ).where(*where, col(Review.sentiment_aspects).is_not(None))
    )
    candidates: dict[tuple[date, str, str], list[tuple[float, int]]] = defaultdict(list)
    for value, review_id, status, aspects, confidence, sarcasm in scored:
        key = as_date(value)
        counts = days[key]
        sure = dict(_aspect_items(confidence))
        for aspect, score in _aspect_items(aspects):
            if abs(score) < ASPECT_THRESHOLD:
                continue
            pair = counts.aspects.setdefault(aspect, [0, 0])
            polarity = "praised" if score > 0 else "complained"
            pair[0 if score > 0 else 1] += 1
            if status == "published" and quotable(score, sure.get(aspect), sarcasm=bool(sarcasm)):
                candidates[(key, aspect, polarity)].append((abs(score), int(review_id)))
    for (key, aspect, polarity), found in candidates.items():
        found.sort(key=lambda item: (-item[0], -item[1]))
        examples = days[key].examples.setdefault(aspect, {})
        examples[polarity] = [[round(s, 4), i] for s, i in found[:EXAMPLES_PER_DAY]]


def quotable(score: float, confidence: float | None, *, sarcasm: bool) -> bool:
    """Whether an aspect mention may be quoted: the scorer was confident of it (a score from
    before confidence was recorded is not known to be), and praise in a review that may be
    sarcastic is never quoted as praise."""
    if confidence is None or confidence < QUOTE_CONFIDENCE:
        return False
    return not (sarcasm and score > 0)


def _aspect_items(aspects: Any) -> Iterable[tuple[str, float]]:
    if not isinstance(aspects, dict):
        return ()
    return ((str(k), float(v)) for k, v in aspects.items() if isinstance(v, int | float))
