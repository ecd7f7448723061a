"""Moderation of a received review or testimonial, in one place and one direction: gather what the
rules look at, score, let rules.py decide, record the decision, keep the aggregate in step."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, or_, select

from rcommerce.reviews import aggregates, decisions, rules, scoring
from rcommerce.reviews.models import PENDING, RECEIVED, REJECTED, Review, Testimonial
from rcommerce.stores.models import Store

SYSTEM = "system:moderation"
VELOCITY_WINDOW = timedelta(hours=1)
VELOCITY_PER_IP = 5
VELOCITY_PER_EMAIL_DAY = 10
NEAR_DUPLICATE_WINDOW = 300  # recent reviews compared for near-duplicates


def moderate_review(*, session: Session, review: Review, store: Store, now: datetime) -> None:
    """Run the rules and the scorer on a received review and publish, hold or reject it."""
    if review.status != RECEIVED:
        return  # already decided (a redelivered job)
    signals = _review_signals(session, review, now)
    with aggregates.tracking(session, review):
        scoring.score(review, store)
        signals.rating_mismatch = rules.mismatch(review.rating, review.sentiment_compound)
        outcome = rules.decide(signals)
        decisions.record(
            session,
            review,
            to_status=outcome.status,
            actor=SYSTEM,
            reason_code=outcome.reason_code,
            flags=outcome.flags,
            now=now,
        )


def moderate_testimonial(
    *, session: Session, row: Testimonial, store: Store, now: datetime
) -> None:
    """Same rules as reviews; what passes waits for a manager's approval (home-page copy)."""
    if row.status != RECEIVED:
        return
    signals = _testimonial_signals(session, row)
    scoring.score(row, store)
    signals.rating_mismatch = rules.mismatch(row.rating, row.sentiment_compound)
    outcome = rules.decide(signals)
    status = REJECTED if outcome.status == REJECTED else PENDING
    decisions.record(
        session,
        row,
        to_status=status,
        actor=SYSTEM,
        reason_code=outcome.reason_code,
        flags=outcome.flags,
        note="" if status == REJECTED else "awaiting a manager's approval",
        now=now,
    )
    aggregates.invalidate(session, row.store_id, aggregates.TESTIMONIALS)


def _review_signals(session: Session, review: Review, now: datetime) -> rules.Signals:
    text = f"{review.title}\n{review.body}"
    signals = rules.Signals(
        honeypot=review.honeypot,
        links=rules.count_links(text),
        profanity=rules.profanity(f"{review.author_name}\n{text}"),
        personal_data=rules.has_personal_data(text),
    )
    # Only earlier reviews count: the first of two identical texts is the original.
    assert review.id is not None
    others = (
        select(Review.id)
        .where(Review.store_id == review.store_id, col(Review.id) < review.id)
        .where(or_(col(Review.email).is_(None), col(Review.email) != review.email))
    )
    if review.fingerprint and rules.normalised_length(review.body) >= rules.MIN_DUPLICATE_CHARS:
        signals.duplicate = (
            session.exec(others.where(Review.fingerprint == review.fingerprint).limit(1)).first()
            is not None
        )
        if not signals.duplicate:
            mine = rules.shingles(review.body)
            recent = session.exec(
                select(Review.body)
                .where(Review.store_id == review.store_id, col(Review.id) < review.id)
                .where(or_(col(Review.email).is_(None), col(Review.email) != review.email))
                .order_by(col(Review.id).desc())
                .limit(NEAR_DUPLICATE_WINDOW)
            )
            signals.near_duplicate = any(
                rules.similarity(mine, rules.shingles(body)) >= rules.NEAR_DUPLICATE_SIMILARITY
                for body in recent
                if rules.normalised_length(body) >= rules.MIN_DUPLICATE_CHARS
            )
    if review.ip_hash:
        from_ip = session.exec(
            select(func.count())
            .select_from(Review)
            .where(
                Review.store_id == review.store_id,
                Review.ip_hash == review.ip_hash,
                Review.id != review.id,
                col(Review.created_at) >= now - VELOCITY_WINDOW,
            )
        ).one()
        signals.velocity = from_ip >= VELOCITY_PER_IP
    if review.email and not signals.velocity:
        from_email = session.exec(
            select(func.count())
            .select_from(Review)
            .where(
                Review.store_id == review.store_id,
                Review.email == review.email,
                Review.id != review.id,
                col(Review.created_at) >= now - timedelta(days=1),
            )
        ).one()
        signals.velocity = from_email >= VELOCITY_PER_EMAIL_DAY
    return signals


def _testimonial_signals(session: Session, row: Testimonial) -> rules.Signals:
    text = row.body
    signals = rules.Signals(
        honeypot=row.honeypot,
        links=rules.count_links(text),
        profanity=rules.profanity(f"{row.author_name}\n{row.role}\n{row.company}\n{text}"),
        personal_data=rules.has_personal_data(text),
    )
    if rules.normalised_length(text) >= rules.MIN_DUPLICATE_CHARS:
        signals.duplicate = (
            session.exec(
                select(Testimonial.id).where(
                    Testimonial.store_id == row.store_id,
                    col(Testimonial.id) < (row.id or 0),
                    Testimonial.fingerprint == row.fingerprint,
                    or_(col(Testimonial.email).is_(None), col(Testimonial.email) != row.email),
                )
            ).first()
            is not None
        )
    return signals
