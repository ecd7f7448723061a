"""What the orders package tells the rest of the product, through ``rcommerce.events``.

Each event carries the session of the unit of work that recorded the fact, and an ``answer``
that subscribers may add to (it becomes part of the API's reply): orders knows nothing of
referrals, reviews or reports, and they learn of orders only from these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from rcommerce.orders.models import Order, OrderIn
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


@dataclass
class OrderPlaced:
    """A new order was recorded (never for a retried one). ``data`` is what the store sent,
    referral token, code and coupons included."""

    session: Session
    settings: Settings
    store: Store
    order: Order
    data: OrderIn
    now: datetime


@dataclass
class OrderFulfilled:
    """The store shipped the order (sent again on a repeated call: subscribers are idempotent)."""

    session: Session
    store: Store
    order: Order
    now: datetime
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass
class OrderRefunded:
    """The order was refunded or cancelled; ``amount`` is None for the whole order (sent again
    on a repeated call: subscribers are idempotent)."""

    session: Session
    store: Store
    order: Order
    now: datetime
    amount: Decimal | None = None
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass
class OrderDescribed:
    """Someone reads the order: each subscriber adds its section to ``view`` (attribution,
    review request, ...)."""

    session: Session
    settings: Settings
    store: Store
    order: Order
    view: dict[str, Any] = field(default_factory=dict)
