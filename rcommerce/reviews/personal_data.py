"""A person's data in reviews: everything kept about one e-mail address or phone number
(reviews, testimonials, review requests, confirmation links), exported or erased on request.

A buyer known only by phone writes reviews without an e-mail: theirs are the reviews kept
with the phone (a widget review typed with it) and those made for the orders placed with the
phone (or sent a review request to it).

``person_data`` and ``forget_person`` are this package's part of ``/api/v1/privacy/*``
(``rcommerce.data_requests`` gathers every package's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from rcommerce.identity import Person
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order
from rcommerce.reviews import aggregates, feed, photos, serialise, videos
from rcommerce.reviews.models import (
    REJECTED,
    Review,
    ReviewConfirmation,
    ReviewPhoto,
    ReviewRequest,
    Testimonial,
)
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


def _phone_order_pks(session: Session, store: Store, phone: str) -> set[int]:
    placed = session.exec(
        select(Order.id).where(Order.store_id == store.id, Order.phone == phone)
    ).all()
    asked = session.exec(
        select(ReviewRequest.order_pk).where(
            ReviewRequest.store_id == store.id, ReviewRequest.phone == phone
        )
    ).all()
    return {pk for pk in placed if pk is not None} | set(asked)


def _their_reviews(
    session: Session, store: Store, email: str | None, phone: str | None
) -> ColumnElement[bool]:
    """Reviews by the e-mail or phone, and reviews without an e-mail made for the phone's
    orders."""
    matches: list[ColumnElement[bool]] = []
    if email:
        matches.append(col(Review.email) == email)
    if phone:
        matches.append(col(Review.phone) == phone)
        pks = _phone_order_pks(session, store, phone)
        if pks:
            matches.append(and_(col(Review.email).is_(None), col(Review.order_pk).in_(pks)))
    return and_(col(Review.store_id) == store.id, or_(*matches) if matches else false())


def _their_requests(store: Store, email: str | None, phone: str | None) -> ColumnElement[bool]:
    matches: list[ColumnElement[bool]] = []
    if email:
        matches.append(col(ReviewRequest.email) == email)
    if phone:
        matches.append(col(ReviewRequest.phone) == phone)
    return and_(col(ReviewRequest.store_id) == store.id, or_(*matches) if matches else false())


def _their_testimonials(store: Store, email: str | None, phone: str | None) -> ColumnElement[bool]:
    matches: list[ColumnElement[bool]] = []
    if email:
        matches.append(col(Testimonial.email) == email)
    if phone:
        matches.append(col(Testimonial.phone) == phone)
    return and_(col(Testimonial.store_id) == store.id, or_(*matches) if matches else false())


def person_export(
    *, session: Session, store: Store, email: str | None, phone: str | None = None, base_url: str
) -> dict[str, Any]:
    """Everything this store keeps about one e-mail address or phone number (E.164) in
    reviews, testimonials and review requests."""
    email = orders.normalise_email(email) if email else None
    reviews = list(session.exec(select(Review).where(_their_reviews(session, store, email, phone))))
    testimonials = list(
        session.exec(select(Testimonial).where(_their_testimonials(store, email, phone)))
    )
    requests = list(session.exec(select(ReviewRequest).where(_their_requests(store, email, phone))))
    return {
        "email": email,
        "phone": phone,
        "reviews": [
            r.model_dump(mode="json") for r in serialise.admins(session, reviews, base_url)
        ],
        "testimonials": [
            serialise.testimonial_admin(t).model_dump(mode="json") for t in testimonials
        ],
        "review_requests": [
            {
                "order_pk": r.order_pk,
                "email": r.email,
                "phone": r.phone,
                "channel": r.channel,
                "attempts": r.attempts,
                "status": r.status,
                "scheduled_for": r.scheduled_for.isoformat(),
                "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                "used_at": r.used_at.isoformat() if r.used_at else None,
            }
            for r in requests
        ],
    }


def person_erase(
    *, session: Session, store: Store, email: str | None, phone: str | None = None, settings: Any
) -> dict[str, int]:
    """Delete a person's reviews (and their photos), testimonials, review requests and the
    confirmation links sent to them (with the edits waiting on them), by e-mail, phone or both.

    An unsubscribe is kept: it is what stops further e-mail to the address.
    """
    email = orders.normalise_email(email) if email else None
    # Found before the review requests that lead to the phone's reviews go.
    reviews = list(session.exec(select(Review).where(_their_reviews(session, store, email, phone))))
    # Links sent to the address or number, with the edits waiting on them.
    addresses = [a for a in (email, phone) if a]
    session.exec(
        delete(ReviewConfirmation).where(
            col(ReviewConfirmation.store_id) == store.id,
            col(ReviewConfirmation.address).in_(addresses),
        )
    )
    for review in reviews:
        with aggregates.tracking(session, review):
            review.status = REJECTED  # leaves the aggregate before the row goes
        for photo in session.exec(select(ReviewPhoto).where(ReviewPhoto.review_id == review.id)):
            photos.delete(session, settings, photo)
        videos.erase_of(session, settings, review)
        # Photos and video first: the review's delete cascades to them in the database, and the unit of
        # work would otherwise try to delete rows that are already gone.
        session.flush()
        session.delete(review)
    testimonials = session.exec(delete(Testimonial).where(_their_testimonials(store, email, phone)))
    requests = session.exec(delete(ReviewRequest).where(_their_requests(store, email, phone)))
    assert store.id is not None
    aggregates.invalidate(session, store.id, aggregates.TESTIMONIALS)
    if reviews:
        feed.forget(session, settings, store.id)
    return {
        "reviews": len(reviews),
        "testimonials": int(testimonials.rowcount),
        "review_requests": int(requests.rowcount),
    }


def person_data(
    *, session: Session, settings: Settings, store: Store, person: Person
) -> dict[str, Any]:
    """The ``reviews`` (with their photos' URLs), ``testimonials`` and ``review_requests``
    (with every message attempt) sections of a person's data."""
    found = person_export(
        session=session,
        store=store,
        email=person.email,
        phone=person.phone,
        base_url=settings.base_url,
    )
    return {key: found[key] for key in ("reviews", "testimonials", "review_requests")}


def forget_person(
    *, session: Session, settings: Settings, store: Store, person: Person, now: datetime
) -> dict[str, int]:
    """``person_erase``: the reviews' aggregates and cached widget reads follow."""
    return person_erase(
        session=session, store=store, email=person.email, phone=person.phone, settings=settings
    )
