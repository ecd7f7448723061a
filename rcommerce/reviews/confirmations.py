"""Proving a review is its author's: a signed, single-use link sent to an address confirms a
pending edit, a verified purchase, or a review the store publishes only once confirmed.

A typed address proves nothing; a click on a link sent to it does. The address is a channel and
a value: an e-mail, or a phone (E.164) that gets the link by Zalo ZNS, then SMS; each channel
has its sender in ``SENDERS``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from rcommerce import jobs, signing
from rcommerce.errors import NotFound
from rcommerce.mail import Mail
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order
from rcommerce.phones import service as phones
from rcommerce.reviews import aggregates, decisions, photos, rules, videos
from rcommerce.reviews.i18n import strings
from rcommerce.reviews.models import (
    RECEIVED,
    STORE_SUBJECT,
    UNCONFIRMED,
    Review,
    ReviewConfirmation,
)
from rcommerce.reviews.requests import LinkUsed
from rcommerce.settings import Settings
from rcommerce.stores.models import Store
from rcommerce.templating import render

if TYPE_CHECKING:
    from rcommerce.runtime import Runtime

log = logging.getLogger(__name__)

EDIT, VERIFY, PUBLISH = "edit", "verify", "publish"
# The signing purpose of each kind of link (rcommerce/signing.py: salt and max age).
SIGNING = {EDIT: "review-edit", VERIFY: "review-verify", PUBLISH: "review-verify"}
PATHS = {EDIT: "/reviews/edit/", VERIFY: "/reviews/confirm/", PUBLISH: "/reviews/confirm/"}


@dataclass(frozen=True)
class Address:
    """Where a buyer can be reached: ``channel`` names the sender ("email" or "phone")."""

    channel: str
    value: str


def order_address(order: Order) -> Address:
    """The address an order was placed with: its e-mail, else its phone (E.164)."""
    if order.email:
        return Address("email", order.email)
    return Address("phone", order.phone or "")


def create(
    session: Session,
    *,
    review: Review,
    purpose: str,
    address: Address,
    order: Order | None = None,
    payload: dict[str, Any] | None = None,
    now: datetime,
) -> ReviewConfirmation:
    """A new link for the review and purpose (an earlier unused one is withdrawn), sent by the
    ``reviews.send_confirmation`` job once the transaction commits."""
    assert review.id is not None
    session.execute(
        delete(ReviewConfirmation).where(
            col(ReviewConfirmation.review_id) == review.id,
            col(ReviewConfirmation.purpose) == purpose,
            col(ReviewConfirmation.used_at).is_(None),
        )
    )
    row = ReviewConfirmation(
        store_id=review.store_id,
        review_id=review.id,
        purpose=purpose,
        channel=address.channel,
        address=address.value,
        order_pk=order.id if order is not None else None,
        payload=payload or {},
        nonce=secrets.token_hex(8),
        created_at=now,
        expires_at=now + timedelta(seconds=signing.PURPOSES[SIGNING[purpose]]),
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    jobs.enqueue(
        session, "reviews.send_confirmation", {"confirmation_id": row.id}, store_id=row.store_id
    )
    return row


def token(settings: Settings, row: ReviewConfirmation) -> str:
    return signing.sign(settings, SIGNING[row.purpose], {"c": row.id, "n": row.nonce})


def link(settings: Settings, row: ReviewConfirmation) -> str:
    return f"{settings.base_url}{PATHS[row.purpose]}{token(settings, row)}"


def open_link(
    session: Session,
    settings: Settings,
    token: str,
    *,
    edit: bool,
    now: datetime,
    for_update: bool = False,
) -> ReviewConfirmation:
    """The confirmation an edit link (``edit``) or a confirm link names: TokenInvalid,
    TokenExpired or LinkUsed (410) when it cannot be used."""
    payload = signing.unsign(settings, "review-edit" if edit else "review-verify", token)
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), int):
        raise signing.TokenInvalid("This confirmation link is not valid.")
    query = select(ReviewConfirmation).where(ReviewConfirmation.id == payload["c"])
    if for_update:
        query = query.with_for_update()
    row = session.exec(query).first()
    if (
        row is None
        or (row.purpose == EDIT) != edit
        or not secrets.compare_digest(str(payload.get("n", "")), row.nonce)
    ):
        raise signing.TokenInvalid("This confirmation link is not valid (altered or withdrawn).")
    if now >= row.expires_at:
        raise signing.TokenExpired("This confirmation link has expired.")
    if row.used_at is not None:
        raise LinkUsed("This confirmation link has already been used.")
    return row


@dataclass(frozen=True)
class Pending:
    """What a confirmation link would do, for the page that asks before it is clicked."""

    confirmation: ReviewConfirmation
    review: Review
    store: Store
    subject: str  # the product's name, or the store's


def pending(
    session: Session, settings: Settings, token: str, *, edit: bool, now: datetime
) -> Pending:
    row = open_link(session, settings, token, edit=edit, now=now)
    review = session.get(Review, row.review_id)
    store = session.get(Store, row.store_id)
    if review is None or store is None:
        raise NotFound("This review no longer exists.")
    return Pending(row, review, store, subject_name(session, store, review.product_id))


def confirm(
    session: Session, settings: Settings, token: str, *, edit: bool, now: datetime
) -> Pending:
    """Spend the link and do what it confirms: apply the edit, mark the purchase verified, or
    let an unconfirmed review go to moderation."""
    row = open_link(session, settings, token, edit=edit, now=now, for_update=True)
    spent = session.execute(
        update(ReviewConfirmation)
        .where(col(ReviewConfirmation.id) == row.id, col(ReviewConfirmation.used_at).is_(None))
        .values(used_at=now)
    )
    if spent.rowcount == 0:  # type: ignore[attr-defined]
        raise LinkUsed("This confirmation link has already been used.")
    review = session.get(Review, row.review_id)
    store = session.get(Store, row.store_id)
    if review is None or store is None:
        raise NotFound("This review no longer exists.")
    if row.order_pk is not None:
        order = session.get(Order, row.order_pk)
        if order is not None and order.status != "refunded":
            review.verified = True
            review.order_pk = order.id
    if row.purpose == EDIT:
        apply_edit(session, settings, store, review, row.payload, now=now)
    elif row.purpose == PUBLISH and review.status == UNCONFIRMED:
        decisions.record(
            session, review, to_status=RECEIVED, actor="author", note="confirmed", now=now
        )
        _moderate(session, review)
    else:
        review.updated_at = now
        session.add(review)
        aggregates.invalidate(session, review.store_id, review.product_id)
    session.flush()
    return Pending(row, review, store, subject_name(session, store, review.product_id))


def apply_edit(
    session: Session,
    settings: Settings,
    store: Store,
    review: Review,
    edit: dict[str, Any],
    *,
    now: datetime,
) -> None:
    """Apply an edit its author proved: new text and rating, moderated again."""
    with aggregates.tracking(session, review):
        fill(
            review,
            rating=int(edit["rating"]),
            title=str(edit.get("title", "")),
            body=str(edit["body"]),
            name=str(edit["name"]),
            now=now,
        )
        if edit.get("testimonial_consent"):
            review.testimonial_consent = True
        decisions.record(
            session, review, to_status=RECEIVED, actor="author", note="edited", now=now
        )
    session.add(review)
    session.flush()
    if edit.get("photo_ids"):
        photos.attach_photos(session, store, review, list(edit["photo_ids"]), now=now, strict=False)
    if edit.get("video_id"):
        videos.attach_video(
            session, settings, store, review, str(edit["video_id"]), now=now, strict=False
        )
    _moderate(session, review)


def fill(review: Review, *, rating: int, title: str, body: str, name: str, now: datetime) -> None:
    fields = text_fields(rating=rating, title=title, body=body, name=name, now=now)
    for field, value in fields.items():
        setattr(review, field, value)


def text_fields(*, rating: int, title: str, body: str, name: str, now: datetime) -> dict[str, Any]:
    """What a review's text sets on it (``fill``): the text, its fingerprint, and no score
    (the text changed: an old score no longer describes it)."""
    return {
        "rating": rating,
        "title": title,
        "body": body,
        "author_name": name,
        "updated_at": now,
        "fingerprint": rules.fingerprint(f"{title} {body}"),
        "scorer_version": None,
    }


def _moderate(session: Session, review: Review) -> None:
    assert review.id is not None
    jobs.enqueue(session, "reviews.moderate", {"review_id": review.id}, store_id=review.store_id)


def subject_name(session: Session, store: Store, product_id: str) -> str:
    """What a review is about, as a person reads it: the product's name, or the store's."""
    if product_id == STORE_SUBJECT:
        return store.name
    product = orders.get_product(session, store, product_id)
    return (product.name if product and product.name else "") or product_id


# ---- delivery: one sender per channel -----------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A confirmation to deliver, whatever the channel."""

    purpose: str
    store: Store
    review: Review
    shown: dict[str, Any]  # the text the link confirms: the edit, or the review as sent
    subject: str
    link: str
    days: int


Sender = Callable[["Runtime", Address, Message], None]


def send_email(runtime: Runtime, address: Address, message: Message) -> None:
    t = strings(message.store.locale)
    kind = "edit" if message.purpose == EDIT else "verify"
    context: dict[str, Any] = {
        "t": t,
        "store": message.store,
        "intro": t[f"confirm_{message.purpose}_intro"].format(
            product=message.subject, store=message.store.name
        ),
        "review": message.shown,
        "link": message.link,
        "days": message.days,
    }
    runtime.mailer.send(
        Mail(
            to=address.value,
            subject=t[f"confirm_{kind}_subject"].format(store=message.store.name),
            text=render("reviews/confirm_email.txt", **context),
            html=render("reviews/confirm_email.html", **context),
            message_id=f"<review-confirmation-{message.review.id}-{message.purpose}"
            f"-{secrets.token_hex(4)}@rcommerce>",
        )
    )


class PhoneNotSent(Exception):
    """No phone channel took the confirmation, for reasons that may pass: the job retries."""


def send_phone(runtime: Runtime, address: Address, message: Message) -> None:
    """The link by Zalo ZNS (the store's ``review_confirmation`` template), else by SMS. The
    person asked for it a moment ago, so it goes even to a phone that opted out of the
    store's messages, and carries no opt-out link."""
    t = strings(message.store.locale)
    assert message.store.id is not None and message.review.id is not None
    text = t["confirm_sms_edit" if message.purpose == EDIT else "confirm_sms"].format(
        store=message.store.name,
        product=message.subject[:60],
        days=message.days,
        link=message.link,
    )
    outcome = phones.send_notice(
        None,
        runtime.settings,
        store_id=message.store.id,
        phone=address.value,
        purpose="review_confirmation",
        text=text,
        link=message.link,
        locale="en" if message.store.locale == "en" else "vi",
        name=message.review.author_name,
        tracking_id=phones.new_tracking_id(f"rc-{message.review.id}"),
        asked_for=True,
    )
    if outcome.sent is None and outcome.retryable:
        raise PhoneNotSent(f"review {message.review.id}: no phone channel took the link yet")
    if outcome.sent is None:
        log.warning(
            "review %s: the confirmation link reached no phone channel (%s)",
            message.review.id,
            outcome.skipped or ", ".join(r.error_code or "?" for r in outcome.attempts),
        )


SENDERS: dict[str, Sender] = {"email": send_email, "phone": send_phone}


def deliver(runtime: Runtime, session: Session, confirmation_id: int, now: datetime) -> None:
    """Send a confirmation link (once; a used or withdrawn one is not sent)."""
    row = session.get(ReviewConfirmation, confirmation_id)
    if row is None or row.used_at is not None or row.sent_at is not None:
        return
    review = session.get(Review, row.review_id)
    store = session.get(Store, row.store_id)
    if review is None or store is None:
        return
    sender = SENDERS.get(row.channel)
    if sender is None:
        log.warning("no sender for the %s channel: confirmation %s not sent", row.channel, row.id)
        return
    row.sent_at = now
    session.add(row)
    session.flush()
    settings = runtime.settings
    sender(
        runtime,
        Address(row.channel, row.address),
        Message(
            purpose=row.purpose,
            store=store,
            review=review,
            shown=row.payload
            if row.purpose == EDIT
            else {"rating": review.rating, "title": review.title, "body": review.body},
            subject=subject_name(session, store, review.product_id),
            link=link(settings, row),
            days=signing.PURPOSES[SIGNING[row.purpose]] // 86400,
        ),
    )
