"""The advocates' append-only ledger (store credit, points) and redemptions, which never
overdraw nor spend twice; a clawback may leave a debt that blocks redemptions until repaid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from rcommerce.advocates import service as advocates
from rcommerce.advocates.models import Advocate
from rcommerce.errors import ApiError, Conflict, Forbidden, InvalidInput
from rcommerce.referrals import webhooks
from rcommerce.referrals.coupons import announce, new_coupon_code
from rcommerce.referrals.models import Coupon, LedgerEntry, Redemption
from rcommerce.stores.models import Store

UNITS = ("credit", "points")


def balance(session: Session, advocate_id: int, unit: str = "credit") -> Decimal:
    total = session.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.advocate_id == advocate_id, LedgerEntry.unit == unit
        )
    ).one()
    return Decimal(str(total)).quantize(Decimal("0.01"))


def debt(session: Session, advocate_id: int, unit: str = "credit") -> Decimal:
    """What the advocate owes in ``unit``: a clawback after the credit was spent leaves a
    negative balance, shown as a debt (zero when the balance is not negative)."""
    return max(-balance(session, advocate_id, unit), Decimal("0.00"))


def lock_advocate(session: Session, advocate_id: int) -> Advocate | None:
    """Serialise balance changes of one advocate: FOR UPDATE on PostgreSQL; on SQLite the
    write transaction (BEGIN IMMEDIATE) already holds the database's write lock."""
    return session.exec(
        select(Advocate)
        .where(Advocate.id == advocate_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


@dataclass(frozen=True)
class RedemptionAnswer:
    status: int
    body: dict[str, Any]


def redeem(
    *,
    session: Session,
    store: Store,
    advocate_id: int,
    amount: Decimal,
    idempotency_key: str,
    unit: str = "credit",
    now: datetime,
    coupon: tuple[str, Decimal] | None = None,
    catalogue_item_id: int | None = None,
) -> RedemptionAnswer:
    """Spend balance: 201 with a coupon for the amount, or 409 when the balance does not
    cover it (``insufficient_balance``) or the advocate owes a debt in any unit
    (``balance_in_debt``). The answer is kept under the key, so a repeated request gets it
    again. ``coupon`` (kind, value) is the coupon a spend of points buys (a catalogue
    item's); store credit always buys a fixed-amount coupon of the amount spent."""
    key = idempotency_key.strip()
    if not key or len(key) > 200:
        raise InvalidInput("Send an Idempotency-Key header of 1 to 200 characters.")
    if amount <= 0:
        raise InvalidInput("amount must be greater than zero.")
    advocates.get_advocate(session, store, advocate_id)
    advocate = lock_advocate(session, advocate_id)
    assert advocate is not None and advocate.id is not None and store.id is not None
    earlier = session.exec(
        select(Redemption).where(
            Redemption.advocate_id == advocate.id, Redemption.idempotency_key == key
        )
    ).first()
    if earlier is not None:
        if earlier.amount != amount or earlier.unit != unit:
            raise InvalidInput(
                "This Idempotency-Key was used for a different request.", code="idempotency_reused"
            )
        return RedemptionAnswer(earlier.response_status, dict(earlier.response))
    available = balance(session, advocate.id, unit)
    # Refusals are answers kept under the key (not raised), so they are built from the domain
    # errors' wire shape.
    if advocate.status not in ("active", "opted_out"):
        refusal: ApiError = Forbidden("This advocate is blocked.", code="advocate_blocked")
        answer = RedemptionAnswer(refusal.status, refusal.body())
        succeeded = False
    elif owed := [u for u in UNITS if debt(session, advocate.id, u)]:
        # A debt (a clawback after the credit was spent) is repaid by later rewards before
        # anything can be spent again, in any unit.
        refusal = Conflict(
            f"The advocate owes {debt(session, advocate.id, owed[0])} ({owed[0]}) from a "
            "refunded referral; later rewards repay it before anything can be redeemed.",
            code="balance_in_debt",
            unit=owed[0],
            debt=str(debt(session, advocate.id, owed[0])),
            balance=str(available),
        )
        answer = RedemptionAnswer(refusal.status, refusal.body())
        succeeded = False
    elif amount > available:
        refusal = Conflict(
            f"The balance ({available}) does not cover {amount}.",
            code="insufficient_balance",
            balance=str(available),
        )
        answer = RedemptionAnswer(refusal.status, refusal.body())
        succeeded = False
    else:
        answer = RedemptionAnswer(201, {})
        succeeded = True
    redemption = Redemption(
        store_id=store.id,
        advocate_id=advocate.id,
        idempotency_key=key,
        unit=unit,
        amount=amount,
        succeeded=succeeded,
        response_status=answer.status,
        response=answer.body,
        created_at=now,
    )
    session.add(redemption)
    session.flush()
    if not succeeded:
        return answer
    assert redemption.id is not None
    session.add(
        LedgerEntry(
            store_id=store.id,
            advocate_id=advocate.id,
            unit=unit,
            kind="redemption",
            amount=-amount,
            redemption_id=redemption.id,
            memo=f"redemption {redemption.id}",
            created_at=now,
        )
    )
    code = None
    bought = ("coupon_fixed", amount) if unit == "credit" else coupon
    if bought is not None:
        code = new_coupon_code("RC")
        issued = Coupon(
            store_id=store.id,
            code=code,
            purpose="redemption",
            advocate_id=advocate.id,
            kind=bought[0],
            value=bought[1],
            created_at=now,
        )
        session.add(issued)
        session.flush()
        announce(session, store, issued, now)
    session.flush()
    body = {
        "id": redemption.id,
        "advocate_id": advocate.id,
        "amount": str(amount),
        "unit": unit,
        "currency": store.currency if unit == "credit" else None,
        "coupon_code": code,
        "coupon_kind": bought[0] if bought else None,
        "coupon_value": str(bought[1]) if bought else None,
        "catalogue_item_id": catalogue_item_id,
        "balance": str(available - amount),
        "created_at": now.isoformat(),
    }
    redemption.response = body
    session.add(redemption)
    webhooks.emit(session, store, "redemption.created", body, now=now)
    return RedemptionAnswer(201, body)
