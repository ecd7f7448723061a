"""Reviews and testimonials: submission, moderation, manager actions, votes, reports, reads and a
person's data. Plain keyword-only functions; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, false, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from rcommerce import cursors, events, jobs
from rcommerce.errors import Conflict, Forbidden, InvalidInput, NotFound
from rcommerce.orders import service as orders
from rcommerce.reviews import aggregates, decisions, photos, rules, serialise
from rcommerce.reviews.events import ReviewUpdated
from rcommerce.reviews.models import (
    PUBLISHED,
    RECEIVED,
    REJECTED,
    STORE_SUBJECT,
    UNPUBLISHED,
    ModerationDecision,
    Review,
    ReviewPhoto,
    ReviewReport,
    ReviewRequest,
    ReviewVote,
    Testimonial,
)
from rcommerce.reviews.shapes import (
    AdminReviewQuery,
    ReportIn,
    ReviewPage,
    ReviewQuery,
    StatusUpdate,
    Summary,
    TestimonialIn,
    TestimonialUpdate,
)
from rcommerce.stores.models import Store

if TYPE_CHECKING:
    pass

# ---- manager actions -----------------------------------------------------------------------


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
    if review.status == data.status and review.reason_code == reason:
        return review
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
    return cursors.newest_first(session, stmt, Review.id, query.cursor, query.limit)


# ---- shoppers: votes and reports -----------------------------------------------------------


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


# ---- reads for widgets ---------------------------------------------------------------------

_SORTS: dict[str, list[tuple[Any, bool]]] = {
    # (column, descending); the review id breaks ties and is always last
    "newest": [(Review.created_at, True)],
    "highest": [(Review.rating, True), (Review.created_at, True)],
    "lowest": [(Review.rating, False), (Review.created_at, True)],
    "helpful": [(Review.helpful_count, True), (Review.created_at, True)],
    "photos": [(Review.photo_count, True), (Review.created_at, True)],
}


def _after(sort: list[tuple[Any, bool]], values: list[Any]) -> ColumnElement[bool]:
    columns = [*sort, (Review.id, True)]
    if len(values) != len(columns):
        raise InvalidInput("cursor: not a cursor for this sort order.")
    parsed: list[Any] = []
    for (column, _), value in zip(columns, values, strict=True):
        if column is Review.created_at:
            try:
                when = datetime.fromisoformat(str(value))
            except ValueError:
                raise InvalidInput("cursor: not a cursor this endpoint gave out.") from None
            if when.tzinfo is None:  # ours always carry UTC; the column refuses naive times
                raise InvalidInput("cursor: not a cursor this endpoint gave out.")
            parsed.append(when)
        elif isinstance(value, int) and not isinstance(value, bool):
            parsed.append(value)
        else:
            raise InvalidInput("cursor: not a cursor this endpoint gave out.")
    clauses: list[ColumnElement[bool]] = []
    for i, (column, descending) in enumerate(columns):
        equal = [col(c) == parsed[j] for j, (c, _) in enumerate(columns[:i])]
        beyond = col(column) < parsed[i] if descending else col(column) > parsed[i]
        clauses.append(and_(*equal, beyond))
    return or_(false(), *clauses)


def list_published(
    *, session: Session, store: Store, product_id: str, query: ReviewQuery
) -> tuple[list[Review], str | None]:
    sort = _SORTS[query.sort]
    stmt = select(Review).where(
        Review.store_id == store.id, Review.product_id == product_id, Review.status == PUBLISHED
    )
    if query.rating is not None:
        stmt = stmt.where(Review.rating == query.rating)
    if query.language is not None:
        stmt = stmt.where(Review.language == query.language)
    if query.verified is not None:
        stmt = stmt.where(Review.verified == query.verified)
    if query.cursor:
        stmt = stmt.where(_after(sort, cursors.decode(query.cursor)))
    order = [col(c).desc() if d else col(c).asc() for c, d in sort] + [col(Review.id).desc()]
    rows = list(session.exec(stmt.order_by(*order).limit(query.limit + 1)))
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = None
    if more and rows:
        last = rows[-1]
        cursor = cursors.encode([getattr(last, c.key) for c, _ in sort] + [last.id])
    return rows, cursor


def review_page(
    *, session: Session, store: Store, product_id: str, query: ReviewQuery, base_url: str
) -> ReviewPage:
    assert store.id is not None
    if product_id != STORE_SUBJECT:
        orders.require_product(session, store, product_id)
    rows, cursor = list_published(session=session, store=store, product_id=product_id, query=query)
    pictures = serialise.photos_of(session, rows)
    return ReviewPage(
        summary=Summary(**aggregates.summary(session, store.id, product_id)),
        reviews=[serialise.public(r, pictures.get(r.id or 0, []), base_url) for r in rows],
        next=cursor,
    )


# ---- testimonials --------------------------------------------------------------------------


def submit_testimonial(
    *, session: Session, store: Store, data: TestimonialIn, ip_hash: str | None, now: datetime
) -> Testimonial:
    if not data.consent:
        raise InvalidInput(
            "consent: a testimonial is published only with its author's consent.",
            fields=[{"field": "consent", "message": "must be true"}],
        )
    assert store.id is not None
    row = Testimonial(
        store_id=store.id,
        body=data.body,
        author_name=data.name,
        email=orders.normalise_email(data.email),
        role=data.role,
        company=data.company,
        rating=data.rating,
        consent=True,
        consent_at=now,
        ip_hash=ip_hash,
        honeypot=bool(data.website.strip()),
        fingerprint=rules.fingerprint(data.body),
        created_at=now,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    jobs.enqueue(session, "testimonials.moderate", {"testimonial_id": row.id}, store_id=store.id)
    return row


def get_testimonial(session: Session, store: Store, testimonial_id: int) -> Testimonial:
    row = session.get(Testimonial, testimonial_id)
    if row is None or row.store_id != store.id:
        raise NotFound(f"No testimonial {testimonial_id} in this store.")
    return row


def update_testimonial(
    *, session: Session, store: Store, testimonial_id: int, data: TestimonialUpdate, now: datetime
) -> Testimonial:
    row = get_testimonial(session, store, testimonial_id)
    if data.position is not None:
        row.position = data.position
        session.add(row)
    if data.status is not None and data.status != row.status:
        reason = (
            decisions.check_reason(data.reason) if data.status in (REJECTED, UNPUBLISHED) else None
        )
        if data.status == PUBLISHED and not row.consent:
            raise Forbidden("No consent from the author to publish this testimonial.")
        if data.status == PUBLISHED and row.status == RECEIVED:
            raise Conflict("This testimonial is still being checked.")
        decisions.record(
            session,
            row,
            to_status=data.status,
            actor="manager:api",
            reason_code=reason,
            flags=[] if data.status == PUBLISHED else row.flags,
            note=data.note,
            now=now,
        )
    aggregates.invalidate(session, row.store_id, aggregates.TESTIMONIALS)
    return row


def published_testimonials(session: Session, store: Store, limit: int = 50) -> list[Testimonial]:
    return list(
        session.exec(
            select(Testimonial)
            .where(Testimonial.store_id == store.id, Testimonial.status == PUBLISHED)
            .order_by(
                col(Testimonial.position),
                col(Testimonial.published_at).desc(),
                col(Testimonial.id).desc(),
            )
            .limit(limit)
        )
    )


def all_testimonials(
    session: Session, store: Store, status: str | None = None
) -> list[Testimonial]:
    stmt = select(Testimonial).where(Testimonial.store_id == store.id)
    if status:
        stmt = stmt.where(Testimonial.status == status)
    return list(session.exec(stmt.order_by(col(Testimonial.position), col(Testimonial.id))))


def featured_ids(session: Session, store: Store, reviews: Sequence[Review]) -> set[int]:
    """Which of ``reviews`` are already testimonials."""
    ids = [r.id for r in reviews if r.id is not None]
    if not ids:
        return set()
    stmt = select(Testimonial.review_id).where(
        Testimonial.store_id == store.id, col(Testimonial.review_id).in_(ids)
    )
    return {i for i in session.exec(stmt) if i is not None}


# ---- a person's data -----------------------------------------------------------------------


def person_export(*, session: Session, store: Store, email: str, base_url: str) -> dict[str, Any]:
    """Everything this store keeps about one e-mail address in reviews and testimonials."""
    email = orders.normalise_email(email)
    reviews = list(
        session.exec(select(Review).where(Review.store_id == store.id, Review.email == email))
    )
    testimonials = list(
        session.exec(
            select(Testimonial).where(Testimonial.store_id == store.id, Testimonial.email == email)
        )
    )
    requests = list(
        session.exec(
            select(ReviewRequest).where(
                ReviewRequest.store_id == store.id, ReviewRequest.email == email
            )
        )
    )
    return {
        "email": email,
        "reviews": [
            r.model_dump(mode="json") for r in serialise.admins(session, reviews, base_url)
        ],
        "testimonials": [
            serialise.testimonial_admin(t).model_dump(mode="json") for t in testimonials
        ],
        "review_requests": [
            {
                "order_pk": r.order_pk,
                "status": r.status,
                "scheduled_for": r.scheduled_for.isoformat(),
                "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                "used_at": r.used_at.isoformat() if r.used_at else None,
            }
            for r in requests
        ],
    }


def person_erase(*, session: Session, store: Store, email: str, settings: Any) -> dict[str, int]:
    """Delete a person's reviews (and their photos), testimonials and review requests.

    An unsubscribe is kept: it is what stops further e-mail to the address.
    """
    email = orders.normalise_email(email)
    reviews = list(
        session.exec(select(Review).where(Review.store_id == store.id, Review.email == email))
    )
    for review in reviews:
        with aggregates.tracking(session, review):
            review.status = REJECTED  # leaves the aggregate before the row goes
        for photo in session.exec(select(ReviewPhoto).where(ReviewPhoto.review_id == review.id)):
            photos.delete(session, settings, photo)
        # Photos first: the review's delete cascades to them in the database, and the unit of
        # work would otherwise try to delete rows that are already gone.
        session.flush()
        session.delete(review)
    testimonials = session.exec(
        delete(Testimonial).where(
            col(Testimonial.store_id) == store.id, col(Testimonial.email) == email
        )
    )
    requests = session.exec(
        delete(ReviewRequest).where(
            col(ReviewRequest.store_id) == store.id, col(ReviewRequest.email) == email
        )
    )
    assert store.id is not None
    aggregates.invalidate(session, store.id, aggregates.TESTIMONIALS)
    return {
        "reviews": len(reviews),
        "testimonials": int(testimonials.rowcount),
        "review_requests": int(requests.rowcount),
    }
