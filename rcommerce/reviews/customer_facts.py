"""What reviews say about each buyer, read in bulk for customer segments: the published
reviews they wrote, the helpful votes those earned, and which orders were reviewed. Nothing
here reads a rating: no segment depends on one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from rcommerce.reviews.models import PUBLISHED, Review
from rcommerce.stores.models import Store


@dataclass(frozen=True, slots=True)
class Written:
    reviews: int
    helpful_votes: int


def written_by_email(session: Session, store: Store) -> dict[str, Written]:
    """Author's e-mail -> their published reviews and the helpful votes those received."""
    rows = session.exec(
        select(Review.email, func.count(), func.coalesce(func.sum(Review.helpful_count), 0))
        .where(
            Review.store_id == store.id,
            Review.status == PUBLISHED,
            col(Review.email).is_not(None),
        )
        .group_by(col(Review.email))
    )
    found: dict[str, Written] = {}
    for email, count, helpful in rows:
        if email:
            key = email.lower()
            earlier = found.get(key, Written(0, 0))
            found[key] = Written(earlier.reviews + int(count), earlier.helpful_votes + int(helpful))
    return found


def reviewed_orders(session: Session, store: Store) -> set[int]:
    """The pks of the store's orders that at least one review (any status) came from."""
    rows = session.exec(
        select(Review.order_pk)
        .where(Review.store_id == store.id, col(Review.order_pk).is_not(None))
        .distinct()
    )
    return {pk for pk in rows if pk is not None}
