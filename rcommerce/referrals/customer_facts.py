"""What the referral programme saw of each buyer, read in bulk for customer segments: which
orders a referral brought (and how long after the click), each advocate's clicks and the
buyers they referred, their unique clicks by day, and what each advocate's referrals did over
a period (the segments report compares segments by them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, literal
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order
from rcommerce.referrals.models import Click, Conversion, Reward
from rcommerce.stores.models import Store

# Conversions the programme accepted: not rejected, not held as suspect, not refunded.
ACCEPTED = ("pending", "approved")
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class ReferredOrder:
    by_coupon: bool  # the friend's coupon brought it (a referral discount)
    clicked_at: datetime | None  # the click of the referral link that brought it, if any


@dataclass(frozen=True, slots=True)
class Reach:
    clicks: int  # clicks on the advocate's referral link (bots are never recorded)
    referred_buyers: int  # distinct buyers whose orders the programme accepted


def referred_orders(session: Session, store: Store) -> dict[int, ReferredOrder]:
    """Order pk -> how a referral brought it, for the store's accepted referred orders."""
    rows = session.exec(
        select(Conversion.order_pk, Conversion.attributed_by, Click.created_at)
        .join(Click, col(Click.id) == Conversion.click_id, isouter=True)
        .where(Conversion.store_id == store.id, col(Conversion.status).in_(ACCEPTED))
    )
    return {
        order_pk: ReferredOrder(by_coupon=attributed_by == "coupon", clicked_at=clicked_at)
        for order_pk, attributed_by, clicked_at in rows
    }


def reach_by_email(session: Session, store: Store) -> dict[str, Reach]:
    """Advocate's e-mail -> what their referral link did (advocates who shared nothing and
    referred nobody are left out)."""
    # Counted from the (advocate, time) index alone: a store's clicks are millions, and the
    # advocates' ids already say which store they belong to.
    of_store = select(Advocate.id).where(Advocate.store_id == store.id)
    clicks = dict(
        session.exec(
            select(Click.advocate_id, func.count())
            .where(col(Click.advocate_id).in_(of_store))
            .group_by(col(Click.advocate_id))
        ).all()
    )
    buyer = func.coalesce(Order.email, Order.phone)
    referred = dict(
        session.exec(
            select(Conversion.advocate_id, func.count(func.distinct(buyer)))
            .join(Order, col(Order.id) == Conversion.order_pk)
            .where(Conversion.store_id == store.id, col(Conversion.status).in_(ACCEPTED))
            .group_by(col(Conversion.advocate_id))
        ).all()
    )
    wanted = set(clicks) | set(referred)
    if not wanted:
        return {}
    people = session.exec(
        select(Advocate.id, Advocate.email, Advocate.phone).where(
            Advocate.store_id == store.id, Advocate.status != "erased"
        )
    ).all()
    # Keyed as buyers are (their e-mail, else their phone): an advocate known only by phone
    # meets their orders placed with that phone.
    return {
        (email.lower() if email else phone or ""): Reach(
            clicks=int(clicks.get(pk, 0)), referred_buyers=int(referred.get(pk, 0))
        )
        for pk, email, phone in people
        if pk in wanted and (email or phone)
    }


@dataclass(slots=True)
class Results:
    """What one advocate's referrals did over a period (for the segments report)."""

    referred_buyers: int = 0  # distinct buyers of the accepted conversions opened
    revenue: Decimal = Decimal(0)  # those conversions' order totals
    rewards_cost: Decimal = Decimal(0)  # money given for them (see ``results_per_advocate``)
    reward_points: Decimal = Decimal(0)  # points given for them


def advocate_key() -> Any:
    """An advocate as customers are keyed: their e-mail, else their phone."""
    return func.coalesce(col(Advocate.email), col(Advocate.phone))


def advocate_emails(store: Store) -> Any:
    """The keys (e-mail, else phone) of the store's advocates still in the programme (a
    subquery)."""
    return select_columns(advocate_key()).where(
        col(Advocate.store_id) == store.id, col(Advocate.status) != "erased"
    )


def _opened(store: Store, start: datetime, end: datetime) -> tuple[Any, ...]:
    """The accepted conversions opened in [start, end) of advocates still in the programme."""
    return (
        col(Conversion.store_id) == store.id,
        col(Conversion.status).in_(ACCEPTED),
        col(Conversion.created_at) >= start,
        col(Conversion.created_at) < end,
        col(Advocate.status) != "erased",
    )


def results_per_advocate(store: Store, start: datetime, end: datetime) -> Any:
    """What each advocate's referrals did in [start, end), as a subquery with one row per
    advocate: ``advocate_id``, ``customer`` (their key as customers are keyed: e-mail, else
    phone), ``buyers`` (distinct buyers of the accepted conversions opened then: pending or
    approved, not held, rejected or refunded), ``revenue`` (those orders' totals), and of the
    rewards given for them (not void, not clawed back): ``points``, ``money`` (store credit and
    fixed-amount coupons at their value) and ``percent_share`` (the friend's percentage coupons
    as value x order total, to divide by 100: that share of the order it was spent on); an
    advocate's percentage coupon is no known amount until used, and is left out. Erased
    advocates and advocates with no such conversion have no row."""
    buyer = func.coalesce(Order.email, Order.phone)
    conversions = (
        select_columns(
            col(Conversion.advocate_id).label("advocate_id"),
            advocate_key().label("customer"),
            func.count(func.distinct(buyer)).label("buyers"),
            func.sum(Conversion.order_total).label("revenue"),
        )
        .select_from(Conversion)
        .join(Advocate, col(Advocate.id) == Conversion.advocate_id)
        .join(Order, col(Order.id) == Conversion.order_pk, isouter=True)
        .where(*_opened(store, start, end))
        .group_by(col(Conversion.advocate_id), advocate_key())
        .subquery()
    )
    kind, recipient = col(Reward.kind), col(Reward.recipient)
    rewards = (
        select_columns(
            col(Conversion.advocate_id).label("advocate_id"),
            func.sum(case((kind == "points", Reward.value), else_=0)).label("points"),
            func.sum(
                case((kind.in_(("store_credit", "coupon_fixed")), Reward.value), else_=0)
            ).label("money"),
            func.sum(
                case(
                    (
                        (kind == "coupon_percent") & (recipient == "friend"),
                        Reward.value * Conversion.order_total,
                    ),
                    else_=0,
                )
            ).label("percent_share"),
        )
        .select_from(Reward)
        .join(Conversion, col(Conversion.id) == Reward.conversion_id)
        .join(Advocate, col(Advocate.id) == Conversion.advocate_id)
        .where(*_opened(store, start, end), col(Reward.status).not_in(("void", "clawed_back")))
        .group_by(col(Conversion.advocate_id))
        .subquery()
    )
    return (
        select_columns(
            conversions.c.advocate_id,
            conversions.c.customer,
            conversions.c.buyers,
            conversions.c.revenue,
            rewards.c.points,
            rewards.c.money,
            rewards.c.percent_share,
        )
        .select_from(conversions)
        .join(rewards, rewards.c.advocate_id == conversions.c.advocate_id, isouter=True)
        .subquery()
    )


def results_of(buyers: Any, revenue: Any, points: Any, money: Any, share: Any) -> Results:
    """An advocate's ``Results`` from a ``results_per_advocate`` row's figures."""
    return Results(
        referred_buyers=int(buyers or 0),
        revenue=Decimal(str(revenue or 0)),
        rewards_cost=Decimal(str(money or 0)) + (Decimal(str(share or 0)) / 100).quantize(CENT),
        reward_points=Decimal(str(points or 0)),
    )


def unique_clicks_by_day(
    session: Session, store: Store, zone: ZoneInfo, now: datetime
) -> dict[str, dict[date, int]]:
    """Advocate's e-mail -> unique clicks on their link per day (the store's days: on SQLite by
    the zone's offset at ``now``, so a day may be an hour off across a clock change). Read in
    one pass over the store's clicks by the segments job."""
    of_store = select(Advocate.id).where(Advocate.store_id == store.id)
    if session.get_bind().dialect.name == "postgresql":
        day = func.date(func.timezone(zone.key, func.timezone("UTC", Click.created_at)))
    else:
        offset = now.astimezone(zone).utcoffset() or timedelta(0)
        day = func.date(Click.created_at, literal(f"{int(offset.total_seconds()):+d} seconds"))
    rows = session.execute(
        select_columns(col(Click.advocate_id), day, func.count())
        .where(col(Click.advocate_id).in_(of_store), col(Click.unique).is_(True))
        .group_by(col(Click.advocate_id), day)
    ).all()
    emails: dict[int, str] = {
        pk: key
        for pk, key in session.execute(
            select_columns(col(Advocate.id), advocate_key()).where(
                col(Advocate.store_id) == store.id, col(Advocate.status) != "erased"
            )
        ).all()
        if key
    }
    found: dict[str, dict[date, int]] = defaultdict(dict)
    for advocate_id, when, count in rows:
        if advocate_id in emails:
            on = when if isinstance(when, date) else date.fromisoformat(str(when))
            found[emails[advocate_id]][on] = int(count)
    return found
