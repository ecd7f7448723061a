"""Shoppers' helpful / not helpful votes on published reviews, and their abuse reports, which ask a
manager to look and never hide a review by themselves."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rcommerce.errors import NotFound
from rcommerce.reviews import aggregates
from rcommerce.reviews.models import PUBLISHED, Review, ReviewReport, ReviewVote
from rcommerce.reviews.shapes import ReportIn
from rcommerce.stores.models import Store


def _published(session: Session, store: Store, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None or review.store_id != store.id or review.status != PUBLISHED:
        raise NotFound(f"No published review {review_id} in this store.")
    return review


def vote(*, session: Session, store: Store, review_id: int, voter: str, helpful: bool) -> Review:
    """One vote per visitor; voting again changes the vote."""
    review = _published(session, store, review_id)
    value = 1 if helpful else -1
    existing = session.exec(
        select(ReviewVote).where(ReviewVote.review_id == review.id, ReviewVote.voter == voter)
    ).first()
    if existing is not None and existing.value == value:
        return review
    helpful_delta = (1 if value == 1 else 0) - (1 if existing and existing.value == 1 else 0)
    not_delta = (1 if value == -1 else 0) - (1 if existing and existing.value == -1 else 0)
    if existing is None:
        assert review.id is not None
        try:
            with session.begin_nested():
                session.add(ReviewVote(review_id=review.id, voter=voter, value=value))
                session.flush()
        except IntegrityError:
            return review  # the same visitor's concurrent vote won
    else:
        existing.value = value
        session.add(existing)
    session.execute(
        update(Review)
        .where(col(Review.id) == review.id)
        .values(
            helpful_count=col(Review.helpful_count) + helpful_delta,
            not_helpful_count=col(Review.not_helpful_count) + not_delta,
        )
    )
    session.refresh(review)
    aggregates.invalidate(session, review.store_id, review.product_id)
    return review


def report(
    *, session: Session, store: Store, review_id: int, reporter: str, data: ReportIn
) -> None:
    """An abuse report asks a manager to look; reports never hide a review by themselves
    (otherwise a competitor could bury honest reviews)."""
    review = _published(session, store, review_id)
    assert review.id is not None
    try:
        with session.begin_nested():
            session.add(
                ReviewReport(
                    review_id=review.id, reporter=reporter, reason=data.reason, note=data.note
                )
            )
            session.flush()
    except IntegrityError:
        return
    session.execute(
        update(Review)
        .where(col(Review.id) == review.id)
        .values(report_count=col(Review.report_count) + 1)
    )
