"""Photos of imported reviews (Judge.me's ``picture_urls``): fetched over HTTP, size-capped, and
checked and re-encoded exactly like uploads, then attached to their review.

The HTTP client (``outbound_client``) has timeouts, follows no redirect and goes through the
outbound-address guard (rcommerce.net): a ``picture_urls`` cell is text a CSV file carries, so
it may name a private, loopback or metadata address, which is refused like a 404.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import httpx
from sqlmodel import Session

from rcommerce import net
from rcommerce.errors import ApiError
from rcommerce.reviews import photos
from rcommerce.reviews.models import Review
from rcommerce.stores.models import Store

if TYPE_CHECKING:
    from rcommerce.settings import Settings

log = logging.getLogger(__name__)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def picture_urls(cell: str | None) -> list[str]:
    """The http(s) URLs of a Judge.me ``picture_urls`` cell (comma-separated), at most
    MAX_PHOTOS_PER_REVIEW, in order, without repeats."""
    found = [u.strip() for u in (cell or "").replace("\n", ",").split(",")]
    urls = [u for u in dict.fromkeys(found) if u.lower().startswith(("http://", "https://"))]
    return [u for u in urls if len(u) <= 2000][: photos.MAX_PHOTOS_PER_REVIEW]


def outbound_client(
    settings: Settings, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The client imported photos are fetched with: timeouts, no redirects (a redirect could
    lead anywhere), public addresses only (the settings' guard), or ``transport`` when given."""
    return httpx.Client(
        timeout=TIMEOUT,
        follow_redirects=False,
        transport=transport or net.GuardedTransport(net.Guard.of(settings)),
        trust_env=False,
        headers={"User-Agent": "rcommerce-review-import/1"},
    )


def fetch(client: httpx.Client, url: str, limit: int) -> bytes:
    """The body at ``url`` (200 only), refused when over ``limit`` bytes, read no further."""
    with client.stream("GET", url) as response:
        if response.status_code != 200:
            raise httpx.HTTPStatusError(
                f"{response.status_code} for {url}", request=response.request, response=response
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ValueError(f"{url}: {declared} bytes is over {limit}")
        data = bytearray()
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > limit:
                raise ValueError(f"{url}: over {limit} bytes")
        return bytes(data)


def import_photos(
    *,
    session: Session,
    settings: Settings,
    review_id: int,
    urls: Sequence[str],
    now: datetime,
    client: httpx.Client | None = None,
) -> int:
    """Fetch, check, re-encode and attach an imported review's photos (idempotent: a review
    that has photos is left alone). A photo that cannot be fetched or read is skipped and
    logged. Returns how many were attached."""
    review = session.get(Review, review_id)
    if review is None or review.photo_count:
        return 0
    store = session.get(Store, review.store_id)
    if store is None:
        return 0
    own = client is None
    http = client or outbound_client(settings)
    stored: list[str] = []
    try:
        for url in urls[: photos.MAX_PHOTOS_PER_REVIEW]:
            try:
                data = fetch(http, url, settings.max_upload_bytes)
                jpeg, width, height = photos.process(settings, data)
            except (httpx.HTTPError, ValueError, ApiError) as exc:
                log.warning("review %s: photo %s skipped: %s", review_id, url, exc)
                continue
            photo = photos.store_photo(
                session=session,
                store=store,
                settings=settings,
                jpeg=jpeg,
                width=width,
                height=height,
                ip_hash=None,
                now=now,
            )
            stored.append(photo.id)
    finally:
        if own:
            http.close()
    if stored:
        session.flush()
        photos.attach_photos(session, store, review, stored, now=now)
    return len(stored)
