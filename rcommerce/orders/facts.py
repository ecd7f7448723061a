"""What the store's orders say about its buyers, read in bulk for the layers above (customer
segments): each order's buyer, money, time and coupons, its lines, and product categories."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Text, cast
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from rcommerce.orders.models import Order, OrderItem, Product
from rcommerce.stores.models import Store

BATCH = 20_000
# An order's details as stored JSON text: coupon codes are there when the list is not empty.
_NO_COUPONS = re.compile(r'"coupon_codes"\s*:\s*\[\s*\]')


@dataclass(frozen=True, slots=True)
class OrderFact:
    pk: int
    email: str | None
    phone: str | None
    net: Decimal  # the total less what was refunded
    placed_at: datetime
    coupon: bool  # the order carried at least one coupon code


def kept_orders(session: Session, store: Store) -> Iterator[OrderFact]:
    """The store's orders that were not refunded in full, oldest first."""
    # More columns than sqlmodel's select types: SQLAlchemy's, through execute.
    rows = session.execute(
        select_columns(
            col(Order.id),
            col(Order.email),
            col(Order.phone),
            col(Order.total),
            col(Order.refunded_amount),
            col(Order.placed_at),
            # Read as text, not parsed: only whether it names coupon codes matters here.
            cast(col(Order.details), Text),
        )
        .where(col(Order.store_id) == store.id, col(Order.status) != "refunded")
        .order_by(col(Order.placed_at), col(Order.id))
        .execution_options(yield_per=BATCH)
    )
    for pk, email, phone, total, refunded, placed_at, details in rows:
        yield OrderFact(
            pk=pk,
            email=email,
            phone=phone,
            net=total - refunded,
            placed_at=placed_at,
            coupon='"coupon_codes"' in details and not _NO_COUPONS.search(details),
        )


def order_lines(session: Session, store: Store) -> Iterator[tuple[int, str, int]]:
    """(order's pk, product id, quantity) of every line of the store's orders."""
    rows = session.exec(
        select(OrderItem.order_pk, OrderItem.product_id, OrderItem.quantity)
        .join(Order, col(Order.id) == OrderItem.order_pk)
        .where(Order.store_id == store.id, Order.status != "refunded")
        .execution_options(yield_per=BATCH)
    )
    yield from rows


def product_categories(session: Session, store: Store) -> dict[str, str]:
    """Product id -> its category, for the store's products that have one."""
    rows = session.exec(
        select(Product.product_id, Product.category).where(
            Product.store_id == store.id, col(Product.category).is_not(None)
        )
    )
    return {product_id: category for product_id, category in rows if category}
