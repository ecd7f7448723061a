"""What a store platform told us, in rcommerce's own words: the neutral events every connector yields.

A webhook delivery becomes one or more of these; the orders service turns them into recorded
orders, fulfilments, refunds and products. Nothing here knows a platform's field names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class OrderLine:
    """One line of an order. ``product_id`` is the platform's product id as a string ("" when the
    line is no catalogue product, e.g. a custom item or a shipping-protection plan)."""

    product_id: str
    name: str
    quantity: int
    price: Decimal | None  # unit price, in the order's currency
    sku: str | None = None
    variant_id: str | None = None


@dataclass(frozen=True)
class OrderPlaced:
    """An order exists (created, paid or updated): record it, idempotently by ``order_id``."""

    order_id: str  # the platform's own id, as a string: the rcommerce order_id
    number: str  # what the merchant sees: "#1001", "SON687034", "727"
    email: str | None  # lower-cased, or None
    phone: str | None  # E.164, or None
    customer_name: str
    total: Decimal
    currency: str
    placed_at: datetime | None  # timezone-aware when the platform said so
    items: tuple[OrderLine, ...] = ()
    discount_codes: tuple[str, ...] = ()
    referral_token: str | None = None  # the signed rc_ref the storefront carried into the order
    paid: bool = False


@dataclass(frozen=True)
class OrderFulfilled:
    """The order was shipped or delivered: time to ask for a review."""

    order_id: str
    delivered: bool = False  # True when the carrier confirmed delivery, not only shipment


@dataclass(frozen=True)
class OrderRefunded:
    """Money went back, or the order was cancelled (``full``).

    ``amount`` is what this refund returned, when the platform says; ``refund_id`` tells two
    partial refunds of one order apart (None when the event is the order's whole state, as for
    a cancellation: apply it once per order).
    """

    order_id: str
    amount: Decimal | None
    full: bool
    refund_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ProductChanged:
    """A product was created or updated: upsert it (what ``PUT /api/v1/products/{id}`` takes)."""

    product_id: str
    name: str
    url: str | None = None
    image_url: str | None = None
    price: Decimal | None = None
    gtin: str | None = None
    mpn: str | None = None
    brand: str | None = None
    category: str | None = None
    skus: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Ignored:
    """A delivery that asks nothing of rcommerce (unknown topic, test order, draft): acknowledge it."""

    reason: str


ConnectorEvent = OrderPlaced | OrderFulfilled | OrderRefunded | ProductChanged | Ignored
