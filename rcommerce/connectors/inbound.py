"""Receiving a platform's webhook: check its signature over the raw body, store it once under its
delivery id, queue the job that reads it, and answer within milliseconds.

Nothing is parsed before the signature holds. A refused delivery costs one read and, at most
``REFUSALS_COUNTED_PER_MINUTE`` times a minute per connector, one counter update: a flood of
forged deliveries is answered 401 without writing anything more.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import redis
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rcommerce import connectors, jobs, ratelimit
from rcommerce.connectors import service
from rcommerce.connectors.crypto import SecretUnreadable
from rcommerce.connectors.models import Connector, ConnectorDelivery
from rcommerce.connectors.platforms.haravan import challenge_answer
from rcommerce.connectors.webhooks import SignatureMismatch, SignatureMissing, WebhookRefused
from rcommerce.errors import ApiError, Forbidden, NotFound, RateLimited, Unauthorized
from rcommerce.runtime import Runtime

log = logging.getLogger(__name__)

# Larger than any order a platform sends (Shopify's biggest, with 250 lines, are some 800 kB).
MAX_DELIVERY_BYTES = 2 * 1024 * 1024
REFUSALS_COUNTED_PER_MINUTE = 60
PROCESS_JOB = "connectors.process_delivery"
# The same answer for an unknown store and a store without this connector: nothing to learn.
_NOT_HERE = "No connector at this address."


@dataclass(frozen=True)
class Keys:
    """What checking a delivery needs, read in a short read-only transaction."""

    connector_id: int
    secret: str
    shop_domain: str | None


@dataclass(frozen=True)
class Received:
    """The answer to a delivery: ``accepted`` (stored, a job will read it), ``duplicate`` (stored
    before), ``test`` or ``ping`` (acknowledged, nothing stored)."""

    status: str
    delivery_id: str | None = None


def keys(runtime: Runtime, store_id: int, platform: str) -> Keys:
    with runtime.transaction(readonly=True) as session:
        connector = service.get_connector(session, store_id, platform)
        if connector is None or connector.id is None:
            raise NotFound(_NOT_HERE)
        try:
            secret = service.webhook_secret(runtime.settings, connector)
        except SecretUnreadable:
            log.error("connector %s: %s", connector.id, SecretUnreadable.__doc__)
            raise NotFound(_NOT_HERE) from None
        return Keys(connector.id, secret, connector.shop_domain)


def receive(
    runtime: Runtime, *, platform: str, store_id: int, headers: Mapping[str, str], body: bytes
) -> Received:
    """Verify, name and store one delivery (see the module's docstring); raises the ApiError
    to answer with (404, 401, 403, 400)."""
    name = service.platform_name(platform)
    found = keys(runtime, store_id, name)
    try:
        delivery = connectors.authenticate(name, headers=headers, body=body, secret=found.secret)
    except (SignatureMissing, SignatureMismatch) as exc:
        count_refusal(runtime, found.connector_id)
        raise Unauthorized(str(exc), code=exc.code) from None
    except WebhookRefused as exc:
        raise ApiError(str(exc), code=exc.code, status=exc.status) from None
    if delivery.ping:
        return Received("ping")
    expected, named = found.shop_domain, service.shop_host(delivery.shop)
    if expected and named and _comparable(expected, named) and expected != named:
        raise Forbidden(
            f"This delivery is from {named}; the connector is for {expected}.",
            code="shop_mismatch",
        )
    if delivery.test:
        return Received("test", delivery.delivery_id)
    with runtime.transaction() as session:
        stored = store_delivery(
            session,
            connector_id=found.connector_id,
            store_id=store_id,
            platform=name,
            delivery_id=delivery.delivery_id,
            topic=delivery.topic,
            shop=named,
            body=body,
            now=runtime.now(),
        )
    return Received("accepted" if stored else "duplicate", delivery.delivery_id)


def _comparable(expected: str, named: str) -> bool:
    """Haravan names its shop by org id, the others by domain: compare like with like."""
    return expected.isdigit() == named.isdigit()


def store_delivery(
    session: Session,
    *,
    connector_id: int,
    store_id: int,
    platform: str,
    delivery_id: str,
    topic: str,
    shop: str | None,
    body: bytes,
    now: datetime,
) -> bool:
    """Write the raw delivery and its job in one transaction; False when it was stored before."""
    seen = session.exec(
        select(ConnectorDelivery.id).where(
            ConnectorDelivery.store_id == store_id,
            ConnectorDelivery.platform == platform,
            ConnectorDelivery.delivery_id == delivery_id,
        )
    ).first()
    if seen is not None:
        return False
    row = ConnectorDelivery(
        store_id=store_id,
        platform=platform,
        delivery_id=delivery_id[:200],
        topic=topic[:100],
        shop=shop[:255] if shop else None,
        body=body,
        received_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same delivery, arriving twice at once
        return False
    session.execute(
        update(Connector)
        .where(col(Connector.id) == connector_id)
        .values(last_delivery_at=now, deliveries=col(Connector.deliveries) + 1)
    )
    jobs.enqueue(session, PROCESS_JOB, {"delivery": row.id}, store_id=store_id)
    return True


def count_refusal(runtime: Runtime, connector_id: int) -> None:
    """Count a refused signature, at most REFUSALS_COUNTED_PER_MINUTE times a minute."""
    try:
        ratelimit.hit(
            runtime.cache,
            "connector-refused",
            str(connector_id),
            limit=REFUSALS_COUNTED_PER_MINUTE,
            window=60,
        )
    except RateLimited:
        return
    except redis.RedisError:
        log.warning("refused-signature limit unavailable (Redis); counting anyway")
    with runtime.transaction() as session:
        session.execute(
            update(Connector)
            .where(col(Connector.id) == connector_id)
            .values(
                refused_signatures=col(Connector.refused_signatures) + 1,
                last_refused_at=runtime.now(),
            )
        )


def challenge(runtime: Runtime, *, platform: str, store_id: int, query: Mapping[str, str]) -> str:
    """Haravan's subscription check: the challenge to echo, or Forbidden."""
    name = service.platform_name(platform)
    with runtime.transaction(readonly=True) as session:
        connector = service.get_connector(session, store_id, name)
        if connector is None:
            raise NotFound(_NOT_HERE)
        try:
            token = service.verify_token(runtime.settings, connector)
        except SecretUnreadable:
            token = None
    answer = challenge_answer(query, token) if name == "haravan" else None
    if answer is None:
        raise Forbidden("The verify token does not match this connector's.", code="bad_token")
    return answer
