"""Background work of connectors: reading stored deliveries into orders, creating coupons in
the platforms, and forgetting old raw deliveries."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import col

from rcommerce import connectors, net
from rcommerce.connectors import apply, coupon_sync, inbound, service
from rcommerce.connectors.coupons import make_http_client
from rcommerce.connectors.models import ConnectorDelivery
from rcommerce.connectors.webhooks import ParseContext, WebhookRefused
from rcommerce.jobs import JobContext, job, periodic
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store

log = logging.getLogger(__name__)

# Platforms retry a delivery for up to two days (Shopify 48 h, WooCommerce 5 tries); a raw
# body, with the buyer's personal data in it, is kept twice that long to catch redeliveries.
DELIVERY_RETENTION = timedelta(days=4)


@job(inbound.PROCESS_JOB, max_attempts=8)
def process_delivery(ctx: JobContext, *, delivery: int) -> None:
    """Turn one stored delivery into calls to the orders service (once: the row's status and
    the job's done mark commit with the orders it recorded)."""
    row = ctx.session.get(ConnectorDelivery, delivery)
    if row is None or row.status != "received":
        return
    store = ctx.session.get(Store, row.store_id)
    if store is None:
        return
    connector = service.get_connector(ctx.session, row.store_id, row.platform)
    shop = store.allowed_origins[0] if store.allowed_origins else None
    if shop is None and connector is not None and connector.shop_domain:
        shop = f"https://{connector.shop_domain}"
    context = ParseContext(shop_url=shop, currency=store.currency)
    try:
        events = connectors.events_of(row.platform, topic=row.topic, body=row.body, context=context)
    except WebhookRefused as exc:
        row.status, row.error, row.processed_at = "failed", str(exc), ctx.now()
        ctx.session.add(row)
        return
    row.outcome = apply.apply_events(
        session=ctx.session,
        settings=ctx.runtime.settings,
        store=store,
        platform=row.platform,
        events=events,
        now=ctx.now(),
    )
    row.status, row.processed_at = "processed", ctx.now()
    ctx.session.add(row)


@job(coupon_sync.CREATE_JOB, max_attempts=coupon_sync.MAX_ATTEMPTS, base_backoff=30.0)
def create_coupon(ctx: JobContext, *, coupon: int) -> None:
    """Create one reward or friend coupon in its platform (see coupon_sync.create_in_platform)."""
    with make_http_client(guard=net.Guard.of(ctx.runtime.settings)) as http:
        coupon_sync.create_in_platform(ctx, coupon, http=http)


@periodic("connectors.forget_deliveries", every=timedelta(hours=1))
def forget_deliveries(runtime: Runtime) -> None:
    """Delete raw deliveries past DELIVERY_RETENTION."""
    with runtime.transaction() as session:
        gone = session.execute(
            delete(ConnectorDelivery).where(
                col(ConnectorDelivery.received_at) < runtime.now() - DELIVERY_RETENTION
            )
        )
    if gone.rowcount:  # type: ignore[attr-defined]
        log.info("forgot %d connector deliveries", gone.rowcount)  # type: ignore[attr-defined]
