"""Receiving a platform's webhook: check its signature over the raw body, store it once under its
delivery id, queue the job that reads it, and answer within milliseconds.

Nothing is parsed before the signature holds. A refused delivery costs one read and, at most
``REFUSALS_COUNTED_PER_MINUTE`` times a minute per connector, one counter update: a flood of
forged deliveries is answered 401 without writing anything more.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from rcommerce import connectors, jobs, ratelimit
from rcommerce.connectors import service
from rcommerce.connectors.crypto import SecretUnreadable, unseal
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
    """The connector's id, webhook secret and shop, from the cache (the secret stays sealed
    there) or the database; NotFound when the store has no such connector."""
    cache_key = service.cache_key(store_id, platform)
    cached = runtime.cache.get(cache_key)
    entry = json.loads(cached) if cached is not None else _load(runtime, store_id, platform)
    if cached is None:
        runtime.cache.set(cache_key, json.dumps(entry).encode(), service.CACHE_TTL)
    if not isinstance(entry, dict):
        raise NotFound(_NOT_HERE)
    try:
        secret = unseal(runtime.settings, entry["sealed"])
    except SecretUnreadable:
        log.error("connector %s: %s", entry["id"], SecretUnreadable.__doc__)
        raise NotFound(_NOT_HERE) from None
    return Keys(int(entry["id"]), secret, entry["shop"])


def _load(runtime: Runtime, store_id: int, platform: str) -> dict[str, Any] | None:
    with runtime.transaction(readonly=True) as session:
        connector = service.get_connector(session, store_id, platform)
        if connector is None:
            return None
        return {
            "id": connector.id,
            "sealed": connector.webhook_secret_sealed,
            "shop": connector.shop_domain,
        }


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


# Built once: the receiver's statements are the same for every delivery (building them costs
# more than running them).
_DELIVERIES = ConnectorDelivery.metadata.tables["connector_delivery"]
_NEW_DELIVERY = {
    "store_id": bindparam("store_id"),
    "platform": bindparam("platform"),
    "delivery_id": bindparam("delivery_id"),
    "topic": bindparam("topic"),
    "shop": bindparam("shop"),
    "body": bindparam("body"),
    "status": "received",
    "outcome": [],
    "received_at": bindparam("received_at"),
}
_INSERT_SQLITE, _INSERT_PG = (
    dialect_insert(_DELIVERIES)
    .values(_NEW_DELIVERY)
    .on_conflict_do_nothing(index_elements=["store_id", "platform", "delivery_id"])
    .returning(_DELIVERIES.c.id)
    for dialect_insert in (sqlite_insert, pg_insert)
)
_CONNECTORS = Connector.metadata.tables["connector"]
_SEEN = (
    update(_CONNECTORS)
    .where(_CONNECTORS.c.id == bindparam("connector"))
    .values(last_delivery_at=bindparam("now"), deliveries=_CONNECTORS.c.deliveries + 1)
)


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
    """Write the raw delivery and its job in one transaction; False when it was stored before
    (one statement: a redelivery, even two at once, inserts nothing)."""
    insert = _INSERT_PG if session.get_bind().dialect.name == "postgresql" else _INSERT_SQLITE
    added = session.execute(
        insert,
        {
            "store_id": store_id,
            "platform": platform,
            "delivery_id": delivery_id[:200],
            "topic": topic[:100],
            "shop": shop[:255] if shop else None,
            "body": body,
            "received_at": now,
        },
    ).scalar_one_or_none()
    if added is None:
        return False
    session.execute(_SEEN, {"connector": connector_id, "now": now})
    jobs.enqueue(session, PROCESS_JOB, {"delivery": added}, store_id=store_id)
    return True


def count_refusal(runtime: Runtime, connector_id: int) -> None:
    """Count a refused signature, at most REFUSALS_COUNTED_PER_MINUTE times a minute."""
    try:
        ratelimit.hit_now(
            runtime.cache,
            "connector-refused",
            str(connector_id),
            limit=REFUSALS_COUNTED_PER_MINUTE,
            window=60,
            when_down="local",
        )
    except RateLimited:
        return
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
