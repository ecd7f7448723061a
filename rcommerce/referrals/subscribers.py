"""The referral programme's side of an order (attribution when it is recorded, reversal when
it is refunded, the attribution shown when it is read), of an advocate who joined or changed,
and of a store that removed its webhook URL."""

from __future__ import annotations

from rcommerce.advocates.events import AdvocateChanged, AdvocateEnrolled
from rcommerce.db import after_commit
from rcommerce.events import subscriber
from rcommerce.orders.events import OrderDescribed, OrderPlaced, OrderRefunded
from rcommerce.referrals import (
    attribution,
    links,
    purchase_points,
    read_models,
    review_rewards,
    rewards,
    webhooks,
)
from rcommerce.reviews.events import ReviewPublished
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


@subscriber(OrderPlaced)
def earn_purchase_points(event: OrderPlaced) -> None:
    """Points for an advocate's own order, when the store gives them (purchase_points.py)."""
    purchase_points.earn(session=event.session, store=event.store, order=event.order, now=event.now)


@subscriber(OrderRefunded)
def reverse_purchase_points(event: OrderRefunded) -> None:
    purchase_points.reverse(
        session=event.session,
        store=event.store,
        order=event.order,
        amount=event.amount,
        full=event.full,
        now=event.now,
    )


@subscriber(OrderRefunded)
def reverse(event: OrderRefunded) -> None:
    if not event.full:
        event.answer.update(
            rewards.reduce_for_partial_refund(
                session=event.session,
                store=event.store,
                order=event.order,
                amount=event.amount,
                now=event.now,
            )
        )
        return
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


@subscriber(AdvocateEnrolled)
def announce_advocate(event: AdvocateEnrolled) -> None:
    runtime: Runtime = event.session.info["runtime"]
    data = read_models.advocate_data(event.session, runtime.settings, event.store, event.advocate)
    webhooks.emit(event.session, event.store, "advocate.created", data, now=runtime.now())


@subscriber(WebhookURLRemoved)
def cancel_webhooks(event: WebhookURLRemoved) -> None:
    webhooks.cancel_pending(event.session, event.store)


@subscriber(ReviewPublished)
def reward_review(event: ReviewPublished) -> None:
    """A store's rating-blind review incentive (review_rewards.py)."""
    review_rewards.reward_review(event)
