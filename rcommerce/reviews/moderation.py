"""Moderation of a received review or testimonial, in one place and one direction: gather what the
rules look at, score, let rules.py decide, record the decision, keep the aggregate in step."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, or_, select

from rcommerce.reviews import aggregates, decisions, rules, scoring
from rcommerce.reviews.models import PENDING, RECEIVED, REJECTED, Review, Testimonial
from rcommerce.stores.models import Store

SYSTEM = "system:moderation"
VELOCITY_WINDOW = timedelta(hours=1)
VELOCITY_PER_IP = 5
VELOCITY_PER_EMAIL_DAY = 10
NEAR_DUPLICATE_WINDOW = 300  # recent reviews compared for near-duplicates


def moderate_reviews(
    *, session: Session, review_ids: Sequence[int], now: datetime
) -> list[tuple[Store, Review]]:
    """Run the rules and the scorer on the received reviews of ``review_ids`` and publish,
    hold or reject each; returns those decided, with their store. Reviews already decided (a
    redelivered job) are left alone. What the rules need from the database is read once for
    all of them, each review is decided on its own exactly as if it were alone, and each
    product's aggregate is changed once."""
    reviews = list(
        session.exec(
            select(Review)
            .where(col(Review.id).in_(review_ids), col(Review.status) == RECEIVED)
            .order_by(col(Review.id))
        )
    )
    by_store: dict[int, list[Review]] = {}
    for review in reviews:
        by_store.setdefault(review.store_id, []).append(review)
    decided: list[tuple[Store, Review]] = []
    changes = aggregates.Changes()
    for store_id, group in by_store.items():
        store = session.get(Store, store_id)
        assert store is not None
        signals = _review_signals(session, group, now)
        for review in group:
            with changes.tracking(review):
                scoring.score(review, store)
                found = signals[review.id or 0]
                found.rating_mismatch = rules.mismatch(review.rating, review.sentiment_compound)
                outcome = rules.decide(found)
                decisions.record(
                    session,
                    review,
                    to_status=outcome.status,
                    actor=SYSTEM,
                    reason_code=outcome.reason_code,
                    flags=outcome.flags,
                    now=now,
                )
            decided.append((store, review))
    changes.apply(session)
    return decided


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


def _review_signals(
    session: Session, reviews: Sequence[Review], now: datetime
) -> dict[int, rules.Signals]:
    """What the rules see in each of a store's ``reviews`` (ascending ids), by review id: the
    text's own signals, then duplicates and velocity from a few queries for all of them."""
    store_id = reviews[0].store_id
    found: dict[int, rules.Signals] = {}
    for review in reviews:
        assert review.id is not None
        found[review.id] = rules.screen(
            f"{review.title}\n{review.body}", name=review.author_name, honeypot=review.honeypot
        )
    # Duplicates: only earlier reviews by someone else count (the first of two identical
    # texts is the original).
    checked = [
        r
        for r in reviews
        if r.fingerprint and rules.normalised_length(r.body) >= rules.MIN_DUPLICATE_CHARS
    ]
    if checked:
        same_text: dict[str, list[Any]] = {}
        for row_id, fingerprint, email in session.exec(
            select(Review.id, Review.fingerprint, Review.email).where(
                Review.store_id == store_id,
                col(Review.fingerprint).in_({r.fingerprint for r in checked}),
                col(Review.id) < max(r.id or 0 for r in checked),
            )
        ):
            same_text.setdefault(fingerprint, []).append((row_id, email))
        unmatched = []
        for review in checked:
            assert review.id is not None
            found[review.id].duplicate = any(
                row_id < review.id and _someone_else(email, review)
                for row_id, email in same_text.get(review.fingerprint, ())
            )
            if not found[review.id].duplicate:
                unmatched.append(review)
        if unmatched:
            _near_duplicates(session, store_id, unmatched, found)
    _velocity(session, store_id, reviews, now, found)
    return found


def _someone_else(email: str | None, review: Review) -> bool:
    return email is None or email != review.email


def _near_duplicates(
    session: Session, store_id: int, reviews: Sequence[Review], found: dict[int, rules.Signals]
) -> None:
    """Each review against the NEAR_DUPLICATE_WINDOW most recent earlier reviews of the store
    by someone else: read once for all of ``reviews`` (with room for the ones among them and
    their authors' own reviews), and apart for a review whose window that read cannot fill."""
    newest = max(r.id or 0 for r in reviews)
    room = NEAR_DUPLICATE_WINDOW + len(reviews) + 2 * NEAR_DUPLICATE_WINDOW // 10
    recent: Sequence[Any] = session.exec(
        select(Review.id, Review.email, Review.body)
        .where(Review.store_id == store_id, col(Review.id) < newest)
        .order_by(col(Review.id).desc())
        .limit(room)
    ).all()
    complete = len(recent) < room  # every earlier review of the store is in ``recent``
    # Which of ``recent`` hold each shingle: a review is compared only with the rows it shares
    # a shingle with (two texts sharing none are not similar), counting the shared ones.
    holding: dict[str, list[int]] = {}
    sizes: dict[int, int] = {}
    for row_id, _, body in recent:
        theirs = _comparable(body)
        if theirs:
            sizes[row_id] = len(theirs)
            for shingle in theirs:
                holding.setdefault(shingle, []).append(row_id)
    for review in reviews:
        review_id, author = review.id, review.email  # read once: the loop below is long
        assert review_id is not None
        window: list[Any] = []
        for row_id, email, body in recent:
            if row_id < review_id and (email is None or email != author):  # _someone_else
                window.append((row_id, body))
                if len(window) == NEAR_DUPLICATE_WINDOW:
                    break
        mine = rules.shingles(review.body)
        if len(window) < NEAR_DUPLICATE_WINDOW and not complete:
            window = list(
                session.exec(
                    select(Review.id, Review.body)
                    .where(Review.store_id == store_id, col(Review.id) < review_id)
                    .where(or_(col(Review.email).is_(None), col(Review.email) != author))
                    .order_by(col(Review.id).desc())
                    .limit(NEAR_DUPLICATE_WINDOW)
                ).all()
            )
            found[review_id].near_duplicate = any(
                (theirs := _comparable(body)) is not None and rules.similar(mine, theirs)
                for _, body in window
            )
            continue
        inside = {row_id for row_id, _ in window}
        common: Counter[int] = Counter()
        for shingle in mine:
            common.update(row_id for row_id in holding.get(shingle, ()) if row_id in inside)
        found[review_id].near_duplicate = any(
            rules.similar_by_counts(len(mine), sizes[row_id], shared)
            for row_id, shared in common.items()
        )


def _comparable(body: str) -> frozenset[str] | None:
    """The shingles of a review's text when it is long enough to be compared for near
    duplicates ("Tốt", "Hàng đẹp" are not spam when many people write them)."""
    if rules.normalised_length(body) < rules.MIN_DUPLICATE_CHARS:
        return None
    return rules.shingles(body)


def _velocity(
    session: Session,
    store_id: int,
    reviews: Sequence[Review],
    now: datetime,
    found: dict[int, rules.Signals],
) -> None:
    """Many reviews of the store from one address within the hour, or from one e-mail within
    the day: counted once for all of ``reviews`` (each review itself left out)."""
    recent_ip = now - VELOCITY_WINDOW
    recent_email = now - timedelta(days=1)
    ids = [r.id for r in reviews]
    ip_hashes = {r.ip_hash for r in reviews if r.ip_hash}
    emails = {r.email for r in reviews if r.email}
    per_ip: dict[str, int] = {}
    per_email: dict[str, int] = {}
    if ip_hashes:
        per_ip = dict(
            session.exec(  # type: ignore[arg-type]
                select(Review.ip_hash, func.count())
                .where(
                    Review.store_id == store_id,
                    col(Review.ip_hash).in_(ip_hashes),
                    col(Review.created_at) >= recent_ip,
                )
                .group_by(col(Review.ip_hash))
            ).all()
        )
    if emails:
        per_email = dict(
            session.exec(  # type: ignore[arg-type]
                select(Review.email, func.count())
                .where(
                    Review.store_id == store_id,
                    col(Review.email).in_(emails),
                    col(Review.created_at) >= recent_email,
                )
                .group_by(col(Review.email))
            ).all()
        )
    # Which of ``reviews`` the counts above include: those written within each window.
    within_hour = set(
        session.exec(
            select(Review.id).where(col(Review.id).in_(ids), col(Review.created_at) >= recent_ip)
        ).all()
    )
    within_day = set(
        session.exec(
            select(Review.id).where(col(Review.id).in_(ids), col(Review.created_at) >= recent_email)
        ).all()
    )
    for review in reviews:
        assert review.id is not None
        signals = found[review.id]
        if review.ip_hash:
            others = per_ip.get(review.ip_hash, 0) - (review.id in within_hour)
            signals.velocity = others >= VELOCITY_PER_IP
        if review.email and not signals.velocity:
            others = per_email.get(review.email, 0) - (review.id in within_day)
            signals.velocity = others >= VELOCITY_PER_EMAIL_DAY


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
