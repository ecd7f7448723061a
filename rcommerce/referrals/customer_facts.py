"""What the referral programme saw of each buyer, read in bulk for customer segments: which
orders a referral brought (and how long after the click), each advocate's clicks and the
buyers they referred."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order
from rcommerce.referrals.models import Click, Conversion
from rcommerce.stores.models import Store

# Conversions the programme accepted: not rejected, not held as suspect, not refunded.
ACCEPTED = ("pending", "approved")


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
