"""What widgets read: a product's (or the store's) published reviews, sorted, filtered and paged by
an opaque cursor, its rating summary and its schema.org markup."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from rcommerce import cursors
from rcommerce.errors import InvalidInput
from rcommerce.orders import service as orders
from rcommerce.reviews import aggregates, markup, serialise
from rcommerce.reviews.models import PUBLISHED, Review
from rcommerce.reviews.shapes import ReviewPage, ReviewQuery, Summary
from rcommerce.stores.models import Store

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
    """A page of reviews; a product the catalogue lacks (yet) reads as one with none."""
    assert store.id is not None
    rows, cursor = list_published(session=session, store=store, product_id=product_id, query=query)
    pictures = serialise.photos_of(session, rows)
    return ReviewPage(
        summary=Summary(**aggregates.summary(session, store.id, product_id)),
        reviews=[
            serialise.with_video_tile(
                serialise.public(r, pictures.get(r.id or 0, []), base_url), r, base_url
            )
            for r in rows
        ],
        next=cursor,
    )


def summary(*, session: Session, store: Store, product_id: str) -> Summary:
    """A product's rating summary (star badges), or the store's (``STORE_SUBJECT``); a
    product the catalogue lacks (yet) has none."""
    assert store.id is not None
    return Summary(**aggregates.summary(session, store.id, product_id))


def product_jsonld(*, session: Session, store: Store, product_id: str) -> dict[str, Any]:
    """schema.org Product with its AggregateRating and latest Reviews, as JSON-LD."""
    assert store.id is not None
    product = orders.require_product(session, store, product_id)
    rows, _ = list_published(
        session=session,
        store=store,
        product_id=product_id,
        query=ReviewQuery(limit=markup.MAX_MARKED_REVIEWS),
    )
    return markup.product_jsonld(
        store=store,
        product=product,
        summary=aggregates.summary(session, store.id, product_id),
        reviews=rows,
    )
