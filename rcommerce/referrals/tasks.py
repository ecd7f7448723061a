"""Background work of referrals: copying buffered clicks, approving rewards, webhooks."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import httpx
from sqlmodel import col, select

from rcommerce import net
from rcommerce.advocates import emails
from rcommerce.advocates.i18n import t
from rcommerce.advocates.models import Advocate
from rcommerce.jobs import JobContext, job, periodic
from rcommerce.phones import service as phones
from rcommerce.referrals import clicks, ledger, points_expiry, purchase_points, rewards, webhooks
from rcommerce.referrals.models import Conversion, PurchasePoints, Reward, WebhookDelivery
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from rcommerce.templating import format_money
from rcommerce.urls import without_secrets

log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@periodic("referrals.drain_clicks", every=timedelta(seconds=5), local=True)
def drain_clicks(runtime: Runtime) -> None:
    """Copy the clicks this web process (or a dead one on this machine) spooled into the
    database; a web process does it at start, every 5 s and when it stops."""
    copied = clicks.drain(runtime)
    if copied:
        log.debug("copied %d clicks", copied)


@periodic("referrals.approve_rewards", every=timedelta(minutes=10))
def approve_rewards(runtime: Runtime) -> None:
    """Approve and issue rewards of conversions whose hold period (returns window) passed."""
    now = runtime.now()
    with runtime.transaction(readonly=True) as session:
        store_ids = list(
            session.exec(
                select(Conversion.store_id)
                .where(Conversion.status == "pending", col(Conversion.approve_after) <= now)
                .distinct()
            )
        )
    for store_id in store_ids:
        while True:  # one transaction per batch: a slow store never blocks the others for long
            with runtime.transaction() as session:
                store = session.get(Store, store_id)
                if store is None:
                    break
                done = rewards.approve_due(session=session, store=store, now=now, limit=200)
            if done < 200:
                break


@periodic("referrals.issue_purchase_points", every=timedelta(minutes=10))
def issue_purchase_points(runtime: Runtime) -> None:
    """Credit the points advocates earned on their own orders once the hold period passed."""
    now = runtime.now()
    with runtime.transaction(readonly=True) as session:
        store_ids = list(
            session.exec(
                select(PurchasePoints.store_id)
                .where(PurchasePoints.status == "pending", col(PurchasePoints.approve_after) <= now)
                .distinct()
            )
        )
    for store_id in store_ids:
        while True:
            with runtime.transaction() as session:
                store = session.get(Store, store_id)
                if store is None:
                    break
                done = purchase_points.issue_due(session=session, store=store, now=now)
            if done < 200:
                break


@periodic("referrals.expire_points", every=timedelta(hours=1))
def expire_points(runtime: Runtime) -> None:
    """Expire the points each store lets expire (``points_expire_days``): one ``expire``
    ledger entry per advocate for what they earned before the period and have not spent."""
    now = runtime.now()
    with runtime.transaction(readonly=True) as session:
        store_ids = list(
            session.exec(
                select(Store.id)
                .where(col(Store.points_expire_days).is_not(None))
                .order_by(col(Store.id))
            )
        )
    for store_id in store_ids:
        after = 0
        while True:  # one short transaction per batch of advocates
            with runtime.transaction() as session:
                store = session.get(Store, store_id)
                if store is None:
                    break
                batch = points_expiry.advocates_with_old_points(session, store, now, 200, after)
                for advocate_id in batch:
                    points_expiry.expire_advocate(
                        session=session, store=store, advocate_id=advocate_id, now=now
                    )
            if len(batch) < 200:
                break
            after = batch[-1]


@job("referrals.webhook", max_attempts=10, base_backoff=30.0)
def deliver_webhook(ctx: JobContext, *, delivery_id: str) -> None:
    """POST one event to the store's current webhook URL; a failure raises, and the job system
    retries it later (30 s, 1 min, 2 min, ... up to 6 h between attempts, 10 attempts). A URL
    the outbound guard refuses (rcommerce.net) or a URL the store removed ends the delivery
    at once, with nothing sent."""
    # Read what to send in a short read-only transaction: the HTTP call below may take up to
    # WEBHOOK_TIMEOUT and must not hold the database's write lock meanwhile.
    settings = ctx.runtime.settings
    with ctx.read() as session:
        loaded = session.get(WebhookDelivery, delivery_id)
        if loaded is None or loaded.status != "pending":
            return
        store = session.get(Store, loaded.store_id)
        if store is None:
            return
        url = store.webhook_url
        event = loaded.event
        body = webhooks.body_of(loaded)
        secret = webhooks.webhook_secret(settings, store)
    if not url:
        _close(ctx, delivery_id, "cancelled", webhooks.CANCELLED)
        return
    try:
        url = net.Guard.of(settings).check_url(url, allow_http=settings.allow_http_webhooks)
    except net.UnsafeURL as exc:
        _close(ctx, delivery_id, "failed", net.REFUSED if exc.private else f"refused: {exc}")
        return
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "rcommerce-webhooks/1",
        "RC-Event": event,
        "RC-Delivery": delivery_id,
        webhooks.SIGNATURE_HEADER: webhooks.sign(secret, int(time.time()), body),
    }
    shown = without_secrets(url)  # errors are logged: no credentials or tokens in them
    try:
        with net.client(settings, timeout=WEBHOOK_TIMEOUT) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        if net.refused(exc):
            _close(ctx, delivery_id, "failed", net.REFUSED)
            return
        raise RuntimeError(f"webhook to {shown} failed: {type(exc).__name__}: {exc}") from None
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"webhook to {shown} answered HTTP {response.status_code}")
    delivery = ctx.session.get(WebhookDelivery, delivery_id)
    assert delivery is not None
    delivery.attempts = ctx.job.attempts
    delivery.last_attempt_at = ctx.now()
    delivery.status = "delivered"
    delivery.url = url
    delivery.last_status_code = response.status_code
    delivery.last_error = None
    delivery.delivered_at = ctx.now()
    ctx.session.add(delivery)


def _close(ctx: JobContext, delivery_id: str, status: str, reason: str) -> None:
    """End a delivery without sending it (and without a retry)."""
    delivery = ctx.session.get(WebhookDelivery, delivery_id)
    assert delivery is not None
    delivery.attempts, delivery.last_attempt_at = ctx.job.attempts, ctx.now()
    delivery.status, delivery.last_error = status, reason
    ctx.session.add(delivery)


@job("referrals.reward_email", max_attempts=6)
def send_reward_email(ctx: JobContext, *, advocate_id: int, reward_id: int) -> None:
    """Tell the advocate a reward was issued (what it is, its coupon, the new balance)."""
    advocate = ctx.session.get(Advocate, advocate_id)
    reward = ctx.session.get(Reward, reward_id)
    if advocate is None or advocate.status == "erased" or advocate.emails_opted_out_at:
        return
    if reward is None or reward.status not in ("issued", "redeemed"):
        return
    store = ctx.session.get(Store, advocate.store_id)
    assert store is not None
    locale = advocate.locale or store.locale
    values = emails.values_for(ctx.runtime.settings, store, advocate)
    values["reward"] = rewards.describe_reward(reward.kind, reward.value, store.currency, locale)
    values["coupon"] = (
        t(locale, "reward.coupon", code=reward.coupon_code) if reward.coupon_code else ""
    )
    values["balance"] = format_money(ledger.balance(ctx.session, advocate_id), store.currency)
    if advocate.email is None and advocate.phone is not None:
        _reward_to_phone(ctx, store, advocate, values, locale)
        return
    emails.send(
        ctx,
        advocate,
        subject=t(locale, "reward.subject", **values),
        body=t(locale, "reward.body", **values),
        unsubscribe=values["unsubscribe"],
    )


class PhoneNotSent(Exception):
    """No phone channel took the message, for reasons that may pass (timeout, 5xx, quota)."""


def _reward_to_phone(
    ctx: JobContext, store: Store, advocate: Advocate, values: dict[str, str], locale: str
) -> None:
    """The reward news for an advocate known only by phone: Zalo ZNS (the ``reward``
    template), else SMS with the opt-out link; nothing to a phone that opted out."""
    assert advocate.phone is not None and store.id is not None
    values["name"] = advocate.name or ("bạn" if locale == "vi" else "there")
    outcome = phones.send_notice(
        ctx.session,
        ctx.runtime.settings,
        store_id=store.id,
        phone=advocate.phone,
        purpose="reward",
        text=t(locale, "sms.reward", **values),
        link=values["portal"],
        locale=locale if locale in ("vi", "en") else "vi",
        name=advocate.name,
        tracking_id=f"rw-{ctx.job.id}"[:48],
        asked_for=False,
    )
    if outcome.sent is None and outcome.retryable:
        raise PhoneNotSent(f"advocate {advocate.id}: no phone channel took the reward news")
