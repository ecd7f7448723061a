"""Reviews as shoppers send them (widget, store backend, review-request form): stored at once with
their moderation queued. A typed e-mail or phone proves nothing: a second widget review by the
same address or number waits as an edit, and a purchase counts as verified, only once a link
sent to it is clicked (confirmations.py: by e-mail, or by Zalo ZNS then SMS); the store's
backend and review links are trusted as they are."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import bindparam, exists, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from rcommerce import columns, jobs
from rcommerce.errors import ApiError, InvalidInput
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order, OrderItem, ProductIn
from rcommerce.reviews import aggregates, confirmations, decisions, photos, requests, videos
from rcommerce.reviews.models import (
    RECEIVED,
    STORE_SUBJECT,
    UNCONFIRMED,
    Review,
    ReviewRequest,
)
from rcommerce.reviews.shapes import ApiReviewIn, ReviewIn
from rcommerce.stores.models import Store

if TYPE_CHECKING:
    from rcommerce.settings import Settings

# What a widget submission answers besides "received": an edit or a review waiting for the
# link sent to its author.
CONFIRMATION_SENT = "confirmation_sent"


class UnknownProduct(ApiError):
    status, code = 422, "unknown_product"


def buyers_order(
    session: Session, store: Store, email: str | None, product_id: str, phone: str | None = None
) -> Order | None:
    """An order of this product by this e-mail or phone (any order for a store review), not
    refunded."""
    if email and not phone:  # the widget's usual case: statements built once
        if product_id == STORE_SUBJECT:
            query, params = _BUYERS_ORDER, {"store_id": store.id, "email": email}
        else:
            query = _BUYERS_ORDER_OF_PRODUCT
            params = {"store_id": store.id, "email": email, "product_id": product_id}
        return session.exec(query, params=params).first()
    who = []
    if email:
        who.append(col(Order.email) == email)
    if phone:
        who.append(col(Order.phone) == phone)
    if not who:
        return None
    query = select(Order).where(Order.store_id == store.id, or_(*who), Order.status != "refunded")
    if product_id != STORE_SUBJECT:
        query = query.where(
            exists().where(
                col(OrderItem.order_pk) == col(Order.id), col(OrderItem.product_id) == product_id
            )
        )
    return session.exec(query.order_by(col(Order.placed_at).desc())).first()


# Built once (each widget submission asks).
_BUYERS_ORDER = (
    select(Order)
    .where(
        Order.store_id == bindparam("store_id"),
        Order.email == bindparam("email"),
        Order.status != "refunded",
    )
    .order_by(col(Order.placed_at).desc())
)
_BUYERS_ORDER_OF_PRODUCT = _BUYERS_ORDER.where(
    exists().where(
        col(OrderItem.order_pk) == col(Order.id),
        col(OrderItem.product_id) == bindparam("product_id"),
    )
)


@dataclass(frozen=True)
class ProductFacts:
    """What a widget says about the product it sits on (its element's attributes)."""

    name: str = ""
    url: str | None = None
    image: str | None = None
    price: Decimal | None = None


def review_subject(
    session: Session, store: Store, product_id: str | None, facts: ProductFacts | None = None
) -> str:
    """The product a review is about (STORE_SUBJECT for the store). A product the catalogue
    lacks is created from the widget's facts when they name it, unless the store takes
    products only from its API (UnknownProduct). Facts never change a known product."""
    if not product_id:
        return STORE_SUBJECT
    if orders.get_product(session, store, product_id) is not None:
        return product_id
    if store.products_from_api_only or facts is None or not facts.name.strip():
        raise UnknownProduct(
            f"No product {product_id!r} in this store.",
            fields=[{"field": "product_id", "message": "unknown product"}],
        )
    # A product page is on one of the store's origins; anything else is not its address.
    url = facts.url if facts.url and _origin(facts.url) in store.allowed_origins else None
    orders.upsert_product(
        session=session,
        store=store,
        product_id=product_id,
        data=ProductIn(
            name=facts.name.strip()[:500], url=url, image_url=facts.image, price=facts.price
        ),
    )
    return product_id


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _find(
    session: Session, store: Store, subject: str, email: str | None, phone: str | None = None
) -> Review | None:
    """The person's review of the subject: the e-mail's, else the phone's."""
    for column, value in ((Review.email, email), (Review.phone, phone)):
        if value is None:
            continue
        found = session.exec(
            select(Review).where(
                Review.store_id == store.id, Review.product_id == subject, column == value
            )
        ).first()
        if found is not None:
            return found
    return None


def _address_of(review: Review, email: str | None, phone: str | None) -> confirmations.Address:
    """Where to prove a submission that matched ``review``: the e-mail or phone it matched by
    (never another one typed beside it)."""
    if email is not None and review.email == email:
        return confirmations.Address("email", email)
    assert phone is not None
    return confirmations.Address("phone", phone)


def _create(
    session: Session,
    store: Store,
    subject: str,
    email: str | None,
    *,
    status: str,
    now: datetime,
    phone: str | None = None,
) -> Review | None:
    """A new review row, or None when a concurrent submission by the same address won."""
    assert store.id is not None
    fields = {
        "store_id": store.id,
        "product_id": subject,
        "rating": 1,
        "author_name": "",
        "email": email,
        "phone": phone,
        "status": status,
        "created_at": now,
    }
    return _insert(session, columns.row_values(Review, fields))


@functools.cache
def _insert_once(dialect: str) -> Any:
    """``_insert``'s statement, built once (building it cost more than running it)."""
    table = Review.__table__  # type: ignore[attr-defined]
    insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing().returning(table.c.id)


def _insert(session: Session, values: dict[str, Any]) -> Review | None:
    """The review of ``values`` (its fields, ``columns.row_values``) written, or None when a
    review of its subject by its address (or phone, or with its source reference) was there
    first, such as a concurrent submission by the same person: one ``INSERT … ON CONFLICT DO
    NOTHING`` (no savepoint, no unit-of-work flush). The written review joins the session as
    if read back; no model object is built for one refused (built as a row read back, at a
    tenth of a validated constructor's cost)."""
    connection = session.connection()
    row = {key: value for key, value in values.items() if key != "id"}
    review_id = connection.execute(_insert_once(connection.dialect.name), row).scalar()
    if review_id is None:
        return None
    review = columns.new_row(Review, {**values, "id": review_id})
    make_transient_to_detached(review)
    session.add(review)
    return review


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
    video_id: str | None = None,
    settings: Settings | None = None,
    testimonial_consent: bool = False,
    request: ReviewRequest | None = None,
    order: Order | None = None,
    tag_aspects: Mapping[str, float] | None = None,
    now: datetime,
) -> Review:
    """Store a review from a trusted source (status "received") and queue its moderation.

    Trusted: the store's backend, or a review link whose token proved the address. One review
    per person per product: a second one from such a source edits the first. The review is
    verified when it comes through the order's review request or names the buyer's ``order``.
    ``tag_aspects``: aspects the author named outright (a ZNS rating's tags); each submission
    replaces them, as it replaces the text.
    """
    assert store.id is not None
    subject = review_subject(session, store, product_id)
    email = orders.normalise_email(email) if email else None
    if request is not None:
        order = session.get(Order, request.order_pk)
    # A buyer known by phone (the request went to it) is that phone's reviewer.
    phone = request.phone if request is not None and email is None else None
    review = _find(session, store, subject, email, phone)
    if review is None and email is None and request is not None:
        # A buyer known by phone: their review of this subject is the one this order's link made.
        review = session.exec(
            select(Review).where(
                Review.store_id == store.id,
                Review.product_id == subject,
                Review.order_pk == request.order_pk,
                col(Review.email).is_(None),
            )
        ).first()
    created = (
        None
        if review is not None
        else _create(session, store, subject, email, status=RECEIVED, now=now, phone=phone)
    )
    if created is not None:
        review = created
        confirmations.fill(review, rating=rating, title=title, body=body, name=name, now=now)
        review.source = source
    else:
        # A second review by the same person (perhaps sent a moment ago): it edits the first.
        review = review or _find(session, store, subject, email, phone)
        assert review is not None
        with aggregates.tracking(session, review):
            confirmations.fill(review, rating=rating, title=title, body=body, name=name, now=now)
            decisions.record(
                session, review, to_status=RECEIVED, actor="author", note="edited", now=now
            )
    review.ip_hash = ip_hash
    review.honeypot = honeypot
    review.tag_aspects = dict(tag_aspects) if tag_aspects else None
    review.testimonial_consent = testimonial_consent or review.testimonial_consent
    if order is not None:
        review.verified = True
        review.order_pk = order.id
    session.add(review)
    session.flush()
    if photo_ids:
        photos.attach_photos(session, store, review, photo_ids, now=now)
    if video_id:
        assert settings is not None, "a video is attached with the settings naming its folder"
        videos.attach_video(session, settings, store, review, video_id, now=now)
    assert review.id is not None
    jobs.enqueue(session, "reviews.moderate", {"review_id": review.id}, store_id=store.id)
    return review


def submit_from_store(
    *, session: Session, store: Store, data: ApiReviewIn, now: datetime
) -> Review:
    """A review sent by the store's backend; an ``order_id`` must be this buyer's order."""
    order = None
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
        order=order,
        now=now,
    )


@dataclass(frozen=True)
class Submitted:
    """A widget submission as stored: the review, and what the shopper is told."""

    review: Review
    status: str  # the review's status, or CONFIRMATION_SENT


def submit_from_widget(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    data: ReviewIn,
    ip_hash: str | None,
    now: datetime,
) -> Submitted:
    """A review from a widget.

    With a review link's token it is the order's verified review (the link is spent; its
    errors are those of ``requests.claim``). Without one the typed e-mail proves nothing:
    - the address already reviewed this product: its published review is left alone, the new
      text waits as an edit, and a confirmation link goes to the address;
    - otherwise the review is stored unverified and moderated (or, when the store asks for
      confirmation, waits for the link sent to the address); if the address bought the
      product, a link to the order's address makes it a verified purchase once clicked.
    """
    facts = ProductFacts(
        name=data.product_name,
        url=data.product_url,
        image=data.product_image,
        price=data.product_price,
    )
    subject = review_subject(session, store, data.product_id, facts)
    photo_ids, video_id = videos.split_ids(session, store, data.photo_ids, data.video_id)
    if data.token:
        review_request = requests.claim(
            session,
            settings,
            data.token,
            store=store,
            email=data.email,
            phone=data.phone,
            product_id=subject,
            now=now,
        )
        review = submit_review(
            session=session,
            store=store,
            product_id=subject,
            rating=data.rating,
            body=data.body,
            name=data.name,
            # What the link proved: the request's e-mail, else (None) its phone.
            email=review_request.email,
            title=data.title,
            source="email",
            ip_hash=ip_hash,
            honeypot=bool(data.website.strip()),
            photo_ids=photo_ids,
            video_id=video_id,
            settings=settings,
            testimonial_consent=data.testimonial_consent,
            request=review_request,
            now=now,
        )
        return Submitted(review, review.status)
    email = orders.normalise_email(data.email) if data.email else None
    # A phone typed beside an e-mail is not kept: the e-mail identifies the reviewer, and a
    # kept pair would tie someone else's number to the typist's review (and its edits).
    phone = data.phone if email is None else None
    # Where a new review is proved: the e-mail when there is one, else the phone.
    address = (
        confirmations.Address("email", email)
        if email is not None
        else confirmations.Address("phone", phone or "")
    )
    edit = {
        "rating": data.rating,
        "title": data.title,
        "body": data.body,
        "name": data.name,
        "photo_ids": photo_ids,
        "video_id": video_id,
        "testimonial_consent": data.testimonial_consent,
    }
    honeypot = bool(data.website.strip())
    confirm_first = store.unverified_reviews == "confirm" and not honeypot
    # Written whole, in one insert; the store's one review per address (or phone) and product
    # is its unique constraint: an insert refused means the person has one (no query first).
    assert store.id is not None
    values = columns.row_values(
        Review,
        {
            "store_id": store.id,
            "product_id": subject,
            "email": email,
            "phone": phone,
            "status": UNCONFIRMED if confirm_first else RECEIVED,
            "created_at": now,
            "source": "widget",
            "ip_hash": ip_hash,
            "honeypot": honeypot,
            "testimonial_consent": data.testimonial_consent,
            **confirmations.text_fields(
                rating=data.rating, title=data.title, body=data.body, name=data.name, now=now
            ),
        },
    )
    created = _insert(session, values)
    if created is None:
        # This address or phone has a review of this product (or sent one a moment ago): that
        # review is left as it is until the address or phone it matched confirms the edit.
        existing = _find(session, store, subject, email, phone)
        assert existing is not None
        if not honeypot:  # a bot's edit is dropped: nothing is sent
            confirmations.create(
                session, review=existing, purpose=confirmations.EDIT,
                address=_address_of(existing, email, phone), payload=edit, now=now,
            )  # fmt: skip
        # Answered as a first review would be in this store: the answer never tells whether
        # the address or phone had reviewed the product (the link explains itself).
        return Submitted(existing, CONFIRMATION_SENT if confirm_first else RECEIVED)
    review = created
    if photo_ids:
        photos.attach_photos(session, store, review, photo_ids, now=now)
    if video_id:
        videos.attach_video(session, settings, store, review, video_id, now=now)
    order = buyers_order(session, store, email, subject, phone)
    if confirm_first:
        confirmations.create(
            session, review=review, purpose=confirmations.PUBLISH, address=address, order=order,
            now=now,
        )  # fmt: skip
        return Submitted(review, CONFIRMATION_SENT)
    jobs.enqueue(session, "reviews.moderate", {"review_id": review.id}, store_id=store.id)
    if order is not None and not honeypot:
        confirmations.create(
            session,
            review=review,
            purpose=confirmations.VERIFY,
            address=confirmations.order_address(order),
            order=order,
            now=now,
        )
    return Submitted(review, RECEIVED)


@dataclass(frozen=True)
class FormEntry:
    """One product's answers on the form of a review-request e-mail, as the buyer sent them;
    the form's n-th entry answers its n-th product."""

    product_id: str = ""  # "" for the store itself
    rating: str = ""  # "1" to "5"; "" when the buyer left this product unrated
    title: str = ""
    body: str = ""
    # Photos already checked and re-encoded (photos.process): (jpeg, width, height) each.
    photos: Sequence[tuple[bytes, int, int]] = ()
    # The product's one video, already checked (videos.check): (bytes, content type, seconds).
    video: tuple[bytes, str, float] | None = None


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
    """Spend a review link on its form: one verified review per rated product. A link already
    spent edits the reviews it made (the link was sent to the buyer: it proves who they are).

    The link's errors are those of ``requests.open_form``; InvalidInput when the form names a
    product the order lacks or a rating other than 1-5. With nothing rated no review is made
    and the link stays usable (the list is empty).
    """
    form = requests.open_form(session, settings, token, now, for_update=True, allow_used=True)
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
    if form.request.used_at is None:
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
            photo_ids=[
                photos.store_photo(
                    session=session,
                    store=form.store,
                    settings=settings,
                    jpeg=jpeg,
                    width=width,
                    height=height,
                    ip_hash=ip_hash,
                    now=now,
                ).id
                for jpeg, width, height in entry.photos[: photos.MAX_PHOTOS_PER_REVIEW]
            ],
            video_id=_form_video(session, settings, form.store, entry, ip_hash, now),
            settings=settings,
            now=now,
        )
        for entry in rated
    ]
    return form, reviews


def _form_video(
    session: Session, settings: Settings, store: Store, entry: FormEntry, ip_hash: str | None,
    now: datetime,
) -> str | None:  # fmt: skip
    """Keep the form's checked video for its product's review (as the widget's upload is kept)."""
    if entry.video is None:
        return None
    data, content_type, seconds = entry.video
    return videos.store_video(
        session=session, store=store, settings=settings, data=data, content_type=content_type,
        duration=seconds, ip_hash=ip_hash, now=now,
    ).id  # fmt: skip
