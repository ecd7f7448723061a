"""Reward and friend coupons reach the checkout: each coupon the referral programme issues is
created in every platform the store connected, by a retried job, its state kept per platform.

``schedule_coupon`` is what a subscriber to the referral programme's "coupon issued" event
calls, in that event's transaction; ``create_in_platform`` is one attempt of the job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

import httpx
from sqlmodel import Session, select

from rcommerce import jobs
from rcommerce.connectors import coupons, service
from rcommerce.connectors.crypto import SecretUnreadable
from rcommerce.connectors.models import ConnectorCoupon
from rcommerce.jobs import JobContext
from rcommerce.stores.models import Store

log = logging.getLogger(__name__)

CREATE_JOB = "connectors.create_coupon"
MAX_ATTEMPTS = 10  # 30 s, 1 min, 2 min, ... about 4 hours in all
NO_ADMIN_API = "no Admin API access is saved for this connector"
REFERRAL_KINDS = {
    "coupon_fixed": "fixed_amount",
    "coupon_percent": "percentage",
    "free_shipping": "free_shipping",
}
# Free shipping is a shipping-line discount each platform models its own way; until one is
# built and tested per platform, such a coupon is marked unsupported (the store creates the
# code in its admin) instead of being sent as an amount off the order.
FREE_SHIPPING_UNSUPPORTED = (
    "free-shipping coupons are not created in this platform by rcommerce: create the code "
    "in the platform's admin"
)


@dataclass(frozen=True)
class IssuedCoupon:
    """A coupon the referral programme issued, in the words a platform needs.

    ``kind``: ``fixed_amount`` (``value`` in the store's currency), ``percentage`` or
    ``free_shipping`` (marked unsupported on every platform for now);
    ``recipient``: ``advocate`` (a reward: one use) or ``friend`` (a welcome code: one use per
    buyer, any number of buyers); ``ends_at``: its expiry, if any; ``email``: restrict it to
    this buyer where the platform can (WooCommerce).
    """

    code: str
    kind: Literal["fixed_amount", "percentage", "free_shipping"]
    value: Decimal
    recipient: Literal["advocate", "friend"]
    advocate_id: int | None = None
    email: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    minimum_subtotal: Decimal | None = None


def schedule_coupon(
    *, session: Session, store: Store, coupon: IssuedCoupon, now: datetime
) -> list[ConnectorCoupon]:
    """One row per connected platform (``pending`` with its job, or ``unsupported`` when the
    connector has no Admin API access); scheduling the same code again changes nothing."""
    assert store.id is not None
    rows = []
    for connector in service.store_connectors(session, store):
        found = session.exec(
            select(ConnectorCoupon).where(
                ConnectorCoupon.store_id == store.id,
                ConnectorCoupon.platform == connector.platform,
                ConnectorCoupon.code == coupon.code,
            )
        ).first()
        if found is not None:
            rows.append(found)
            continue
        supported = connector.admin_credentials_sealed is not None
        why_not = NO_ADMIN_API
        if coupon.kind == "free_shipping":
            supported, why_not = False, FREE_SHIPPING_UNSUPPORTED
        row = ConnectorCoupon(
            store_id=store.id,
            platform=connector.platform,
            code=coupon.code,
            kind=coupon.kind,
            value=coupon.value,
            recipient=coupon.recipient,
            advocate_id=coupon.advocate_id,
            email=coupon.email,
            minimum_subtotal=coupon.minimum_subtotal,
            starts_at=coupon.starts_at or now,
            ends_at=coupon.ends_at,
            status="pending" if supported else "unsupported",
            last_error=None if supported else why_not,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        if supported:
            jobs.enqueue(
                session,
                CREATE_JOB,
                {"coupon": row.id},
                store_id=store.id,
                dedupe_key=f"connector-coupon:{row.id}",
            )
        rows.append(row)
    return rows


def create_in_platform(ctx: JobContext, coupon_pk: int, *, http: httpx.Client) -> None:
    """One attempt at creating the coupon. A refusal that a retry cannot change (credentials,
    validation, no coupon API) marks it ``failed`` or ``unsupported``; a retryable one (timeout,
    429, 5xx) is noted on the row and raised, so the job is tried again with backoff, until
    the last attempt marks it ``failed``."""
    settings = ctx.runtime.settings
    # Read in a short transaction: the platform call below must hold no database lock.
    unreadable = None
    with ctx.read() as session:
        row = session.get(ConnectorCoupon, coupon_pk)
        if row is None or row.status != "pending":
            return
        connector = service.get_connector(session, row.store_id, row.platform)
        try:
            credentials = service.credentials(settings, connector) if connector else None
        except SecretUnreadable as exc:
            credentials, unreadable = None, str(exc)
    if unreadable is not None:
        _finish(ctx, coupon_pk, "failed", error=unreadable)
        return
    if credentials is None:
        _finish(ctx, coupon_pk, "unsupported", error=NO_ADMIN_API)
        return
    if row.kind == "free_shipping":
        _finish(ctx, coupon_pk, "unsupported", error=FREE_SHIPPING_UNSUPPORTED)
        return
    try:
        wanted = coupons.Coupon(
            code=row.code,
            kind="percentage" if row.kind == "percentage" else "fixed_amount",
            value=row.value,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            usage_limit=1 if row.recipient == "advocate" else None,
            once_per_customer=True,
            minimum_subtotal=row.minimum_subtotal,
            email=row.email,
            title=f"rcommerce {'reward' if row.recipient == 'advocate' else 'friend'} {row.code}",
        )
        created = coupons.create_coupon(credentials, wanted, http=http)
    except ValueError as exc:  # a coupon no platform would take (value out of range)
        _finish(ctx, coupon_pk, "failed", error=str(exc))
        return
    except coupons.CouponUnsupported as exc:
        _finish(ctx, coupon_pk, "unsupported", error=str(exc))
        return
    except coupons.CouponError as exc:
        if not exc.retryable or ctx.job.attempts >= MAX_ATTEMPTS:
            _finish(ctx, coupon_pk, "failed", error=str(exc))
            return
        # Kept in a transaction of its own: the job's rolls back with the raise below.
        with ctx.runtime.transaction() as session:
            pending = session.get(ConnectorCoupon, coupon_pk)
            if pending is not None:
                pending.attempts, pending.last_error = ctx.job.attempts, str(exc)[:2000]
                pending.updated_at = ctx.now()
                session.add(pending)
        raise
    _finish(
        ctx,
        coupon_pk,
        "created",
        remote_id=created.remote_id,
        parent_id=created.parent_id,
        already_existed=created.already_existed,
    )


def _finish(
    ctx: JobContext,
    coupon_pk: int,
    status: str,
    *,
    error: str | None = None,
    remote_id: str | None = None,
    parent_id: str | None = None,
    already_existed: bool = False,
) -> None:
    row = ctx.session.get(ConnectorCoupon, coupon_pk)
    if row is None:
        return
    row.status, row.last_error = status, error[:2000] if error else None
    row.attempts = ctx.job.attempts
    row.remote_id, row.parent_id, row.already_existed = remote_id, parent_id, already_existed
    row.updated_at = ctx.now()
    if status == "created":
        row.synced_at = ctx.now()
    else:
        log.warning("coupon %s for %s: %s (%s)", row.code, row.platform, status, error)
    ctx.session.add(row)
