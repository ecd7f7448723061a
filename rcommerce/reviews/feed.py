"""Google's product reviews feed (Merchant Center "Product Ratings"): every published review of
the store's products that Google can match (a GTIN, or a brand with an MPN or with the
store's own product id as SKU) and that has a product page, low ratings included, as one full
XML file. Google deletes what a full feed leaves out, so nothing is ever filtered by rating or
sentiment. Served at ``/feeds/{publishable_key}/google-product-reviews.xml``.

The file is regenerated in the background (``reviews.regenerate_feeds``, hourly) and kept under
the media folder, written durably and replaced whole; a request serves the stored file, and
builds it only when there is none yet or it is older than STALE_AFTER (a worker that has not
run), so a fetch never waits for a store's whole history to be read."""

from __future__ import annotations

import os
import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from rcommerce import privacy, ratelimit
from rcommerce.db import after_commit
from rcommerce.orders.models import Product
from rcommerce.reviews import files, serialise
from rcommerce.reviews.models import PUBLISHED, STORE_SUBJECT, Review, ReviewPhoto
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.web import Doc, content_etag, endpoint, in_transaction, revalidated, runtime_of

VERSION = "2.4"
SCHEMA = "http://www.google.com/shopping/reviews/schema/product/2.4/product_reviews.xsd"
CACHE_CONTROL = "public, max-age=3600"
READS_PER_IP = (60, 3600)  # (requests, seconds): Google fetches it on a schedule
FILE_NAME = "google-product-reviews.xml"
STALE_AFTER = 3 * 3600  # seconds: three missed hourly regenerations
# Characters XML 1.0 cannot carry at all.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _INVALID_XML.sub("", value).strip()


def matchable(product: Product) -> bool:
    """Google matches a review to a product by GTIN, or by brand with an MPN or a SKU (the
    store's product id), and needs the product's page."""
    return bool(product.url) and bool(product.gtin or product.brand)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _product_ids(parent: ET.Element, product: Product) -> None:
    ids = _sub(parent, "product_ids")
    if product.gtin:
        _sub(_sub(ids, "gtins"), "gtin", product.gtin)
    if product.mpn:
        _sub(_sub(ids, "mpns"), "mpn", _text(product.mpn))
    _sub(_sub(ids, "skus"), "sku", _text(product.product_id))
    if product.brand:
        _sub(_sub(ids, "brands"), "brand", _text(product.brand))


def build(session: Session, store: Store, base_url: str) -> bytes:
    """The store's full feed."""
    products = {
        p.product_id: p
        for p in session.exec(select(Product).where(Product.store_id == store.id))
        if matchable(p)
    }
    reviews = list(
        session.exec(
            select(Review)
            .where(
                Review.store_id == store.id,
                Review.status == PUBLISHED,
                Review.product_id != STORE_SUBJECT,
                col(Review.product_id).in_(list(products) or [""]),
            )
            .order_by(col(Review.id))
        )
    )
    photos: dict[int, list[ReviewPhoto]] = defaultdict(list)
    for photo in _photos(session, [r.id for r in reviews if r.id and r.photo_count]):
        photos[photo.review_id or 0].append(photo)
    feed = ET.Element(
        "feed",
        {
            "xmlns:vc": "http://www.w3.org/2007/XMLSchema-versioning",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": SCHEMA,
        },
    )
    _sub(feed, "version", VERSION)
    _sub(_sub(feed, "aggregator"), "name", "rcommerce")
    _sub(_sub(feed, "publisher"), "name", _text(store.name) or "—")
    listed = _sub(feed, "reviews") if reviews else None
    for review in reviews:
        content = _text(review.body) or _text(review.title)
        if listed is None or not content:
            continue
        product = products[review.product_id]
        item = _sub(listed, "review")
        _sub(item, "review_id", str(review.id))
        reviewer = _sub(item, "reviewer")
        name = _text(review.author_name)
        if name:
            _sub(reviewer, "name", name)
        else:
            _sub(reviewer, "name", "Anonymous", is_anonymous="true")
        # Version 2.4 places both flags right after the reviewer. A verified purchase is one
        # matched to the store's order; an incentivised review earned the store's
        # rating-blind reward, which Google requires to be declared.
        _sub(item, "is_verified_purchase", "true" if review.verified else "false")
        _sub(item, "is_incentivized_review", "true" if review.incentivized else "false")
        stamp = review.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        _sub(item, "review_timestamp", stamp)
        if _text(review.title):
            _sub(item, "title", _text(review.title))
        _sub(item, "content", content)
        # The product page shows the product's reviews together: a "group" page.
        _sub(item, "review_url", product.url, type="group")
        pictures = photos.get(review.id or 0, [])
        if pictures:
            images = _sub(item, "reviewer_images")
            for photo in pictures:
                _sub(_sub(images, "reviewer_image"), "url", serialise.photo_url(base_url, photo))
        _sub(_sub(item, "ratings"), "overall", str(review.rating), min="1", max="5")
        entry = _sub(_sub(item, "products"), "product")
        _product_ids(entry, product)
        if _text(product.name):
            _sub(entry, "product_name", _text(product.name))
        _sub(entry, "product_url", product.url)
        # A review-request link is sent after the order is fulfilled.
        method = "post_fulfillment" if review.source in ("email", "zns") else "unsolicited"
        _sub(item, "collection_method", method)
    ET.indent(feed)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


GOOGLE_MINIMUM = 50  # reviews across all products before Google shows product ratings


def status(session: Session, store: Store) -> dict[str, Any]:
    """What the managers' page says of the feed: the reviews in it, the products whose
    published reviews stay out for want of an identifier or a page, and how many reviews are
    still missing to reach Google's minimum."""
    counts: dict[str, int] = defaultdict(int)
    for product_id in session.exec(
        select(Review.product_id).where(
            Review.store_id == store.id,
            Review.status == PUBLISHED,
            Review.product_id != STORE_SUBJECT,
            # As the feed: a review with neither text nor title (a Zalo rating's bare stars)
            # has no content for Google.
            (func.length(func.trim(Review.body)) > 0) | (func.length(func.trim(Review.title)) > 0),
        )
    ):
        counts[product_id] += 1
    products = {
        p.product_id: p
        for p in session.exec(
            select(Product).where(
                Product.store_id == store.id, col(Product.product_id).in_(list(counts) or [""])
            )
        )
    }
    in_feed = sum(n for pid, n in counts.items() if pid in products and matchable(products[pid]))
    missing = sorted(
        (pid for pid in counts if pid not in products or not matchable(products[pid])),
        key=lambda pid: -counts[pid],
    )
    return {
        "in_feed": in_feed,
        "missing": [(pid, counts[pid]) for pid in missing],
        "to_minimum": max(GOOGLE_MINIMUM - in_feed, 0),
    }


def _photos(session: Session, review_ids: Iterable[int | None]) -> list[ReviewPhoto]:
    ids = [i for i in review_ids if i]
    if not ids:
        return []
    return list(
        session.exec(
            select(ReviewPhoto)
            .where(col(ReviewPhoto.review_id).in_(ids))
            .order_by(col(ReviewPhoto.created_at))
        )
    )


def feed_path(settings: Settings, store_id: int) -> Path:
    return settings.media_path / "feeds" / str(store_id) / FILE_NAME


def regenerate(runtime: Runtime, store_id: int) -> bytes:
    """Build the store's feed and replace its stored file (durably, never half-written)."""
    with runtime.transaction(readonly=True) as session:
        store = session.get(Store, store_id)
        if store is None:
            return b""
        body = build(session, store, runtime.settings.base_url)
    path = feed_path(runtime.settings, store_id)
    files.write_durably(path, body, files.part_path(path, str(os.getpid())))
    return body


def forget(session: Session, settings: Settings, store_id: int) -> None:
    """Once this transaction commits, drop the stored feed: the next fetch builds it without
    what was erased (an erasure does not wait for the hourly regeneration)."""
    after_commit(session, lambda: feed_path(settings, store_id).unlink(missing_ok=True))


def stored(runtime: Runtime, store_id: int) -> bytes:
    """The stored feed, or a fresh one when there is none or it is stale."""
    path = feed_path(runtime.settings, store_id)
    try:
        if time.time() - path.stat().st_mtime < STALE_AFTER:
            return path.read_bytes()
    except FileNotFoundError:
        pass
    return regenerate(runtime, store_id)


async def google_feed(request: Request) -> Response:
    runtime = runtime_of(request)
    await ratelimit.hit(
        runtime.cache,
        "reviews-feed",
        privacy.ip_hash(runtime.settings, request),
        limit=READS_PER_IP[0],
        window=READS_PER_IP[1],
        when_down="open",
    )
    pk = str(request.path_params["publishable_key"])

    def store_id(session: Session) -> int:
        found = store_for_publishable_key(session, pk).id
        assert found is not None
        return found

    body = await run_in_threadpool(
        stored, runtime, await in_transaction(request, store_id, readonly=True)
    )
    return revalidated(
        request,
        body,
        etag=content_etag(body),
        media_type="application/xml; charset=utf-8",
        cache_control=CACHE_CONTROL,
    )


routes = [
    endpoint(
        "/feeds/{publishable_key}/google-product-reviews.xml",
        google_feed,
        doc=Doc(
            "The store's Google product reviews feed (Merchant Center Product Ratings, XML)",
            tags=["reviews"],
            auth="publishable",
            responses={
                200: "application/xml",
                304: "Not modified (ETag).",
                404: "No such store.",
            },
            description="Every published review of a product with a GTIN, or a brand (with "
            "an MPN, or the store's product id as SKU), and a product URL; all ratings, 1 star "
            "included. A full file each time, as Google expects, regenerated hourly in the "
            "background. Register this URL as a scheduled fetch in Merchant Center.",
        ),
        name="google_reviews_feed",
    ),
]
