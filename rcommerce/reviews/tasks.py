"""Background work of reviews: moderation and scoring after submission, rescoring, review-request
e-mails and their reminder, Zalo ZNS ratings, confirmation links, thank-you e-mails, publishing
what waited past the store's review window, and sweeping photos uploaded but never attached."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from rcommerce import events
from rcommerce.jobs import JobContext, job, periodic
from rcommerce.reviews import (
    aggregates,
    confirmations,
    decisions,
    feed,
    manage,
    moderation,
    photo_imports,
    photos,
    requests,
    scoring,
    thanks,
    videos,
    zns_ratings,
)
from rcommerce.reviews.events import ReviewUpdated
from rcommerce.reviews.models import PENDING, PUBLISHED, RECEIVED, Review, ReviewPhoto, Testimonial
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store

log = logging.getLogger(__name__)
ORPHAN_PHOTO_AGE = timedelta(days=1)


# Reviews moderated together when several wait (a burst of submissions): one transaction and a
# few queries for all of them. Twenty keep the write turn it holds short (tens of ms).
MODERATION_BATCH = 20


@job("reviews.moderate", batch=MODERATION_BATCH)
def moderate(ctx: JobContext, payloads: list[dict[str, Any]]) -> None:
    """Rules, then the sentiment scorer, then publish / hold / reject (idempotent), for each
    review waiting (payloads ``{"review_id": ...}``)."""
    now = ctx.now()
    decided = moderation.moderate_reviews(
        session=ctx.session, review_ids=[int(p["review_id"]) for p in payloads], now=now
    )
    for store, review in decided:
        events.publish(ReviewUpdated(ctx.session, store, review, now))


@job(zns_ratings.JOB)
def zns_rating(ctx: JobContext, *, rating_id: int) -> None:
    """A Zalo ZNS rating kept by the callback becomes the order's review (idempotent)."""
    zns_ratings.make_review(session=ctx.session, rating_id=rating_id, now=ctx.now())


# Reviews scored together when several wait (a CSV import queues one job per review).
SCORING_BATCH = 50


@job("reviews.score", batch=SCORING_BATCH)
def score(ctx: JobContext, payloads: list[dict[str, Any]]) -> None:
    """Fill (or refresh, with ``force``) each review's sentiment (payloads ``{"review_id":
    ..., "force": ...}``); each product's aggregate sentiment mix follows, once."""
    from rcommerce.sentiment import SCORER_VERSION

    force: dict[int, bool] = {}
    for payload in payloads:
        review_id = int(payload["review_id"])
        force[review_id] = force.get(review_id, False) or bool(payload.get("force", False))
    session, now = ctx.session, ctx.now()
    changes = aggregates.Changes()
    scored: list[tuple[Store, Review]] = []
    for review in session.exec(
        select(Review).where(col(Review.id).in_(force)).order_by(col(Review.id))
    ):
        assert review.id is not None
        if review.scorer_version == SCORER_VERSION and not force[review.id]:
            continue
        store = session.get(Store, review.store_id)
        assert store is not None
        with changes.tracking(review):
            scoring.score(review, store)
            session.add(review)
        scored.append((store, review))
    changes.apply(session)
    for store, review in scored:
        events.publish(ReviewUpdated(session, store, review, now))


@job("testimonials.moderate")
def moderate_testimonial(ctx: JobContext, *, testimonial_id: int) -> None:
    row = ctx.session.get(Testimonial, testimonial_id)
    if row is None:
        return
    store = ctx.session.get(Store, row.store_id)
    assert store is not None
    moderation.moderate_testimonial(session=ctx.session, row=row, store=store, now=ctx.now())


@job("testimonials.score")
def score_testimonial(ctx: JobContext, *, testimonial_id: int) -> None:
    row = ctx.session.get(Testimonial, testimonial_id)
    if row is None:
        return
    store = ctx.session.get(Store, row.store_id)
    assert store is not None
    scoring.rescore(session=ctx.session, row=row, store=store)


REQUEST_ATTEMPTS = 6


@job("reviews.send_request", max_attempts=REQUEST_ATTEMPTS, base_backoff=60.0)
def send_request(ctx: JobContext, *, request_id: int) -> None:
    last_try = ctx.job.attempts >= REQUEST_ATTEMPTS
    requests.send_request(ctx.runtime, ctx.session, request_id, ctx.now(), last_try=last_try)


@job("reviews.send_reminder", max_attempts=6, base_backoff=60.0)
def send_reminder(ctx: JobContext, *, request_id: int) -> None:
    requests.send_reminder(ctx.runtime, ctx.session, request_id, ctx.now())


@job("reviews.send_confirmation", max_attempts=6, base_backoff=60.0)
def send_confirmation(ctx: JobContext, *, confirmation_id: int) -> None:
    """Send a confirmation link (edit, verified purchase, unconfirmed review) to its address."""
    confirmations.deliver(ctx.runtime, ctx.session, confirmation_id, ctx.now())


# Thank-yous sent together when several are due (a burst of published reviews): the reviews,
# stores and opt-outs read once for all of them.
THANKS_BATCH = 50


@job("reviews.send_thanks", max_attempts=6, base_backoff=60.0, batch=THANKS_BATCH)
def send_thanks(ctx: JobContext, payloads: list[dict[str, Any]]) -> None:
    """Thank each author whose review was published (payloads ``{"review_id": ...}``)."""
    thanks.send_thanks(ctx, [int(p["review_id"]) for p in payloads])


@job("reviews.send_reply_notice", max_attempts=6, base_backoff=60.0)
def send_reply_notice(ctx: JobContext, *, review_id: int) -> None:
    thanks.send_reply_notice(ctx, review_id)


@job("reviews.import_photos", max_attempts=3, base_backoff=300.0)
def import_photos(ctx: JobContext, *, review_id: int, urls: list[str]) -> None:
    """Fetch an imported review's photos (Judge.me picture_urls) and attach them."""
    photo_imports.import_photos(
        session=ctx.session,
        settings=ctx.runtime.settings,
        review_id=review_id,
        urls=urls,
        now=ctx.now(),
    )


@periodic("reviews.release_held", every=timedelta(hours=1))
def release_held(runtime: Runtime) -> None:
    """Publish reviews held for a human past their store's review window without a decision."""
    with runtime.transaction(readonly=True) as session:
        store_ids = list(
            session.exec(select(Review.store_id).where(Review.status == PENDING).distinct())
        )
    for store_id in store_ids:
        with runtime.transaction() as session:
            store = session.get(Store, store_id)
            if store is not None:
                released = manage.release_held(session=session, store=store, now=runtime.now())
                if released:
                    log.info(
                        "store %s: published %d reviews past the review window", store_id, released
                    )


@periodic("reviews.sweep_photos", every=timedelta(hours=1))
def sweep_photos(runtime: Runtime) -> None:
    """Delete photos uploaded more than a day ago that no review uses."""
    cutoff = runtime.now() - ORPHAN_PHOTO_AGE
    with runtime.transaction() as session:
        for photo in session.exec(
            select(ReviewPhoto)
            .where(col(ReviewPhoto.review_id).is_(None), col(ReviewPhoto.created_at) < cutoff)
            .limit(500)
        ):
            photos.delete(session, runtime.settings, photo)


@periodic("reviews.sweep_videos", every=timedelta(hours=1))
def sweep_videos(runtime: Runtime) -> None:
    """Erase videos uploaded more than a day ago that no review uses."""
    with runtime.transaction() as session:
        videos.sweep_unused(session, runtime.settings, runtime.now() - ORPHAN_PHOTO_AGE)


@periodic("reviews.sweep_photo_files", every=timedelta(days=1))
def sweep_photo_files(runtime: Runtime) -> None:
    """Delete photo files, a day old or more, that no row names (see photos.sweep_files)."""
    with runtime.transaction(readonly=True) as session:
        deleted = photos.sweep_files(session, runtime.settings, runtime.now() - ORPHAN_PHOTO_AGE)
    if deleted:
        log.info("deleted %d photo files that no review photo names", deleted)


@job("reviews.demo_approve_testimonials")
def approve_demo_testimonials(ctx: JobContext, *, store_id: int) -> None:
    """Demo only (enqueued by the demo seed): what a manager would do in the dashboard,
    approving the testimonials moderation found clean. Retried until moderation has run."""
    rows = list(ctx.session.exec(select(Testimonial).where(Testimonial.store_id == store_id)))
    if any(row.status == RECEIVED for row in rows):
        raise RuntimeError("testimonials are still waiting for moderation")
    for row in rows:
        if row.status == PENDING and not row.flags:
            decisions.record(
                ctx.session,
                row,
                to_status=PUBLISHED,
                actor="demo:manager",
                note="approved by the demo seed",
                now=ctx.now(),
            )
    aggregates.invalidate(ctx.session, store_id, aggregates.TESTIMONIALS)


@periodic("reviews.regenerate_feeds", every=timedelta(hours=1))
def regenerate_feeds(runtime: Runtime) -> None:
    """Rebuild each store's Google product reviews feed file (feed.py) from its published
    reviews, so a fetch serves a stored file."""
    with runtime.transaction(readonly=True) as session:
        store_ids = list(
            session.exec(select(Review.store_id).where(Review.status == PUBLISHED).distinct())
        )
    for store_id in store_ids:
        try:
            feed.regenerate(runtime, store_id)
        except Exception:  # one store's failure must not stop the others'
            log.exception("store %s: the Google reviews feed was not regenerated", store_id)
