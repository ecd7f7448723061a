"""The referral programme's side of an order (attribution when it is recorded, reversal when
it is refunded, the attribution shown when it is read), of an advocate who changed, and of a
store that removed its webhook URL."""

from __future__ import annotations

from rcommerce.advocates.events import AdvocateChanged
from rcommerce.db import after_commit
from rcommerce.events import subscriber
from rcommerce.orders.events import OrderDescribed, OrderPlaced, OrderRefunded
from rcommerce.referrals import attribution, links, rewards, webhooks
from rcommerce.runtime import Runtime
from rcommerce.stores.events import WebhookURLRemoved


@subscriber(OrderPlaced)
def attribute(event: OrderPlaced) -> None:
    attribution.attribute_order(
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
        rewards.reverse_order(
            session=event.session, store=event.store, order=event.order, now=event.now
        )
    )


@subscriber(OrderDescribed)
def describe(event: OrderDescribed) -> None:
    event.view["attribution"] = attribution.attribution_of(event.session, event.order)


@subscriber(AdvocateChanged)
def forget_changed_link(event: AdvocateChanged) -> None:
    runtime: Runtime = event.session.info["runtime"]
    code = event.advocate.referral_code
    after_commit(event.session, lambda: links.forget_link(runtime, code))


@subscriber(WebhookURLRemoved)
def cancel_webhooks(event: WebhookURLRemoved) -> None:
    webhooks.cancel_pending(event.session, event.store)
