"""What customer segments do when the orders package reports something: a buyer erased from
their orders leaves their segments at once (not at the next run)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col

from rcommerce.customers.models import CustomerSegment
from rcommerce.events import subscriber
from rcommerce.orders.events import BuyerErased
from rcommerce.orders.service import normalise_email


@subscriber(BuyerErased)
def buyer_erased(event: BuyerErased) -> None:
    keys = [k for k in (normalise_email(event.email) if event.email else None, event.phone) if k]
    if keys:
        event.session.execute(
            delete(CustomerSegment).where(
                col(CustomerSegment.store_id) == event.store.id,
                col(CustomerSegment.customer).in_(keys),
            )
        )
