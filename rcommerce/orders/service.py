"""Products and orders as the store reports them: record, read, fulfil and refund.

Recording, fulfilling and refunding publish the events of ``rcommerce.orders.events`` in the
caller's transaction; the referral programme, reviews and reports act on them there, so an
order is never half-recorded. A store connector only needs these functions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from rcommerce import events
from rcommerce.errors import InvalidInput, NotFound
from rcommerce.orders.events import OrderDescribed, OrderFulfilled, OrderPlaced, OrderRefunded
from rcommerce.orders.models import Order, OrderIn, OrderItem, OrderItemIn, Product, ProductIn
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

R = TypeVar("R", bound=SQLModel)
# How far ahead of our clock a store's placed_at may be (its clock may run a little fast).
CLOCK_SKEW = timedelta(minutes=10)


def normalise_email(email: str) -> str:
    return email.strip().lower()


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


def get_product(session: Session, store: Store, product_id: str) -> Product | None:
    return session.exec(
        select(Product).where(Product.store_id == store.id, Product.product_id == product_id)
    ).first()


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
        email=order.email,
        customer_name=order.customer_name,
        total=str(order.total),
        currency=order.currency,
        status=order.status,
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
    email: str,
    total: Decimal,
    currency: str,
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
    assert store.id is not None
    order = Order(
        store_id=store.id,
        order_id=order_id,
        email=normalise_email(email),
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
    *, session: Session, settings: Settings, store: Store, data: OrderIn, now: datetime
) -> tuple[Order, bool]:
    """Record the order once and tell the subscribers (a retried order_id changes nothing and
    returns the first record with ``False``)."""
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
    *, session: Session, store: Store, order_id: str, now: datetime
) -> tuple[Order, dict[str, Any]]:
    """Mark the order refunded (the first time) and tell the subscribers, which reverse what
    the order earned; repeating the refund changes nothing."""
    order = require_order(session, store, order_id)
    if order.status != "refunded":
        order.status, order.refunded_at = "refunded", now
        session.add(order)
    event = OrderRefunded(session=session, store=store, order=order, now=now)
    events.publish(event)
    return order, event.answer
