"""Products and orders as the store reports them; shared by referrals, reviews and reports."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints
from sqlmodel import Session, col, select

from rcommerce.errors import InvalidInput, NotFound
from rcommerce.orders.models import Order, OrderItem, Product
from rcommerce.stores.models import Store

ProductKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]


class ProductIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    url: Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://")] | None = None
    image_url: Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://")] | None = (
        None
    )
    price: Money | None = None


class ProductPublic(BaseModel):
    """A product of the store."""

    product_id: str
    name: str
    url: str | None
    image_url: str | None
    price: Decimal | None


class OrderItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_id: ProductKey
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    quantity: Annotated[int, Field(ge=1, le=100_000)] = 1
    price: Money | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def upsert_product(*, session: Session, store: Store, product_id: str, data: ProductIn) -> Product:
    product = get_product(session, store, product_id)
    if product is None:
        assert store.id is not None
        product = Product(store_id=store.id, product_id=product_id)
    for name, value in data.model_dump(exclude_unset=True).items():
        setattr(product, name, value)
    session.add(product)
    session.flush()
    return product


def get_product(session: Session, store: Store, product_id: str) -> Product | None:
    return session.exec(
        select(Product).where(Product.store_id == store.id, Product.product_id == product_id)
    ).first()


def require_product(session: Session, store: Store, product_id: str) -> Product:
    product = get_product(session, store, product_id)
    if product is None:
        raise NotFound(f"No product {product_id!r} in this store.")
    return product


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


def record_order(
    *,
    session: Session,
    store: Store,
    order_id: str,
    email: EmailStr,
    total: Decimal,
    currency: str,
    customer_name: str = "",
    items: list[OrderItemIn] | None = None,
    placed_at: datetime | None = None,
    details: dict[str, object] | None = None,
) -> tuple[Order, bool]:
    """Store an order once. A retried order returns the first record and ``False``."""
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
    session.add(order)
    session.flush()
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
            session.add(
                Product(
                    store_id=store.id,
                    product_id=item.product_id,
                    name=item.name,
                    price=item.price,
                )
            )
    session.flush()
    return order, True
