"""What an advocate has earned and may spend, as the portal shows it: the balance (or the debt a
clawback left), rewards waiting for their release date, orders under review, the ledger and
the advocate's coupon codes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from rcommerce.referrals.ledger import balance
from rcommerce.referrals.models import (
    Conversion,
    Coupon,
    LedgerEntry,
    PurchasePoints,
    Redemption,
    Reward,
)

LEDGER_LINES = 100
COUPON_LINES = 50


@dataclass(frozen=True)
class Wallet:
    balance: Decimal  # store credit; below zero it is a debt later rewards repay
    points: Decimal
    pending: list[dict[str, Any]]  # rewards of confirmed orders, each with its release date
    under_review: list[dict[str, Any]]  # the advocate's orders held for a manager's decision
    ledger: list[dict[str, Any]]  # newest first: reward, clawback, redemption
    coupons: list[dict[str, Any]]  # reward and redemption coupons, newest first

    @property
    def debt(self) -> Decimal:
        return -self.balance if self.balance < 0 else Decimal(0)

    @property
    def can_redeem(self) -> bool:
        return self.balance > 0


def advocate_wallet(*, session: Session, advocate_id: int) -> Wallet:
    """The advocate's wallet. A held order is under review, never a pending reward: it may
    still be rejected."""
    waiting = session.exec(
        select(Reward, Conversion)
        .join(Conversion, col(Conversion.id) == Reward.conversion_id)
        .where(
            Reward.advocate_id == advocate_id,
            Reward.recipient == "advocate",
            col(Reward.status).in_(("pending", "approved")),
            col(Conversion.status).in_(("pending", "approved")),
        )
        .order_by(col(Conversion.approve_after), col(Reward.id))
    ).all()
    pending: list[dict[str, Any]] = [
        {
            "reward_id": reward.id,
            "kind": reward.kind,
            "value": reward.value,
            "ordered_at": conversion.created_at,
            "release_at": conversion.approve_after,
        }
        for reward, conversion in waiting
    ]
    # Points earned on the advocate's own orders wait for the same hold period.
    pending += [
        {
            "reward_id": None,
            "kind": "points",
            "value": row.points,
            "ordered_at": row.created_at,
            "release_at": row.approve_after,
        }
        for row in session.exec(
            select(PurchasePoints).where(
                PurchasePoints.advocate_id == advocate_id, PurchasePoints.status == "pending"
            )
        )
    ]
    pending.sort(key=lambda entry: entry["release_at"])
    held = session.exec(
        select(Conversion)
        .where(Conversion.advocate_id == advocate_id, Conversion.status == "held")
        .order_by(col(Conversion.id).desc())
    ).all()
    under_review = [{"conversion_id": c.id, "ordered_at": c.created_at} for c in held]
    return Wallet(
        balance=balance(session, advocate_id),
        points=balance(session, advocate_id, "points"),
        pending=pending,
        under_review=under_review,
        ledger=_ledger(session, advocate_id),
        coupons=_coupons(session, advocate_id),
    )


def _ledger(session: Session, advocate_id: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(LedgerEntry, Redemption)
        .join(Redemption, col(Redemption.id) == LedgerEntry.redemption_id, isouter=True)
        .where(LedgerEntry.advocate_id == advocate_id)
        .order_by(col(LedgerEntry.id).desc())
        .limit(LEDGER_LINES)
    ).all()
    return [
        {
            "id": entry.id,
            "kind": entry.kind,  # reward | clawback | redemption
            "unit": entry.unit,
            "amount": entry.amount,
            "coupon_code": (redemption.response or {}).get("coupon_code") if redemption else None,
            "created_at": entry.created_at,
        }
        for entry, redemption in rows
    ]


def _coupons(session: Session, advocate_id: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Coupon)
        .where(
            Coupon.advocate_id == advocate_id,
            col(Coupon.purpose).in_(("reward", "review", "redemption")),
        )
        .order_by(col(Coupon.id).desc())
        .limit(COUPON_LINES)
    ).all()
    return [
        {
            "code": c.code,
            "purpose": c.purpose,  # reward | review (a review with a photo) | redemption
            "kind": c.kind,
            "value": c.value,
            "status": c.status,  # active | used | void
            "created_at": c.created_at,
        }
        for c in rows
    ]


def newest_redemption_coupon(wallet: Wallet) -> str | None:
    """The code of the advocate's latest redemption coupon (shown after redeeming)."""
    for coupon in wallet.coupons:
        if coupon["purpose"] == "redemption":
            return str(coupon["code"])
    return None
