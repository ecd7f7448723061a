"""Reviews as shoppers send them (widget, store backend, review-request form): stored at once as
"received" with their moderation queued; a second review by the same person edits the first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import exists
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rcommerce import jobs
from rcommerce.errors import InvalidInput
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order, OrderItem
from rcommerce.reviews import aggregates, decisions, photos, requests, rules
from rcommerce.reviews.models import RECEIVED, STORE_SUBJECT, Review, ReviewRequest
from rcommerce.reviews.shapes import ApiReviewIn, ReviewIn
from rcommerce.stores.models import Store

if TYPE_CHECKING:
    from rcommerce.settings import Settings


def _verified_order(session: Session, store: Store, email: str, product_id: str) -> Order | None:
    """An order of this product by this e-mail (any order for a store review)."""
    query = select(Order).where(
        Order.store_id == store.id, Order.email == email, Order.status != "refunded"
    )
    if product_id != STORE_SUBJECT:
        query = query.where(
            exists().where(
                col(OrderItem.order_pk) == col(Order.id), col(OrderItem.product_id) == product_id
            )
        )
    return session.exec(query.order_by(col(Order.placed_at).desc())).first()


def submit_review(
    *,
    session: Session,
    store: Store,
    product_id: str | None,
    rating: int,
    body: str,
    name: str,
    email: str | None,
    title: str = "",
    source: str = "widget",
    ip_hash: str | None = None,
    honeypot: bool = False,
    photo_ids: Sequence[str] = (),
    testimonial_consent: bool = False,
    request: ReviewRequest | None = None,
    now: datetime,
) -> Review:
    """Store a review durably (status "received") and queue its moderation and scoring.

    One review per person per product: a second submission edits the first. A review is
    verified when it comes through the order's review request, or when the e-mail bought it.
    """
    assert store.id is not None
    subject = product_id or STORE_SUBJECT
    if subject != STORE_SUBJECT:
        orders.require_product(session, store, subject)
    email = orders.normalise_email(email) if email else None
    order: Order | None = None
    if request is not None:
        order = session.get(Order, request.order_pk)
    elif email is not None:
        order = _verified_order(session, store, email, subject)
    existing = None
    if email is not None:
        existing = session.exec(
            select(Review).where(
                Review.store_id == store.id, Review.product_id == subject, Review.email == email
            )
        ).first()
    if existing is None:
        review = Review(store_id=store.id, product_id=subject, rating=rating, author_name=name)
        try:
            with session.begin_nested():
                _fill(review, rating, title, body, name, now)
                review.email = email
                review.source = source
                review.created_at = now
                session.add(review)
                session.flush()
        except IntegrityError:
            # A concurrent submission by the same person won: edit that one instead.
            existing = session.exec(
                select(Review).where(
                    Review.store_id == store.id,
                    Review.product_id == subject,
                    Review.email == email,
                )
            ).one()
    if existing is not None:
        review = existing
        with aggregates.tracking(session, review):
            _fill(review, rating, title, body, name, now)
            decisions.record(
                session, review, to_status=RECEIVED, actor="author", note="edited", now=now
            )
    review.ip_hash = ip_hash
    review.honeypot = honeypot
    review.testimonial_consent = testimonial_consent or review.testimonial_consent
    review.fingerprint = rules.fingerprint(f"{title} {body}")
    if order is not None:
        review.verified = True
        review.order_pk = order.id
    session.add(review)
    session.flush()
    if photo_ids:
        photos.attach_photos(session, store, review, photo_ids, now=now)
    assert review.id is not None
    jobs.enqueue(session, "reviews.moderate", {"review_id": review.id}, store_id=store.id)
    return review


def submit_from_store(
    *, session: Session, store: Store, data: ApiReviewIn, now: datetime
) -> Review:
    """A review sent by the store's backend; an ``order_id`` must be this buyer's order."""
    if data.order_id is not None:
        order = orders.require_order(session, store, data.order_id)
        if order.email != orders.normalise_email(data.email):
            raise InvalidInput("order_id belongs to another e-mail address.")
    return submit_review(
        session=session,
        store=store,
        product_id=data.product_id,
        rating=data.rating,
        body=data.body,
        name=data.name,
        email=data.email,
        title=data.title,
        source="api",
        testimonial_consent=data.testimonial_consent,
        now=now,
    )


def submit_from_widget(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    data: ReviewIn,
    ip_hash: str | None,
    now: datetime,
) -> Review:
    """A review from a widget; with a review link's token it is the order's verified review
    (the link is spent, and its errors are those of ``requests.claim``)."""
    review_request = None
    if data.token:
        review_request = requests.claim(
            session,
            settings,
            data.token,
            store=store,
            email=data.email,
            product_id=data.product_id or STORE_SUBJECT,
            now=now,
        )
    return submit_review(
        session=session,
        store=store,
        product_id=data.product_id,
        rating=data.rating,
        body=data.body,
        name=data.name,
        email=data.email,
        title=data.title,
        source="email" if review_request else "widget",
        ip_hash=ip_hash,
        honeypot=bool(data.website.strip()),
        photo_ids=data.photo_ids,
        testimonial_consent=data.testimonial_consent,
        request=review_request,
        now=now,
    )


@dataclass(frozen=True)
class FormEntry:
    """One product's answers on the form of a review-request e-mail, as the buyer sent them;
    the form's n-th entry answers its n-th product."""

    product_id: str = ""  # "" for the store itself
    rating: str = ""  # "1" to "5"; "" when the buyer left this product unrated
    title: str = ""
    body: str = ""


@dataclass(frozen=True)
class FormAnswers:
    """The review-request form as the buyer sent it."""

    entries: Sequence[FormEntry]
    name: str = ""
    honeypot: bool = False  # the hidden field that only bots fill in
    testimonial_consent: bool = False


def submit_request_form(
    *,
    session: Session,
    settings: Settings,
    token: str,
    answers: FormAnswers,
    ip_hash: str | None,
    now: datetime,
) -> tuple[requests.Form, list[Review]]:
    """Spend a review link on its form: one verified review per rated product.

    The link's errors are those of ``requests.open_form``; InvalidInput when the form names a
    product the order lacks or a rating other than 1-5. With nothing rated no review is made
    and the link stays usable (the list is empty).
    """
    form = requests.open_form(session, settings, token, now, for_update=True)
    allowed = {item.product_id for item in form.items}
    rated = []
    for entry in answers.entries[: len(form.items)]:
        if not entry.rating:
            continue
        if entry.product_id not in allowed or entry.rating not in {"1", "2", "3", "4", "5"}:
            raise InvalidInput("The form was altered.")
        rated.append(entry)
    if not rated:
        return form, []
    requests.spend(session, form.request, now)
    name = answers.name.strip()[:100] or form.order.customer_name or "—"
    reviews = [
        submit_review(
            session=session,
            store=form.store,
            product_id=entry.product_id or None,
            rating=int(entry.rating),
            body=entry.body.strip()[:5000],
            name=name,
            email=form.request.email,
            title=entry.title.strip()[:200],
            source="email",
            ip_hash=ip_hash,
            honeypot=answers.honeypot,
            testimonial_consent=answers.testimonial_consent,
            request=form.request,
            now=now,
        )
        for entry in rated
    ]
    return form, reviews


def _fill(review: Review, rating: int, title: str, body: str, name: str, now: datetime) -> None:
    review.rating = rating
    review.title = title
    review.body = body
    review.author_name = name
    review.updated_at = now
    review.scorer_version = None  # the text changed: the old score no longer describes it
