"""Products and orders as the store reports them: record, read, fulfil and refund.

Recording, fulfilling and refunding publish the events of ``rcommerce.orders.events`` in the
caller's transaction; the referral programme, reviews and reports act on them there, so an
order is never half-recorded. A store connector only needs these functions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from rcommerce import events
from rcommerce.errors import InvalidInput, NotFound
from rcommerce.orders.events import OrderDescribed, OrderFulfilled, OrderPlaced, OrderRefunded
from rcommerce.orders.models import (
    SOURCES,
    Order,
    OrderIn,
    OrderItem,
    OrderItemIn,
    OrderRefund,
    Product,
    ProductIn,
)
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

R = TypeVar("R", bound=SQLModel)
# How far ahead of our clock a store's placed_at may be (its clock may run a little fast).
CLOCK_SKEW = timedelta(minutes=10)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def buyer_orders(store: Store, email: str | None, phone: str | None) -> list[Any] | None:
    """The conditions that select a buyer's orders in this store: by e-mail, else by phone
    (E.164); None for a buyer known by neither (a walk-in sale has no earlier orders)."""
    if email:
        return [col(Order.store_id) == store.id, col(Order.email) == normalise_email(email)]
    if phone:
        return [col(Order.store_id) == store.id, col(Order.phone) == phone]
    return None


# ---- products ------------------------------------------------------------------------------


def upsert_product(*, session: Session, store: Store, product_id: str, data: ProductIn) -> Product:
    """Create or update a product; requests racing to create it update the one row."""
    product = get_product(session, store, product_id)
    if product is None:
        assert store.id is not None
        product = _insert_once(session, Product(store_id=store.id, product_id=product_id))
        if product is None:  # created by a concurrent request since we looked
            product = get_product(session, store, product_id)
            assert product is not None
    for name, value in data.model_dump(exclude_unset=True).items():
        setattr(product, name, value)
    session.add(product)
    session.flush()
    return product


def _insert_once(session: Session, row: R) -> R | None:
    """Insert ``row`` in a savepoint; None when its unique key already exists (another
    transaction inserted it meanwhile: on PostgreSQL the insert waits for that one's commit,
    then fails, and the rest of this transaction goes on)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row


_PRODUCT = select(Product).where(
    Product.store_id == bindparam("store_id"), Product.product_id == bindparam("product_id")
)  # built once: widgets' submissions and e-mails look products up often


def get_product(session: Session, store: Store, product_id: str) -> Product | None:
    return session.exec(_PRODUCT, params={"store_id": store.id, "product_id": product_id}).first()


def require_product(session: Session, store: Store, product_id: str) -> Product:
    product = get_product(session, store, product_id)
    if product is None:
        raise NotFound(f"No product {product_id!r} in this store.")
    return product


# ---- reading orders ------------------------------------------------------------------------


def get_order(session: Session, store: Store, order_id: str) -> Order | None:
    return session.exec(
        select(Order).where(Order.store_id == store.id, Order.order_id == order_id)
    ).first()


def require_order(session: Session, store: Store, order_id: str) -> Order:
    order = get_order(session, store, order_id)
    if order is None:
        raise NotFound(f"No order {order_id!r} in this store.")
    return order


def order_items(session: Session, order: Order) -> list[OrderItem]:
    return list(session.exec(select(OrderItem).where(OrderItem.order_pk == order.id)))


def describe_order(
    *, session: Session, settings: Settings, store: Store, order: Order
) -> dict[str, Any]:
    """The order as stored, with what each subscriber adds (attribution, review request)."""
    event = OrderDescribed(session=session, settings=settings, store=store, order=order)
    event.view.update(
        order_id=order.order_id,
        number=order.number,
        source=order.source,
        email=order.email,
        phone=order.phone,
        customer_name=order.customer_name,
        total=str(order.total),
        currency=order.currency,
        status=order.status,
        refunded_amount=str(order.refunded_amount),
        placed_at=order.placed_at.isoformat(),
        fulfilled_at=order.fulfilled_at.isoformat() if order.fulfilled_at else None,
        refunded_at=order.refunded_at.isoformat() if order.refunded_at else None,
        coupon_codes=list(order.details.get("coupon_codes", [])),
        items=[
            {
                "product_id": item.product_id,
                "name": item.name,
                "quantity": item.quantity,
                "price": str(item.price) if item.price is not None else None,
            }
            for item in order_items(session, order)
        ],
    )
    events.publish(event)
    return event.view


# ---- recording -----------------------------------------------------------------------------


def store_order(
    *,
    session: Session,
    store: Store,
    order_id: str,
    email: str | None,
    total: Decimal,
    currency: str,
    phone: str | None = None,
    number: str | None = None,
    source: str = "api",
    customer_name: str = "",
    items: list[OrderItemIn] | None = None,
    placed_at: datetime | None = None,
    details: dict[str, object] | None = None,
) -> tuple[Order, bool]:
    """Write the order and its lines once, learning products from named lines; publishes
    nothing (``record_order`` does). A retried order returns the first record and ``False``,
    and so does one racing the first: whichever commits first is the record."""
    existing = get_order(session, store, order_id)
    if existing is not None:
        return existing, False
    if currency.upper() != store.currency:
        raise InvalidInput(
            f"This store keeps its accounts in {store.currency}; the order says {currency.upper()}."
        )
    if source not in SOURCES:
        raise ValueError(f"unknown order source {source!r}")
    assert store.id is not None
    order = Order(
        store_id=store.id,
        order_id=order_id,
        number=number,
        source=source,
        email=normalise_email(email) if email else None,
        phone=phone,
        customer_name=customer_name,
        total=total,
        currency=currency.upper(),
        details=details or {},
    )
    if placed_at is not None:
        order.placed_at = placed_at
    if _insert_once(session, order) is None:
        existing = get_order(session, store, order_id)
        if existing is None:  # not a duplicate order id: some other constraint
            raise InvalidInput("This order could not be stored as sent.")
        return existing, False
    assert order.id is not None
    items = items or []
    # Products are learned from named items the catalogue does not have yet: one query for
    # all of them, and the first named line of a product names it.
    named = {item.product_id for item in items if item.name}
    known = set(
        session.exec(
            select(Product.product_id).where(
                Product.store_id == store.id, col(Product.product_id).in_(named)
            )
        )
        if named
        else ()
    )
    learned: list[Product] = []
    for item in items:
        session.add(
            OrderItem(
                order_pk=order.id,
                product_id=item.product_id,
                name=item.name,
                quantity=item.quantity,
                price=item.price,
            )
        )
        if item.name and item.product_id not in known:
            known.add(item.product_id)
            learned.append(
                Product(
                    store_id=store.id, product_id=item.product_id, name=item.name, price=item.price
                )
            )
    session.flush()  # the lines, before any savepoint: a rolled-back one would drop them
    for product in learned:
        _insert_once(session, product)  # None: another order learned it at the same moment
    return order, True


def record_order(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    data: OrderIn,
    now: datetime,
    source: str = "api",
) -> tuple[Order, bool]:
    """Record the order once and tell the subscribers (a retried order_id changes nothing and
    returns the first record with ``False``). ``source`` is ``api`` or the connector's
    platform."""
    existing = get_order(session, store, data.order_id)
    if existing is not None:
        return existing, False
    if data.placed_at is not None and data.placed_at > now + CLOCK_SKEW:
        raise InvalidInput("placed_at: is in the future", fields=[{"field": "placed_at"}])
    details: dict[str, object] = {}
    if data.coupon_codes:
        details["coupon_codes"] = data.coupon_codes
    if data.visitor_id:
        details["visitor_id"] = data.visitor_id
    order, created = store_order(
        session=session,
        store=store,
        order_id=data.order_id,
        email=data.email,
        phone=data.phone,
        number=data.number,
        source=source,
        total=data.total,
        currency=data.currency,
        customer_name=data.customer_name,
        items=data.items,
        placed_at=data.placed_at or now,
        details=details,
    )
    if not created:  # a request racing this one recorded it first
        return order, False
    events.publish(
        OrderPlaced(
            session=session,
            settings=settings,
            store=store,
            order=order,
            data=data,
            now=now,
        )
    )
    return order, created


def fulfil_order(
    *, session: Session, store: Store, order_id: str, now: datetime
) -> tuple[Order, dict[str, Any]]:
    """Mark the order fulfilled (the first time) and tell the subscribers; a repeated call is
    answered the same way. Returns the order and what the subscribers answered."""
    order = require_order(session, store, order_id)
    if order.fulfilled_at is None:
        order.fulfilled_at = now
        session.add(order)
    event = OrderFulfilled(session=session, store=store, order=order, now=now)
    events.publish(event)
    return order, event.answer


def refund_order(
    *,
    session: Session,
    store: Store,
    order_id: str,
    now: datetime,
    amount: Decimal | None = None,
    refund_id: str | None = None,
    reason: str | None = None,
) -> tuple[Order, dict[str, Any]]:
    """Refund the order and tell the subscribers, which reverse what it earned.

    Without ``amount``, whatever is left is refunded (the whole order) and the order becomes
    ``refunded``; repeating that changes nothing (subscribers are told again, and are
    idempotent). With ``amount`` and ``refund_id``, a partial refund is recorded once per
    ``refund_id`` (a repeated one is answered ``{"duplicate": True}`` and tells nobody); one
    that covers the rest is the full refund. The event carries this refund's ``amount`` and
    whether the order is now ``full``-y refunded.
    """
    order = require_order(session, store, order_id)
    # Two refunds of one order at once must not both add to the amount read before either.
    order = session.exec(
        select(Order)
        .where(Order.id == order.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    remaining = max(order.total - order.refunded_amount, Decimal(0))
    if amount is None or order.status == "refunded":
        if amount is not None:  # a partial refund of an order already refunded in full
            return order, {"duplicate": True}
        refunded_now = remaining if order.status != "refunded" else Decimal(0)
        if order.status != "refunded":
            order.status, order.refunded_at = "refunded", now
            order.refunded_amount = order.total
            session.add(order)
        return order, _tell_refunded(session, store, order, now, refunded_now, None, reason)
    if refund_id is None:
        raise InvalidInput(
            "refund_id: a partial refund needs its id", fields=[{"field": "refund_id"}]
        )
    if amount <= 0:
        raise InvalidInput("amount: must be more than 0", fields=[{"field": "amount"}])
    applied = min(amount, remaining)
    assert order.id is not None
    try:
        with session.begin_nested():
            session.add(
                OrderRefund(
                    order_pk=order.id,
                    refund_id=refund_id,
                    amount=applied,
                    reason=reason[:500] if reason else None,
                    created_at=now,
                )
            )
            session.flush()
    except IntegrityError:  # this refund was applied before
        return order, {"duplicate": True}
    order.refunded_amount += applied
    if order.refunded_amount >= order.total:
        order.status, order.refunded_at = "refunded", now
    session.add(order)
    return order, _tell_refunded(session, store, order, now, applied, refund_id, reason)


def _tell_refunded(
    session: Session,
    store: Store,
    order: Order,
    now: datetime,
    amount: Decimal,
    refund_id: str | None,
    reason: str | None,
) -> dict[str, Any]:
    event = OrderRefunded(
        session=session,
        store=store,
        order=order,
        now=now,
        amount=amount,
        full=order.status == "refunded",
        refund_id=refund_id,
        reason=reason,
    )
    events.publish(event)
    return event.answer
