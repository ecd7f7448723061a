"""Zalo ZNS ratings as reviews: the stars, preset tags and note a buyer gives the ZNS review
request become that order's verified review, through the same path as the request's form.

A callback is kept once under Zalo's msg_id (a redelivery changes nothing) and answered at once;
the job ``reviews.zns_rating`` makes the review. A rating whose tracking id names no review
request sent by ZNS is logged and nothing is stored.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from rcommerce import jobs
from rcommerce.messaging import ZNSRating as Rating
from rcommerce.messaging.zalo_ratings import aspects_of
from rcommerce.orders.models import Order
from rcommerce.reviews import requests, submission
from rcommerce.reviews.models import STORE_SUBJECT, ReviewRequest, ZNSRating
from rcommerce.stores.models import Store

log = logging.getLogger(__name__)

JOB = "reviews.zns_rating"
ACCEPTED, DUPLICATE, UNMATCHED = "accepted", "duplicate", "unmatched"
REVIEWED, EXPIRED = "reviewed", "expired"
# The tracking id review requests carried before it was stored on the request.
_LEGACY_TRACKING = re.compile(r"review-request-(\d{1,18})")


@dataclass(frozen=True)
class Received:
    """``accepted`` (kept; a job makes the review), ``duplicate`` (kept before: nothing
    changes) or ``unmatched`` (no review request of ours: logged, nothing kept)."""

    status: str
    key: str | None = None


def rating_key(rating: Rating) -> str | None:
    """What identifies one rating across redeliveries: Zalo's msg_id, else the tracking id
    and the moment it was submitted."""
    if rating.msg_id:
        return f"msg:{rating.msg_id}"[:120]
    if rating.tracking_id and rating.submitted_at is not None:
        millis = int(rating.submitted_at.timestamp() * 1000)
        return f"track:{rating.tracking_id}:{millis}"[:120]
    return None


def find_request(session: Session, tracking_id: str | None) -> ReviewRequest | None:
    """The review request sent by ZNS that a rating's tracking id names, if any."""
    if not tracking_id:
        return None
    request = session.exec(
        select(ReviewRequest).where(ReviewRequest.tracking_id == tracking_id)
    ).first()
    legacy = _LEGACY_TRACKING.fullmatch(tracking_id)
    if request is None and legacy is not None:
        request = session.get(ReviewRequest, int(legacy[1]))
        if request is not None and request.tracking_id is not None:
            request = None  # this request was sent with a stored tracking id: not this one
    if request is None or request.channel != "zns":
        return None
    return request


def receive(*, session: Session, rating: Rating, now: datetime) -> Received:
    """Keep a verified rating once and queue the job that makes its review."""
    key = rating_key(rating)
    request = find_request(session, rating.tracking_id)
    if key is None or request is None:
        log.warning(
            "ZNS rating %s: tracking id %r names no review request sent by ZNS; not kept",
            rating.msg_id or "(no msg_id)",
            rating.tracking_id,
        )
        return Received(UNMATCHED, key)
    if session.exec(select(ZNSRating.id).where(ZNSRating.key == key)).first() is not None:
        return Received(DUPLICATE, key)
    row = ZNSRating(
        key=key,
        store_id=request.store_id,
        request_id=request.id,
        stars=rating.stars,
        tags=list(rating.tags),
        note=rating.note[:5000],
        received_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same callback, delivered twice at once
        return Received(DUPLICATE, key)
    assert row.id is not None
    jobs.enqueue(
        session,
        JOB,
        {"rating_id": row.id},
        store_id=row.store_id,
        dedupe_key=f"zns-rating:{row.id}",
    )
    return Received(ACCEPTED, key)


def review_text(rating: ZNSRating) -> str:
    """The note, or without one the tags as the buyer chose them."""
    return (rating.note.strip() or ", ".join(rating.tags))[:5000]


def make_review(*, session: Session, rating_id: int, now: datetime) -> None:
    """The order's review from a kept rating (idempotent), by the request's link rules: the
    first rating spends the link, a later one edits the review it made while the link has not
    expired, and after that changes nothing. The stars are the rating; the text the note (or
    the tags); the tags' aspects are the review's. An order of one product is that product's
    review, an order of several the store's (the rating does not say which product)."""
    rating = session.get(ZNSRating, rating_id)
    if rating is None or rating.status != ACCEPTED:
        return
    request = None
    if rating.request_id is not None:
        # Locked: two ratings of one request (or a rating and the form) make one review.
        request = session.exec(
            select(ReviewRequest).where(ReviewRequest.id == rating.request_id).with_for_update()
        ).first()
    store = session.get(Store, rating.store_id)
    order = session.get(Order, request.order_pk) if request is not None else None
    if request is None or store is None or order is None:
        _close(session, rating, UNMATCHED, now)
        return
    if request.expires_at is not None and rating.received_at >= request.expires_at:
        log.info("ZNS rating %s: review request %s had expired", rating.key, request.id)
        _close(session, rating, EXPIRED, now)
        return
    if request.used_at is None:
        requests.spend(session, request, now)
    items = requests.form_items(session, store, order)
    subject = items[0].product_id if len(items) == 1 else STORE_SUBJECT
    review = submission.submit_review(
        session=session,
        store=store,
        product_id=subject or None,
        rating=rating.stars,
        body=review_text(rating),
        name=order.customer_name or "—",
        email=request.email,
        source="zns",
        request=request,
        tag_aspects=aspects_of(tuple(rating.tags), rating.stars),
        now=now,
    )
    rating.review_id = review.id
    _close(session, rating, REVIEWED, now)


def _close(session: Session, rating: ZNSRating, status: str, now: datetime) -> None:
    """Done with a rating: its words live on in the review (if any), not here."""
    rating.status, rating.processed_at = status, now
    rating.tags, rating.note = [], ""
    session.add(rating)
