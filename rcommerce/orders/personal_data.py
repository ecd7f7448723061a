"""A buyer's data in orders, on request: the orders placed with an e-mail or a phone number,
exported, or erased by removing who placed them (the orders stay, for the store's accounts).

``person_data`` and ``forget_person`` are this package's part of ``/api/v1/privacy/*``
(``rcommerce.data_requests`` gathers every package's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from rcommerce import events
from rcommerce.identity import Person
from rcommerce.orders.events import BuyerErased
from rcommerce.orders.models import Order, OrderItem
from rcommerce.orders.service import normalise_email
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


def buyer_orders(
    session: Session, store: Store, email: str | None, phone: str | None
) -> list[Order]:
    """The store's orders placed with ``email`` or with ``phone`` (E.164)."""
    matches = []
    if email:
        matches.append(col(Order.email) == normalise_email(email))
    if phone:
        matches.append(col(Order.phone) == phone)
    if not matches:
        return []
    return list(
        session.exec(
            select(Order).where(Order.store_id == store.id, or_(*matches)).order_by(col(Order.id))
        )
    )


def export(
    *, session: Session, store: Store, email: str | None, phone: str | None
) -> dict[str, Any]:
    orders = buyer_orders(session, store, email, phone)
    items: dict[int, list[dict[str, Any]]] = {}
    if orders:
        for item in session.exec(
            select(OrderItem).where(col(OrderItem.order_pk).in_([o.id for o in orders]))
        ):
            items.setdefault(item.order_pk, []).append(
                {"product_id": item.product_id, "name": item.name, "quantity": item.quantity}
            )
    return {
        "email": normalise_email(email) if email else None,
        "phone": phone,
        "orders": [
            {
                "order_id": o.order_id,
                "number": o.number,
                "source": o.source,
                "email": o.email,
                "phone": o.phone,
                "customer_name": o.customer_name,
                "total": str(o.total),
                "currency": o.currency,
                "status": o.status,
                "placed_at": o.placed_at.isoformat(),
                "items": items.get(o.id or 0, []),
            }
            for o in orders
        ],
    }


def erase(*, session: Session, store: Store, email: str | None, phone: str | None) -> int:
    """Remove the buyer from their orders (e-mail, phone, name, visitor id); the amounts,
    lines and dates stay. Returns how many orders were theirs."""
    orders = buyer_orders(session, store, email, phone)
    for order in orders:
        order.email, order.phone, order.customer_name = None, None, ""
        order.details = {k: v for k, v in order.details.items() if k != "visitor_id"}
        session.add(order)
    session.flush()
    events.publish(BuyerErased(session=session, store=store, email=email, phone=phone))
    return len(orders)


def person_data(
    *, session: Session, settings: Settings, store: Store, person: Person
) -> dict[str, Any]:
    """The ``orders`` section of a person's data."""
    found = export(session=session, store=store, email=person.email, phone=person.phone)
    return {"orders": found["orders"]}


def forget_person(
    *, session: Session, settings: Settings, store: Store, person: Person, now: datetime
) -> dict[str, int]:
    """Remove the person from their orders; how many orders were theirs."""
    return {"orders": erase(session=session, store=store, email=person.email, phone=person.phone)}
