"""Reviews' side of an order: a fulfilled order schedules its review request, and reading an
order shows that request's state."""

from __future__ import annotations

from rcommerce.events import subscriber
from rcommerce.orders.events import OrderDescribed, OrderFulfilled
from rcommerce.reviews import requests


@subscriber(OrderFulfilled)
def schedule_review_request(event: OrderFulfilled) -> None:
    request, skipped = requests.schedule_request(
        session=event.session, store=event.store, order=event.order, now=event.now
    )
    event.answer["review_request"] = (
        {"status": request.status, "scheduled_for": request.scheduled_for.isoformat()}
        if request
        else None
    )
    event.answer["skipped"] = skipped


@subscriber(OrderDescribed)
def describe(event: OrderDescribed) -> None:
    event.view["review_request"] = requests.request_state(event.session, event.order)
