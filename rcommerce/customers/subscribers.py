"""What customer segments do when the orders package reports something (a buyer erased from
their orders leaves their segments at once, not at the next run), and their answer when the
referral programme asks for a customer's segments."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col, select

from rcommerce.customers.models import CustomerSegment
from rcommerce.events import subscriber
from rcommerce.orders.events import BuyerErased
from rcommerce.orders.service import normalise_email
from rcommerce.referrals.events import SegmentsAsked


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


@subscriber(SegmentsAsked)
def segments_asked(event: SegmentsAsked) -> None:
    """The referral programme asks which segments a customer is in (a campaign's segment offers)."""
    event.found.update(
        event.session.exec(
            select(CustomerSegment.segment).where(
                col(CustomerSegment.store_id) == event.store.id,
                col(CustomerSegment.customer).in_(event.keys),
            )
        ).all()
    )
