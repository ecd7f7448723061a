"""Advocate tiers: ranks a store names, reached by the number of buyers an advocate referred
(accepted referrals), each with a bonus on the advocate's rewards. Never about reviews."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from rcommerce.orders.models import Order
from rcommerce.referrals.models import AdvocateTier, Conversion, TierIn, TiersIn
from rcommerce.stores.models import Store

ACCEPTED = ("pending", "approved")
# Reward kinds a tier bonus raises: amounts and points (a percentage coupon stays as it is).
BONUS_KINDS = ("store_credit", "points", "coupon_fixed")


def tiers(session: Session, store: Store) -> list[AdvocateTier]:
    return list(
        session.exec(
            select(AdvocateTier)
            .where(AdvocateTier.store_id == store.id)
            .order_by(col(AdvocateTier.min_referred_buyers))
        )
    )


def replace_tiers(*, session: Session, store: Store, data: TiersIn) -> list[AdvocateTier]:
    assert store.id is not None
    session.execute(delete(AdvocateTier).where(col(AdvocateTier.store_id) == store.id))
    for tier in data.tiers:
        session.add(AdvocateTier(store_id=store.id, **tier.model_dump()))
    session.flush()
    return tiers(session, store)


def public(rows: list[AdvocateTier]) -> list[dict[str, Any]]:
    return [
        TierIn(
            name=t.name, min_referred_buyers=t.min_referred_buyers, bonus_percent=t.bonus_percent
        ).model_dump()
        for t in rows
    ]


def referred_buyers(session: Session, advocate_id: int, *, before: int | None = None) -> int:
    """Distinct buyers of the advocate's accepted referrals (``before``: only conversions with
    a smaller id, i.e. those before that one)."""
    query = (
        select(func.count(func.distinct(func.coalesce(Order.email, Order.phone))))
        .select_from(Conversion)
        .join(Order, col(Order.id) == Conversion.order_pk)
        .where(Conversion.advocate_id == advocate_id, col(Conversion.status).in_(ACCEPTED))
    )
    if before is not None:
        query = query.where(col(Conversion.id) < before)
    return int(session.exec(query).one())


def standing(
    session: Session, store: Store, advocate_id: int, *, before: int | None = None
) -> dict[str, Any]:
    """The advocate's tier (None below the first), the next one, and how many more referred
    buyers reach it."""
    count = referred_buyers(session, advocate_id, before=before)
    current: AdvocateTier | None = None
    following: AdvocateTier | None = None
    for tier in tiers(session, store):
        if count >= tier.min_referred_buyers:
            current = tier
        elif following is None:
            following = tier
    return {
        "referred_buyers": count,
        "tier": current,
        "next": following,
        "to_next": following.min_referred_buyers - count if following else None,
    }


def with_bonus(
    session: Session, store: Store, advocate_id: int, conversion_id: int, kind: str, value: Decimal
) -> Decimal:
    """The advocate's reward for a conversion, raised by the tier they held before it."""
    if kind not in BONUS_KINDS:
        return value
    tier = standing(session, store, advocate_id, before=conversion_id)["tier"]
    if tier is None or not tier.bonus_percent:
        return value
    raised: Decimal = value * (100 + tier.bonus_percent) / 100
    return raised.quantize(Decimal("0.01"))
