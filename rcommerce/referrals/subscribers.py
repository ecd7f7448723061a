"""The referral programme's side of an order: attribution when it is recorded, reversal when
it is refunded, and the attribution shown when it is read."""

from __future__ import annotations

from rcommerce.events import subscriber
from rcommerce.orders.events import OrderDescribed, OrderPlaced, OrderRefunded
from rcommerce.referrals import service


@subscriber(OrderPlaced)
def attribute(event: OrderPlaced) -> None:
    service.attribute_order(
        session=event.session,
        settings=event.settings,
        store=event.store,
        order=event.order,
        data=event.data,
        now=event.now,
    )


@subscriber(OrderRefunded)
def reverse(event: OrderRefunded) -> None:
    event.answer.update(
        service.reverse_order(
            session=event.session, store=event.store, order=event.order, now=event.now
        )
    )


@subscriber(OrderDescribed)
def describe(event: OrderDescribed) -> None:
    event.view["attribution"] = service.attribution_of(event.session, event.order)
