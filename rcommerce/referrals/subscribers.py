"""The referral programme's side of an order (attribution when it is recorded, reversal when
it is refunded, the attribution shown when it is read) and of an advocate who changed."""

from __future__ import annotations

from rcommerce.advocates.events import AdvocateChanged
from rcommerce.db import after_commit
from rcommerce.events import subscriber
from rcommerce.orders.events import OrderDescribed, OrderPlaced, OrderRefunded
from rcommerce.referrals import links, service
from rcommerce.runtime import Runtime


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
    # A partial refund (event.full False) leaves the conversion as it is.
    if not event.full:
        return
    event.answer.update(
        service.reverse_order(
            session=event.session, store=event.store, order=event.order, now=event.now
        )
    )


@subscriber(OrderDescribed)
def describe(event: OrderDescribed) -> None:
    event.view["attribution"] = service.attribution_of(event.session, event.order)


@subscriber(AdvocateChanged)
def forget_changed_link(event: AdvocateChanged) -> None:
    runtime: Runtime = event.session.info["runtime"]
    code = event.advocate.referral_code
    after_commit(event.session, lambda: links.forget_link(runtime, code))
