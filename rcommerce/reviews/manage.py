"""What a store's manager does to reviews, through the API or the dashboard: list them, approve,
reject or unpublish one (for an allowed reason), reply in public, feature one as a testimonial."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from rcommerce import cursors, events, jobs
from rcommerce.errors import Conflict, Forbidden, NotFound
from rcommerce.reviews import aggregates, decisions, rules
from rcommerce.reviews.events import ReviewUpdated
from rcommerce.reviews.models import (
    PENDING,
    PUBLISHED,
    RECEIVED,
    REJECTED,
    UNPUBLISHED,
    ModerationDecision,
    Review,
    Testimonial,
)
from rcommerce.reviews.shapes import AdminReviewQuery, StatusUpdate
from rcommerce.stores.models import Store


def get_review(session: Session, store: Store, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None or review.store_id != store.id:
        raise NotFound(f"No review {review_id} in this store.")
    return review


def manager_update(
    *,
    session: Session,
    store: Store,
    review_id: int,
    data: StatusUpdate,
    actor: str = "manager:api",
    now: datetime,
) -> Review:
    review = get_review(session, store, review_id)
    reason = None
    if data.status in (REJECTED, UNPUBLISHED):
        reason = decisions.check_reason(data.reason)
    if data.status == UNPUBLISHED and review.status != PUBLISHED:
        raise Conflict("Only a published review can be unpublished; reject it instead.")
    if data.status == PUBLISHED and review.status == RECEIVED:
        raise Conflict("This review is still being checked; approve it once moderation has run.")
    if review.status == data.status and review.reason_code == reason and not review.flagged:
        return review  # (approving a flagged published review clears its flag)
    with aggregates.tracking(session, review):
        decisions.record(
            session,
            review,
            to_status=data.status,
            actor=actor,
            reason_code=reason,
            flags=review.flags if data.status != PUBLISHED else [],
            note=data.note,
            now=now,
        )
    events.publish(ReviewUpdated(session, store, review, now))
    return review


def set_reply(
    *, session: Session, store: Store, review_id: int, body: str | None, now: datetime
) -> Review:
    review = get_review(session, store, review_id)
    review.reply_body = body
    review.reply_at = now if body else None
    review.updated_at = now
    session.add(review)
    session.add(
        ModerationDecision(
            store_id=review.store_id,
            review_id=review.id,
            from_status=review.status,
            to_status=review.status,
            actor="manager:api",
            note="public reply set" if body else "public reply removed",
            created_at=now,
        )
    )
    aggregates.invalidate(session, review.store_id, review.product_id)
    if body and review.thanked_at is not None and review.reply_notified_at is None:
        # The author was thanked before the reply existed: tell them once (thanks.py).
        jobs.enqueue(
            session,
            "reviews.send_reply_notice",
            {"review_id": review.id},
            store_id=review.store_id,
            dedupe_key=f"review-reply-notice:{review.id}",
        )
    events.publish(ReviewUpdated(session, store, review, now))
    return review


def feature_review(
    *, session: Session, store: Store, review_id: int, now: datetime
) -> tuple[Testimonial, bool]:
    """Make a published review a testimonial; only with its author's consent."""
    review = get_review(session, store, review_id)
    existing = session.exec(
        select(Testimonial).where(
            Testimonial.store_id == store.id, Testimonial.review_id == review.id
        )
    ).first()
    if existing is not None:
        return existing, False
    if not review.testimonial_consent:
        raise Forbidden(
            "The author did not consent to this review being used as a testimonial.",
            code="no_consent",
        )
    if review.status != PUBLISHED:
        raise Conflict("Only a published review can be featured.")
    assert store.id is not None
    row = Testimonial(
        store_id=store.id,
        review_id=review.id,
        body=review.body,
        author_name=review.author_name,
        email=review.email,
        rating=review.rating,
        consent=True,
        consent_at=review.created_at,
        source="review",
        created_at=now,
        fingerprint=review.fingerprint,
    )
    row.sentiment_label, row.sentiment_compound = review.sentiment_label, review.sentiment_compound
    row.sentiment_aspects, row.sentiment_language = (
        review.sentiment_aspects,
        review.sentiment_language,
    )
    row.sentiment_confidence = review.sentiment_confidence
    row.sentiment_aspect_confidence = review.sentiment_aspect_confidence
    row.sentiment_sarcasm = review.sentiment_sarcasm
    row.scorer_version = review.scorer_version
    session.add(row)
    session.flush()
    decisions.record(
        session, row, to_status=PUBLISHED, actor="manager:api", note="featured review", now=now
    )
    aggregates.invalidate(session, store.id, aggregates.TESTIMONIALS)
    events.publish(ReviewUpdated(session, store, review, now))
    return row, True


def list_admin(
    *, session: Session, store: Store, query: AdminReviewQuery
) -> tuple[list[Review], str | None]:
    stmt = select(Review).where(Review.store_id == store.id)
    if query.product_id is not None:
        stmt = stmt.where(Review.product_id == query.product_id)
    if query.status is not None:
        stmt = stmt.where(Review.status == query.status)
    if query.flagged is not None:
        stmt = stmt.where(Review.flagged == query.flagged)
    return cursors.newest_first(session, stmt, Review.id, query.cursor, query.limit)


def held_counts(session: Session, store: Store) -> dict[str, dict[int, int]]:
    """Reviews waiting for a human (``pending``) and published with a flag (``flagged``), by
    star rating: the manager sees at a glance whether low ratings are the ones held."""
    counts: dict[str, dict[int, int]] = {
        "pending": dict.fromkeys(range(1, 6), 0),
        "flagged": dict.fromkeys(range(1, 6), 0),
    }
    for kind, where in (
        ("pending", Review.status == PENDING),
        ("flagged", col(Review.flagged).is_(True)),
    ):
        rows = session.exec(
            select(Review.rating, func.count())
            .where(Review.store_id == store.id, where)
            .group_by(col(Review.rating))
        )
        for rating, count in rows:
            counts[kind][int(rating)] = int(count)
    return counts


def release_held(*, session: Session, store: Store, now: datetime) -> int:
    """Publish the reviews held for a human longer than the store's review window that no
    manager decided on (a manager's decision moves a review out of ``pending``). Returns how
    many were published."""
    cutoff = now - timedelta(hours=store.review_hold_hours)
    rows = session.exec(
        select(Review)
        .where(
            Review.store_id == store.id,
            Review.status == PENDING,
            col(Review.updated_at) <= cutoff,
        )
        .order_by(col(Review.id))
        .limit(500)
    ).all()
    for review in rows:
        note = f"no decision within {store.review_hold_hours} hours"
        if "personal_data" in review.flags:
            # Published, but never with someone's phone number or e-mail address in it.
            review.title = rules.mask_personal_data(review.title)
            review.body = rules.mask_personal_data(review.body)
            note += "; phone numbers and e-mail addresses masked"
        with aggregates.tracking(session, review):
            decisions.record(
                session,
                review,
                to_status=PUBLISHED,
                actor="system:review-window",
                flags=review.flags,
                note=note,
                now=now,
            )
    return len(rows)
