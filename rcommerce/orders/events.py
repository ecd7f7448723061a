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
    """Money went back to the buyer, or the order was cancelled.

    ``amount`` is what this refund returned (for a full refund, what was left of the order;
    0 when a full refund is repeated); ``full`` says the order is now refunded in full
    (``order.status == "refunded"``), so whatever it earned is reversed. A partial refund
    (``full`` False) carries its ``refund_id`` and is published once per id;
    ``order.refunded_amount`` is the total refunded so far, this refund included. A full
    refund is published again on a repeated call: subscribers are idempotent.
    """

    session: Session
    store: Store
    order: Order
    now: datetime
    amount: Decimal
    full: bool
    refund_id: str | None = None
    reason: str | None = None
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


@dataclass
class BuyerErased:
    """A buyer was removed from their orders (a privacy request): what others keep about
    them by ``email`` or ``phone`` (E.164) goes too."""

    session: Session
    store: Store
    email: str | None
    phone: str | None
