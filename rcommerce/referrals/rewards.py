"""Rewards after a conversion: approval when the hold period has passed (issuing credit,
points or a coupon), reversal when the order is refunded (void or claw back), and reduction
when part of it is refunded."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from rcommerce.advocates.i18n import t
from rcommerce.jobs import enqueue
from rcommerce.orders.models import Order
from rcommerce.referrals import webhooks
from rcommerce.referrals.coupons import announce, new_coupon_code
from rcommerce.referrals.ledger import balance, debt, lock_advocate
from rcommerce.referrals.models import Campaign, Conversion, Coupon, LedgerEntry, Reward
from rcommerce.referrals.read_models import conversion_data, reward_data
from rcommerce.stores.models import Store
from rcommerce.templating import format_money

LEDGER_UNIT = {"store_credit": "credit", "points": "points", "coupon_fixed": "credit"}
# Rewards that are an amount, reduced in proportion on a partial refund; a percentage coupon
# is not an amount and is kept whole (see docs/referrals.md, "Partial refunds").
AMOUNT_KINDS = ("store_credit", "points", "coupon_fixed")
CENT = Decimal("0.01")


def approve_due(*, session: Session, store: Store, now: datetime, limit: int = 200) -> int:
    """Approve and issue the rewards of conversions whose hold period has passed."""
    due = list(
        session.exec(
            select(Conversion)
            .where(
                Conversion.store_id == store.id,
                Conversion.status == "pending",
                col(Conversion.approve_after) <= now,
            )
            .order_by(col(Conversion.id))
            .limit(limit)
        )
    )
    for conversion in due:
        approve_conversion(session=session, store=store, conversion=conversion, now=now)
    return len(due)


def approve_conversion(
    *, session: Session, store: Store, conversion: Conversion, now: datetime, notify: bool = True
) -> None:
    # The conditional update is the claim: a refund racing this approval wins or loses whole.
    claimed = session.execute(
        update(Conversion)
        .where(col(Conversion.id) == conversion.id, col(Conversion.status) == "pending")
        .values(status="approved", approved_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return
    session.refresh(conversion)
    webhooks.emit(
        session, store, "conversion.approved", conversion_data(session, conversion), now=now
    )
    for reward in rewards_of(session, conversion, status="pending"):
        reward.status, reward.approved_at = "approved", now
        session.add(reward)
        session.flush()
        webhooks.emit(session, store, "reward.approved", reward_data(reward), now=now)
        issue_reward(session=session, store=store, reward=reward, now=now, notify=notify)


def issue_reward(
    *, session: Session, store: Store, reward: Reward, now: datetime, notify: bool = True
) -> None:
    """Credit the ledger (store credit, points) or generate a coupon code. A fixed-amount
    coupon earned while the advocate owes store credit is credited instead, so that it repays
    the debt (what is left over can be redeemed as usual)."""
    assert reward.id is not None
    repays = reward.kind == "coupon_fixed" and debt(session, reward.advocate_id) > 0
    if reward.kind in ("store_credit", "points") or repays:
        session.add(
            LedgerEntry(
                store_id=store.id or 0,
                advocate_id=reward.advocate_id,
                unit=LEDGER_UNIT[reward.kind],
                kind="reward",
                amount=reward.value,
                reward_id=reward.id,
                memo=f"conversion {reward.conversion_id}" + (" (repays a debt)" if repays else ""),
                created_at=now,
            )
        )
    else:
        code = new_coupon_code("RW")
        coupon = Coupon(
            store_id=store.id or 0,
            code=code,
            purpose="reward",
            advocate_id=reward.advocate_id,
            reward_id=reward.id,
            kind=reward.kind,
            value=reward.value,
            created_at=now,
        )
        session.add(coupon)
        session.flush()
        announce(session, store, coupon, now)
        reward.coupon_code = code
    reward.status, reward.issued_at = "issued", now
    session.add(reward)
    session.flush()
    webhooks.emit(session, store, "reward.issued", reward_data(reward), now=now)
    if not notify:
        return
    enqueue(
        session,
        "referrals.reward_email",
        {"advocate_id": reward.advocate_id, "reward_id": reward.id},
        store_id=store.id,
        dedupe_key=f"reward-email:{reward.id}",
    )


def rewards_of(session: Session, conversion: Conversion, status: str | None = None) -> list[Reward]:
    query = select(Reward).where(
        Reward.conversion_id == conversion.id, Reward.recipient == "advocate"
    )
    if status:
        query = query.where(Reward.status == status)
    return list(session.exec(query.order_by(col(Reward.id))))


def reverse_order(*, session: Session, store: Store, order: Order, now: datetime) -> dict[str, Any]:
    """A refunded order's conversion is reversed: rewards not yet issued are voided, issued
    ones clawed back with negative ledger entries. Repeating it changes nothing."""
    conversion = session.exec(select(Conversion).where(Conversion.order_pk == order.id)).first()
    if conversion is None:
        return {"conversion_status": None}
    if conversion.status in ("pending", "held", "approved"):
        lock_advocate(session, conversion.advocate_id)
        conversion.status, conversion.reversed_at = "reversed", now
        session.add(conversion)
        for reward in rewards_of(session, conversion):
            _reverse_reward(session, store, reward, now)
        session.flush()
        webhooks.emit(
            session, store, "conversion.reversed", conversion_data(session, conversion), now=now
        )
    return {
        "conversion_status": conversion.status,
        "balance": str(balance(session, conversion.advocate_id)),
    }


def reduce_for_partial_refund(
    *, session: Session, store: Store, order: Order, amount: Decimal, now: datetime
) -> dict[str, Any]:
    """Part of a referred order was refunded (``amount`` by this refund; ``order`` already
    counts it in ``refunded_amount``): each advocate reward that is an amount keeps only the
    share of the order the buyer kept; when what is kept falls below the campaign's minimum
    order total the whole conversion is reversed, as for a full refund."""
    conversion = session.exec(select(Conversion).where(Conversion.order_pk == order.id)).first()
    if conversion is None:
        return {"conversion_status": None}
    kept_now = max(order.total - order.refunded_amount, Decimal(0))
    kept_before = kept_now + amount
    if conversion.status not in ("pending", "held", "approved") or kept_before <= 0 or amount <= 0:
        return {"conversion_status": conversion.status}
    campaign = session.get(Campaign, conversion.campaign_id) if conversion.campaign_id else None
    if campaign is not None and kept_now < campaign.min_order_total:
        return reverse_order(session=session, store=store, order=order, now=now)
    lock_advocate(session, conversion.advocate_id)
    for reward in rewards_of(session, conversion):
        if reward.kind in AMOUNT_KINDS:
            _reduce_reward(session, store, reward, kept_now / kept_before, now)
    return {
        "conversion_status": conversion.status,
        "balance": str(balance(session, conversion.advocate_id)),
    }


def _reduce_reward(
    session: Session, store: Store, reward: Reward, share: Decimal, now: datetime
) -> None:
    """Keep ``share`` of the reward: its value is lowered before it is issued; once issued
    (credited, or a fixed coupon handed out) the difference is clawed back from the ledger."""
    if reward.status not in ("pending", "approved", "issued", "redeemed"):
        return
    kept = (reward.value * share).quantize(CENT, rounding=ROUND_HALF_UP)
    taken = reward.value - kept
    if taken <= 0:
        return
    if reward.status in ("issued", "redeemed"):
        session.add(
            LedgerEntry(
                store_id=store.id or 0,
                advocate_id=reward.advocate_id,
                unit=LEDGER_UNIT[reward.kind],
                kind="clawback",
                amount=-taken,
                reward_id=reward.id,
                memo=f"partial refund of conversion {reward.conversion_id}",
                created_at=now,
            )
        )
    reward.value = kept
    session.add(reward)
    session.flush()
    webhooks.emit(
        session, store, "reward.reduced", {**reward_data(reward), "reduced_by": str(taken)}, now=now
    )


def _reverse_reward(session: Session, store: Store, reward: Reward, now: datetime) -> None:
    if reward.status in ("pending", "approved"):
        reward.status, reward.voided_at = "void", now
        event = "reward.voided"
    elif reward.status in ("issued", "redeemed"):
        coupon = (
            session.exec(select(Coupon).where(Coupon.reward_id == reward.id)).first()
            if reward.coupon_code
            else None
        )
        if coupon is not None and coupon.status == "active":
            coupon.status = "void"
            session.add(coupon)
            _return_partial_clawbacks(session, store, reward, now)
            reward.status, reward.voided_at = "void", now
            event = "reward.voided"
        else:
            unit = LEDGER_UNIT.get(reward.kind)
            if unit is not None:  # a spent percentage coupon has no amount to take back
                session.add(
                    LedgerEntry(
                        store_id=store.id or 0,
                        advocate_id=reward.advocate_id,
                        unit=unit,
                        kind="clawback",
                        amount=-reward.value,
                        reward_id=reward.id,
                        memo=f"refund of conversion {reward.conversion_id}",
                        created_at=now,
                    )
                )
            reward.status, reward.voided_at = "clawed_back", now
            event = "reward.clawed_back"
    else:
        return
    session.add(reward)
    session.flush()
    webhooks.emit(session, store, event, reward_data(reward), now=now)


def _return_partial_clawbacks(
    session: Session, store: Store, reward: Reward, now: datetime
) -> None:
    """A fixed coupon voided unused takes nothing from the advocate: what partial refunds
    clawed back from the ledger while it stood is given back."""
    taken = session.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.reward_id == reward.id, LedgerEntry.kind == "clawback"
        )
    ).one()
    if taken < 0:
        session.add(
            LedgerEntry(
                store_id=store.id or 0,
                advocate_id=reward.advocate_id,
                unit=LEDGER_UNIT[reward.kind],
                kind="clawback",
                amount=-Decimal(taken),
                reward_id=reward.id,
                memo=f"coupon {reward.coupon_code} void: partial clawbacks returned",
                created_at=now,
            )
        )


def describe_reward(kind: str, value: Decimal, currency: str, locale: str | None) -> str:
    """A reward in words, in the advocate's language ("Giảm 10%", "50.000 ₫ store credit")."""
    if kind == "coupon_percent" or kind == "points":
        shown = f"{value.normalize():f}"
    else:
        shown = format_money(value, currency)
    return t(locale, f"kind.{kind}", value=shown)
