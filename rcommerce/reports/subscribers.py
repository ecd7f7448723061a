"""Roll-ups that a change makes stale: a manager's decision on a review or a conversion, a
refund, or a click converting days after it was made changes the figures of the day the review,
conversion, order or click belongs to; that day is rebuilt shortly (the last two days are
refreshed every ten minutes anyway)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from rcommerce.events import subscriber
from rcommerce.orders.events import OrderRefunded
from rcommerce.referrals.events import ConversionDecided, ConversionOpened
from rcommerce.reports.tasks import rebuild_later
from rcommerce.reviews.events import ReviewUpdated
from rcommerce.stores.models import Store


def _rebuild_day_of(session: Session, store: Store, when: datetime, now: datetime) -> None:
    rebuild_later(session, store, when.astimezone(ZoneInfo(store.timezone)).date(), now)


@subscriber(ReviewUpdated)
def review_updated(event: ReviewUpdated) -> None:
    _rebuild_day_of(event.session, event.store, event.review.created_at, event.now)


@subscriber(ConversionDecided)
def conversion_decided(event: ConversionDecided) -> None:
    _rebuild_day_of(event.session, event.store, event.conversion.created_at, event.now)


@subscriber(OrderRefunded)
def order_refunded(event: OrderRefunded) -> None:
    _rebuild_day_of(event.session, event.store, event.order.placed_at, event.now)


@subscriber(ConversionOpened)
def click_converted(event: ConversionOpened) -> None:
    _rebuild_day_of(event.session, event.store, event.clicked_at, event.now)
