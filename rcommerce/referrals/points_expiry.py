"""Points that expire: a store may set ``points_expire_days``; points earned longer ago than
that and not yet spent are taken off by an ``expire`` ledger entry. Spending consumes the
oldest points first (FIFO), so each credit's unspent remainder is computed by replaying the
advocate's points ledger; past rows are never changed. Expiring is idempotent (the expire
entry consumes exactly the remainders it expired), never makes a balance negative and never
touches a debt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from rcommerce.referrals import ledger
from rcommerce.referrals.models import LedgerEntry
from rcommerce.stores.models import Store

ZERO = Decimal("0.00")


@dataclass
class Credit:
    """Points credited by one ledger entry and how much of them is still unspent."""

    entry_id: int
    reward_id: int | None
    created_at: datetime
    remaining: Decimal


def unspent_credits(session: Session, advocate_id: int) -> list[Credit]:
    """The advocate's points credits, oldest first, each with its unspent remainder. A debit
    consumes the oldest remainders first; a clawback first takes back what is left of the
    reward it reverses; a debit beyond what is left is a debt that later credits repay
    before anything of them counts as unspent."""
    entries = session.exec(
        select(LedgerEntry)
        .where(LedgerEntry.advocate_id == advocate_id, LedgerEntry.unit == "points")
        .order_by(col(LedgerEntry.created_at), col(LedgerEntry.id))
    ).all()
    credits: list[Credit] = []
    owed = ZERO
    for entry in entries:
        amount = Decimal(entry.amount)
        if amount > 0:
            repaid = min(owed, amount)
            owed -= repaid
            assert entry.id is not None
            credits.append(Credit(entry.id, entry.reward_id, entry.created_at, amount - repaid))
            continue
        wanted = -amount
        if entry.kind == "clawback" and entry.reward_id is not None:
            own = [c for c in credits if c.reward_id == entry.reward_id]
            wanted = _consume(own, wanted)
        wanted = _consume(credits, wanted)
        owed += wanted
    return [c for c in credits if c.remaining > 0]


def _consume(credits: list[Credit], wanted: Decimal) -> Decimal:
    """Take ``wanted`` from the credits in order; returns what they could not cover."""
    for credit in credits:
        if wanted <= 0:
            break
        taken = min(credit.remaining, wanted)
        credit.remaining -= taken
        wanted -= taken
    return wanted


def next_expiry(
    session: Session, store: Store, advocate_id: int
) -> tuple[Decimal, datetime] | None:
    """How many points expire next and when (None when the store's points never expire or
    nothing is unspent): the oldest unspent credit and those earned the same day."""
    days = store.points_expire_days
    if not days:
        return None
    left = unspent_credits(session, advocate_id)
    if not left:
        return None
    first = left[0].created_at + timedelta(days=days)
    day = first.date()
    amount = sum(
        (c.remaining for c in left if (c.created_at + timedelta(days=days)).date() == day), ZERO
    )
    return amount, first


def expire_advocate(*, session: Session, store: Store, advocate_id: int, now: datetime) -> Decimal:
    """Write one ``expire`` entry for the advocate's points earned more than the store's
    ``points_expire_days`` ago and not yet spent; returns how many points expired (0 when
    none, when the points never expire, or when the advocate owes points)."""
    days = store.points_expire_days
    if not days or store.id is None:
        return ZERO
    ledger.lock_advocate(session, advocate_id)
    cutoff = now - timedelta(days=days)
    due = sum(
        (c.remaining for c in unspent_credits(session, advocate_id) if c.created_at <= cutoff),
        ZERO,
    )
    available = ledger.balance(session, advocate_id, "points")
    amount = min(due, available).quantize(Decimal("0.01"))
    if amount <= 0:
        return ZERO
    session.add(
        LedgerEntry(
            store_id=store.id,
            advocate_id=advocate_id,
            unit="points",
            kind="expire",
            amount=-amount,
            memo=f"points earned before {cutoff.date().isoformat()} expired",
            created_at=now,
        )
    )
    session.flush()
    return amount


def advocates_with_old_points(
    session: Session, store: Store, now: datetime, limit: int, after: int = 0
) -> list[int]:
    """Advocates (ids above ``after``, ascending) holding a points credit older than the
    store's expiry period: the ones :func:`expire_advocate` may have work for."""
    days = store.points_expire_days
    if not days:
        return []
    cutoff = now - timedelta(days=days)
    return list(
        session.exec(
            select(LedgerEntry.advocate_id)
            .where(
                LedgerEntry.store_id == store.id,
                LedgerEntry.unit == "points",
                col(LedgerEntry.amount) > 0,
                col(LedgerEntry.created_at) <= cutoff,
                col(LedgerEntry.advocate_id) > after,
            )
            .distinct()
            .order_by(col(LedgerEntry.advocate_id))
            .limit(limit)
        )
    )
