"""Outbound webhooks: signed JSON events to the store, retried with backoff by the job system.

Each event is a ``webhook_delivery`` row (the delivery log) and a job. The signature header is
``RC-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` with the store's
webhook secret, derived from the server secret, the store id and its secret version.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import and_, case, update
from sqlmodel import Session, col, select

from rcommerce.jobs import Job, enqueue
from rcommerce.referrals.models import WebhookDelivery
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

EVENTS = (
    "advocate.created",
    "conversion.created",
    "conversion.held",
    "conversion.approved",
    "conversion.rejected",
    "conversion.reversed",
    "reward.approved",
    "reward.issued",
    "reward.voided",
    "reward.reduced",
    "reward.clawed_back",
    "redemption.created",
)
SIGNATURE_HEADER = "RC-Signature"
TOLERANCE_SECONDS = 300


def webhook_secret(settings: Settings, store: Store) -> str:
    """``whsec_`` + HMAC(server secret, store id and version): rotating the version (or the
    server secret) changes it; nothing secret is stored."""
    message = f"webhook:{store.id}:{store.webhook_secret_version}".encode()
    digest = hmac.new(settings.secret_key.encode(), message, hashlib.sha256).hexdigest()
    return "whsec_" + digest


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """What a receiving store does (shown in docs/webhooks.md); used by the tests."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def emit(
    session: Session, store: Store, event: str, data: dict[str, Any], *, now: datetime
) -> WebhookDelivery | None:
    """Queue ``event`` for the store's webhook URL in the caller's transaction."""
    assert event in EVENTS, event
    if not store.webhook_url:
        return None
    assert store.id is not None
    delivery_id = uuid.uuid4().hex
    payload = {"id": delivery_id, "type": event, "created": now.isoformat(), "data": data}
    delivery = WebhookDelivery(
        id=delivery_id,
        store_id=store.id,
        event=event,
        payload=payload,
        url=store.webhook_url,
        created_at=now,
    )
    job_row = enqueue(session, "referrals.webhook", {"delivery_id": delivery_id}, store_id=store.id)
    delivery.job_id = job_row.id
    session.add(delivery)
    return delivery


CANCELLED = "cancelled: the store removed its webhook URL"


def cancel_pending(session: Session, store: Store) -> None:
    """The store cleared its webhook URL: deliveries waiting for an attempt are cancelled (their
    jobs find them so and send nothing)."""
    session.execute(
        update(WebhookDelivery)
        .where(col(WebhookDelivery.store_id) == store.id, col(WebhookDelivery.status) == "pending")
        .values(status="cancelled", last_error=CANCELLED)
    )


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


class DeliveryPublic(BaseModel):
    id: str
    event: str
    url: str | None
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: str | None
    created_at: str
    delivered_at: str | None


class DeliveryList(BaseModel):
    """The webhook delivery log, newest first."""

    deliveries: list[DeliveryPublic]


def delivery_log(
    session: Session, store: Store, *, limit: int = 50, status: str | None = None
) -> DeliveryList:
    """The delivery log, newest first, with the retry state of each delivery's job.

    A delivery whose job gave up retrying is failed, although its own row still says pending
    (the job system records the last attempt), and the ``status`` filter agrees with that.
    """
    gave_up = and_(col(WebhookDelivery.status) == "pending", col(Job.status) == "failed")
    shown = case((gave_up, "failed"), else_=col(WebhookDelivery.status))
    query = (
        select(WebhookDelivery, Job, shown)
        .outerjoin(Job, col(Job.id) == col(WebhookDelivery.job_id))
        .where(WebhookDelivery.store_id == store.id)
    )
    if status:
        query = query.where(shown == status)
    query = query.order_by(col(WebhookDelivery.created_at).desc()).limit(limit)
    rows = session.exec(query)
    return DeliveryList(deliveries=[delivery_public(d, j, str(s)) for d, j, s in rows])


def delivery_public(delivery: WebhookDelivery, job_row: Job | None, status: str) -> DeliveryPublic:
    """One delivery as the log shows it; ``status`` is the log's (``delivery_log``)."""
    return DeliveryPublic(
        id=delivery.id,
        event=delivery.event,
        url=delivery.url,
        status=status,
        attempts=max(delivery.attempts, job_row.attempts if job_row else 0),
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error or (job_row.last_error if job_row else None),
        next_attempt_at=(
            job_row.run_at.isoformat() if job_row is not None and status == "pending" else None
        ),
        created_at=delivery.created_at.isoformat(),
        delivered_at=delivery.delivered_at.isoformat() if delivery.delivered_at else None,
    )
