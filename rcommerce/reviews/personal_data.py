"""A person's data in reviews: everything kept about one e-mail address (reviews, testimonials,
review requests), exported or erased on request."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from rcommerce.orders import service as orders
from rcommerce.reviews import aggregates, photos, serialise
from rcommerce.reviews.models import (
    REJECTED,
    Review,
    ReviewConfirmation,
    ReviewPhoto,
    ReviewRequest,
    Testimonial,
)
from rcommerce.stores.models import Store


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
    """Delete a person's reviews (and their photos), testimonials, review requests and the
    confirmation links sent to them (with the edits waiting on them).

    An unsubscribe is kept: it is what stops further e-mail to the address.
    """
    email = orders.normalise_email(email)
    # Links sent to the address, with the edits waiting on them.
    session.exec(
        delete(ReviewConfirmation).where(
            col(ReviewConfirmation.store_id) == store.id, col(ReviewConfirmation.address) == email
        )
    )
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
