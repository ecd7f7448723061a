"""Points for purchases: when a store sets ``points_per_order_amount``, an advocate earns
points on their own orders (the buyer's e-mail is the advocate's), so many points per
``points_order_amount`` of the order total. They wait for the hold period of the store's
default campaign, as referral rewards do, then are credited to the ledger; a refund voids
them or claws them back, in proportion to what a partial refund returned. Nothing here reads
a review or a rating."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order
from rcommerce.referrals.ledger import lock_advocate
from rcommerce.referrals.models import Campaign, LedgerEntry, PurchasePoints
from rcommerce.stores.models import Store

CENT = Decimal("0.01")
DEFAULT_HOLD_DAYS = 14  # a store without a default campaign holds points as Campaign does


def points_for(store: Store, total: Decimal) -> Decimal:
    """The points an order total earns under the store's rate (0 when the store gives none)."""
    per = store.points_per_order_amount
    if per is None or per <= 0 or total <= 0:
        return Decimal("0.00")
    step = Decimal(store.points_order_amount)
    return (Decimal(total) / step * Decimal(per)).quantize(CENT, rounding=ROUND_DOWN)


def hold_days(session: Session, store: Store) -> int:
    days = session.exec(
        select(Campaign.hold_days).where(
            Campaign.store_id == store.id, col(Campaign.is_default).is_(True)
        )
    ).first()
    return DEFAULT_HOLD_DAYS if days is None else int(days)


def earn(*, session: Session, store: Store, order: Order, now: datetime) -> PurchasePoints | None:
    """Record the pending points of a new order whose buyer is an active advocate of the
    store (matched by e-mail: an advocate is known by theirs; a buyer known only by a phone
    earns nothing). None when the store gives no points for purchases or nobody earns."""
    points = points_for(store, order.total)
    if points <= 0 or not order.email or store.id is None or order.id is None:
        return None
    advocate = session.exec(
        select(Advocate).where(
            Advocate.store_id == store.id,
            Advocate.email == order.email,
            Advocate.status == "active",
        )
    ).first()
    if advocate is None or advocate.id is None:
        return None
    row = PurchasePoints(
        store_id=store.id,
        advocate_id=advocate.id,
        order_pk=order.id,
        points=points,
        approve_after=now + timedelta(days=hold_days(session, store)),
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None  # recorded a moment ago
    return row


def issue_due(*, session: Session, store: Store, now: datetime, limit: int = 200) -> int:
    """Credit the points whose hold period has passed; returns how many rows were looked at.
    An advocate blocked or erased meanwhile gets nothing (the points are voided)."""
    due = list(
        session.exec(
            select(PurchasePoints)
            .where(
                PurchasePoints.store_id == store.id,
                PurchasePoints.status == "pending",
                col(PurchasePoints.approve_after) <= now,
            )
            .order_by(col(PurchasePoints.id))
            .limit(limit)
        )
    )
    for row in due:
        advocate = session.get(Advocate, row.advocate_id)
        allowed = advocate is not None and advocate.status in ("active", "opted_out")
        # The conditional update is the claim: a refund racing it wins or loses whole.
        claimed = session.execute(
            update(PurchasePoints)
            .where(col(PurchasePoints.id) == row.id, col(PurchasePoints.status) == "pending")
            .values(
                status="issued" if allowed else "void",
                issued_at=now if allowed else None,
                reversed_at=None if allowed else now,
            )
        )
        if claimed.rowcount != 1 or not allowed:  # type: ignore[attr-defined]
            continue
        session.refresh(row)
        session.add(
            LedgerEntry(
                store_id=row.store_id,
                advocate_id=row.advocate_id,
                unit="points",
                kind="reward",
                amount=row.points,
                memo=f"purchase: order {row.order_pk}",
                created_at=now,
            )
        )
    session.flush()
    return len(due)


def reverse(
    *, session: Session, store: Store, order: Order, amount: Decimal, full: bool, now: datetime
) -> None:
    """A refund of ``order``: in full, pending points are voided and credited ones clawed
    back; in part, the points keep only the share of the order the buyer kept (lowered
    while pending, the difference clawed back once credited). Repeating it changes nothing."""
    found = session.exec(
        select(PurchasePoints.advocate_id).where(PurchasePoints.order_pk == order.id)
    ).first()
    if found is None:
        return
    lock_advocate(session, found)
    # Locked, and read as it is now: crediting it (a conditional update) waits for us.
    row = session.exec(
        select(PurchasePoints)
        .where(PurchasePoints.order_pk == order.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if row.status not in ("pending", "issued"):
        return
    if full:
        taken = row.points
        row.status = "void" if row.status == "pending" else "clawed_back"
        row.reversed_at = now
    else:
        kept_now = max(order.total - order.refunded_amount, Decimal(0))
        kept_before = kept_now + amount
        if amount <= 0 or kept_before <= 0:
            return
        kept = (row.points * kept_now / kept_before).quantize(CENT, rounding=ROUND_HALF_UP)
        taken = row.points - kept
        row.points = kept
    if taken > 0 and row.issued_at is not None:
        session.add(
            LedgerEntry(
                store_id=row.store_id,
                advocate_id=row.advocate_id,
                unit="points",
                kind="clawback",
                amount=-taken,
                memo=f"refund of purchase: order {row.order_pk}",
                created_at=now,
            )
        )
    session.add(row)
    session.flush()
