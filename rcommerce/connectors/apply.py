"""What a stored delivery does to the store's records: each neutral event becomes a call to the
orders service, so a connector's order is the same as one the store's backend posts.

Each event is applied on its own (a savepoint): an order the orders service refuses (another
currency, an invalid field) is noted and the delivery's other events still apply. Every event
is idempotent (an order by id, a partial refund by refund id, a cancellation and a fulfilment
once per order), because every order topic re-sends the whole order. Refunds and fulfilments
of orders never recorded (a platform's test orders) are ignored.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from rcommerce.connectors.events import (
    ConnectorEvent,
    Ignored,
    OrderFulfilled,
    OrderPlaced,
    OrderRefunded,
    ProductChanged,
)
from rcommerce.errors import ApiError
from rcommerce.orders import service as orders
from rcommerce.orders.models import OrderIn, ProductIn
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

CENT = Decimal("0.01")


def apply_events(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    platform: str,
    events: list[ConnectorEvent],
    now: datetime,
) -> list[str]:
    """Apply each event; returns one line per event saying what it did."""
    notes = []
    for event in events:
        try:
            notes.append(_apply_alone(session, settings, store, platform, event, now))
        except ApiError as exc:
            # (A referral token the programme refuses never refuses the order: the order is
            # recorded unattributed by token, with the reason in its attribution.)
            notes.append(f"{_what(event)}: refused: {exc.message}")
        except ValidationError as exc:  # a field the orders service cannot take
            notes.append(f"{_what(event)}: refused: {_first_error(exc)}")
    return notes


def _apply_alone(
    session: Session,
    settings: Settings,
    store: Store,
    platform: str,
    event: ConnectorEvent,
    now: datetime,
) -> str:
    """One event in a savepoint of its own: refused, it leaves nothing behind."""
    with session.begin_nested():
        return _apply(session, settings, store, platform, event, now)


def _first_error(exc: ValidationError) -> str:
    first = exc.errors(include_url=False)[0]
    return ".".join(str(part) for part in first["loc"]) + ": " + first["msg"]


def _what(event: ConnectorEvent) -> str:
    if isinstance(event, ProductChanged):
        return f"product {event.product_id}"
    if isinstance(event, Ignored):
        return "ignored"
    return f"order {event.order_id}"


def _apply(
    session: Session,
    settings: Settings,
    store: Store,
    platform: str,
    event: ConnectorEvent,
    now: datetime,
) -> str:
    if isinstance(event, OrderPlaced):
        return record(session, settings, store, platform, event, now)
    if isinstance(event, OrderFulfilled):
        return fulfil(session, store, event, now)
    if isinstance(event, OrderRefunded):
        return refund(session, store, event, now)
    if isinstance(event, ProductChanged):
        return upsert_product(session, store, event)
    return f"ignored: {event.reason}"


def record(
    session: Session,
    settings: Settings,
    store: Store,
    platform: str,
    placed: OrderPlaced,
    now: datetime,
) -> str:
    """Record the order once (a known order is left as it is)."""
    _, created = orders.record_order(
        session=session,
        settings=settings,
        store=store,
        data=order_in(placed, now),
        now=now,
        source=platform,
    )
    return f"order {placed.order_id}: {'recorded' if created else 'known'}"


def order_in(placed: OrderPlaced, now: datetime) -> OrderIn:
    """The orders service's input, cut to its limits (a platform's fields may be longer)."""
    items: list[dict[str, Any]] = [
        {
            "product_id": line.product_id[:200],
            "name": line.name[:500],
            "quantity": min(max(line.quantity, 1), 100_000),
            "price": _money(line.price),
        }
        for line in placed.items
        if line.product_id  # custom lines and shipping plans are no catalogue products
    ][:500]
    token = placed.referral_token
    return OrderIn.model_validate(
        {
            "order_id": placed.order_id[:200],
            "number": placed.number[:100] or None,
            "email": placed.email,
            "phone": placed.phone,
            "total": _money(placed.total),
            "currency": placed.currency,
            # A shop's clock running ahead of ours is no reason to lose its order.
            "placed_at": min(placed.placed_at, now) if placed.placed_at else None,
            "referral_token": token if token and len(token) <= 1000 else None,
            "coupon_codes": [code[:64] for code in placed.discount_codes][:20],
            "items": items,
            "customer_name": placed.customer_name[:200],
        }
    )


def _money(value: Decimal | None) -> Decimal | None:
    if value is None or value < 0:
        return None
    return value.quantize(CENT)


def fulfil(session: Session, store: Store, event: OrderFulfilled, now: datetime) -> str:
    order = orders.get_order(session, store, event.order_id)
    if order is None:
        return f"order {event.order_id}: fulfilment ignored (unknown order)"
    if order.fulfilled_at is not None:
        return f"order {event.order_id}: fulfilled before"
    orders.fulfil_order(session=session, store=store, order_id=event.order_id, now=now)
    return f"order {event.order_id}: fulfilled"


def refund(session: Session, store: Store, event: OrderRefunded, now: datetime) -> str:
    order = orders.get_order(session, store, event.order_id)
    if order is None:
        return f"order {event.order_id}: refund ignored (unknown order)"
    if order.status == "refunded":
        return f"order {event.order_id}: refunded before"
    if event.full:
        orders.refund_order(
            session=session, store=store, order_id=event.order_id, now=now, reason=event.reason
        )
        return f"order {event.order_id}: refunded"
    if event.refund_id is None or event.amount is None or event.amount <= 0:
        return f"order {event.order_id}: partial refund ignored (no id or no amount)"
    _, answer = orders.refund_order(
        session=session,
        store=store,
        order_id=event.order_id,
        now=now,
        amount=event.amount.quantize(CENT),
        refund_id=event.refund_id[:200],
        reason=event.reason,
    )
    if answer.get("duplicate"):
        return f"order {event.order_id}: refund {event.refund_id} applied before"
    return f"order {event.order_id}: refund {event.refund_id} of {event.amount} applied"


def upsert_product(session: Session, store: Store, event: ProductChanged) -> str:
    fields: dict[str, Any] = {
        "name": event.name[:500],
        "url": event.url if event.url and event.url.startswith(("http://", "https://")) else None,
        "image_url": event.image_url
        if event.image_url and event.image_url.startswith(("http://", "https://"))
        else None,
        "price": _money(event.price),
        "gtin": event.gtin,
        "mpn": event.mpn[:70] if event.mpn else None,
        "brand": event.brand[:200] if event.brand else None,
        "category": event.category[:500] if event.category else None,
    }
    # Only what the platform says: a field it leaves out keeps what the API set.
    data = ProductIn.model_validate(
        {k: v for k, v in fields.items() if v is not None and len(str(v)) <= 2000}
    )
    orders.upsert_product(
        session=session, store=store, product_id=event.product_id[:200], data=data
    )
    return f"product {event.product_id}: saved"
