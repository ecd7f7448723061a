"""Widget reads served from a cache keyed by the product's current version (aggregates.py changes
it when a review changes), revalidated with ETags; one rate limit for every read."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce import privacy, ratelimit
from rcommerce.reviews import aggregates
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.web import content_etag, in_transaction, revalidated, runtime_of

READ_CACHE_TTL = 300
CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=60"
READS_PER_IP = (600, 60)  # (requests, seconds)


async def serve(
    request: Request,
    product_id: str,
    build: Callable[[Session, Store], tuple[bytes, str]],
) -> Response:
    """A widget read: served from the cache keyed by the product's version, with an ETag."""
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    # Reads go unlimited while Redis is unavailable.
    await ratelimit.hit(
        runtime.cache,
        "reviews-read",
        ip,
        limit=READS_PER_IP[0],
        window=READS_PER_IP[1],
        when_down="open",
    )
    pk = str(request.path_params["publishable_key"])
    # The embed CORS policy has already resolved the publishable key (rcommerce.embed.cors).
    store_id: int | None = getattr(request.state, "store_id", None)
    query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
    digest = hashlib.sha1(f"{request.url.path}?{query}".encode(), usedforsecurity=False).hexdigest()
    cached: bytes | None = None
    key = ""
    if store_id is not None:
        key, cached = await runtime.cache.call(_lookup, runtime, store_id, product_id, digest)
    if cached is None:

        def work(session: Session) -> tuple[int, bytes, str]:
            store = store_for_publishable_key(session, pk)
            assert store.id is not None
            body, media_type = build(session, store)
            return store.id, body, media_type

        store_id, body, media_type = await in_transaction(request, work, readonly=True)
        assert store_id is not None
        meta = {"e": content_etag(body), "t": media_type}
        cached = json.dumps(meta).encode() + b"\n" + body
        key = await runtime.cache.call(_keep, runtime, key, store_id, product_id, digest, cached)
    # What read_replay.py needs to answer this read again while its entry is current.
    request.state.rc_cached_read = (store_id, product_id, digest, key)
    head, _, body = cached.partition(b"\n")
    info = json.loads(head)
    return revalidated(
        request, body, etag=info["e"], media_type=info["t"], cache_control=CACHE_CONTROL
    )


def read_key(runtime: Runtime, store_id: int, product_id: str, digest: str) -> str:
    """The cache key of a widget read: the product's current version is in it."""
    return entry_key(store_id, aggregates.version(runtime, store_id, product_id), digest)


def entry_key(store_id: int, version: str, digest: str) -> str:
    return f"reviews:c:{store_id}:{version}:{digest}"


def _lookup(
    runtime: Runtime, store_id: int, product_id: str, digest: str
) -> tuple[str, bytes | None]:
    """The cache key of a widget read and its entry."""
    key = read_key(runtime, store_id, product_id, digest)
    return key, runtime.cache.get(key)


def _keep(
    runtime: Runtime, key: str, store_id: int, product_id: str, digest: str, entry: bytes
) -> str:
    key = key or read_key(runtime, store_id, product_id, digest)
    runtime.cache.set(key, entry, READ_CACHE_TTL)
    return key


def json_bytes(data: Any) -> bytes:
    if isinstance(data, BaseModel):
        return data.model_dump_json().encode()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
