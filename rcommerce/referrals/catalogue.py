"""The store's catalogue of rewards for points, and spending points on one: the same
idempotent, race-proof ledger as any redemption (one lock per advocate, refused on a debt),
which issues the item's coupon."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from rcommerce.errors import InvalidInput, NotFound
from rcommerce.referrals import ledger
from rcommerce.referrals.models import (
    CatalogueItem,
    CatalogueItemIn,
    CatalogueItemPublic,
    CatalogueItemUpdate,
    check_coupon,
)
from rcommerce.stores.models import Store

MAX_ITEMS = 200


def items(session: Session, store: Store, *, active_only: bool = False) -> list[CatalogueItem]:
    query = select(CatalogueItem).where(CatalogueItem.store_id == store.id)
    if active_only:
        query = query.where(col(CatalogueItem.active).is_(True))
    return list(session.exec(query.order_by(col(CatalogueItem.points_cost), col(CatalogueItem.id))))


def public(item: CatalogueItem) -> CatalogueItemPublic:
    shown = CatalogueItemPublic.model_validate(item, from_attributes=True)
    cent = Decimal("0.01")
    return shown.model_copy(
        update={
            "points_cost": Decimal(shown.points_cost).quantize(cent),
            "coupon_value": Decimal(shown.coupon_value).quantize(cent),
        }
    )


def get_item(session: Session, store: Store, item_id: int) -> CatalogueItem:
    item = session.get(CatalogueItem, item_id)
    if item is None or item.store_id != store.id:
        raise NotFound(f"No catalogue item {item_id} in this store.")
    return item


def create_item(
    *, session: Session, store: Store, data: CatalogueItemIn, now: datetime
) -> CatalogueItem:
    assert store.id is not None
    if len(items(session, store)) >= MAX_ITEMS:
        raise InvalidInput(f"A catalogue holds at most {MAX_ITEMS} items.")
    item = CatalogueItem(store_id=store.id, created_at=now, **data.model_dump())
    if item.coupon_kind == "free_shipping":
        item.coupon_value = Decimal(0)
    session.add(item)
    session.flush()
    return item


def update_item(
    *, session: Session, store: Store, item_id: int, data: CatalogueItemUpdate
) -> CatalogueItem:
    item = get_item(session, store, item_id)
    for name, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(item, name, value)
    try:
        check_coupon(item.coupon_kind, item.coupon_value)
    except ValueError as exc:
        raise InvalidInput(str(exc), fields=[{"field": "coupon_value"}]) from None
    session.add(item)
    session.flush()
    return item


def redeem_item(
    *,
    session: Session,
    store: Store,
    advocate_id: int,
    item_id: int,
    idempotency_key: str,
    now: datetime,
) -> ledger.RedemptionAnswer:
    """Spend the item's points for its coupon: 201 with the coupon code, or the ledger's
    refusal (409 ``insufficient_balance`` or ``balance_in_debt``, 403 ``advocate_blocked``).
    An item withdrawn from the catalogue cannot be bought (404)."""
    item = get_item(session, store, item_id)
    if not item.active:
        raise NotFound(f"Catalogue item {item_id} is no longer offered.")
    return ledger.redeem(
        session=session,
        store=store,
        advocate_id=advocate_id,
        amount=item.points_cost,
        idempotency_key=f"catalogue-{item.id}:{idempotency_key.strip()[:160]}",
        unit="points",
        now=now,
        coupon=(item.coupon_kind, item.coupon_value),
        catalogue_item_id=item.id,
    )
