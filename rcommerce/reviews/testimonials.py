"""Testimonials: submitted from a widget with their author's consent, approved, ordered or removed
by a manager, and read in display order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from rcommerce import jobs
from rcommerce.errors import Conflict, Forbidden, InvalidInput, NotFound
from rcommerce.orders import service as orders
from rcommerce.reviews import aggregates, decisions, rules
from rcommerce.reviews.models import PUBLISHED, RECEIVED, REJECTED, UNPUBLISHED, Review, Testimonial
from rcommerce.reviews.shapes import TestimonialIn, TestimonialUpdate
from rcommerce.stores.models import Store


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
        email=orders.normalise_email(data.email) if data.email else None,
        # As for reviews: a phone typed beside an e-mail proves nothing and is not kept.
        phone=data.phone if data.email is None else None,
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


def move_testimonial(
    *, session: Session, store: Store, testimonial_id: int, direction: str
) -> Testimonial:
    """Swap a testimonial with its neighbour above (``up``) or below (``down``) in display order.

    Positions are first renumbered 10, 20, 30... in the current order, so testimonials that
    shared a position (0 by default) move too; an end one stays where it is."""
    if direction not in ("up", "down"):
        raise InvalidInput("direction must be up or down.")
    row = get_testimonial(session, store, testimonial_id)
    ordered = all_testimonials(session, store)
    for index, item in enumerate(ordered):
        if item.position != (index + 1) * 10:
            item.position = (index + 1) * 10
            session.add(item)
    here = next(i for i, item in enumerate(ordered) if item.id == row.id)
    there = here - 1 if direction == "up" else here + 1
    if 0 <= there < len(ordered):
        other = ordered[there]
        row.position, other.position = other.position, row.position
        session.add(other)
        session.add(row)
    aggregates.invalidate(session, store.id or 0, aggregates.TESTIMONIALS)
    return row
