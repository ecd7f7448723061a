"""Review requests: a fulfilled order schedules a message whose signed link opens a review form
pre-filled with the order's products: by Zalo ZNS, then SMS, to a buyer's phone when those
channels are configured, else (or when both refuse it) by e-mail with one reminder. The link
expires, and works once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rcommerce import jobs, signing
from rcommerce.errors import ApiError, NotFound
from rcommerce.mail import Mail, unsubscribe_headers
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order, OrderItem, Product
from rcommerce.phones import service as phones
from rcommerce.reviews import request_phone
from rcommerce.reviews.i18n import strings
from rcommerce.reviews.models import STORE_SUBJECT, ReviewOptOut, ReviewRequest
from rcommerce.settings import Settings
from rcommerce.stores.models import Store
from rcommerce.templating import render

if TYPE_CHECKING:
    from rcommerce.runtime import Runtime

LINK_DAYS = signing.PURPOSES["review-request"] // (24 * 3600)
REMINDER_AFTER = timedelta(days=5)


class LinkUsed(ApiError):
    status, code = 410, "link_used"


class PhoneRetry(Exception):
    """Every phone channel refused a request that has no e-mail, for reasons that may pass:
    the job is tried again with backoff."""


@dataclass(frozen=True)
class FormItem:
    product_id: str  # "" for the store itself
    name: str
    image_url: str | None


def schedule_request(
    *, session: Session, store: Store, order: Order, now: datetime
) -> tuple[ReviewRequest | None, str | None]:
    """Schedule the review request of a fulfilled order (idempotent).

    Returns the request (None when none is sent) and why none is sent.
    """
    existing = session.exec(select(ReviewRequest).where(ReviewRequest.order_pk == order.id)).first()
    if existing is not None:
        return existing, None
    if order.status == "refunded":
        return None, "refunded"
    if order.email is None:
        # Known by phone only: a request needs a phone channel (ZNS, SMS) to go by.
        runtime: Runtime | None = session.info.get("runtime")
        if (
            order.phone is None
            or runtime is None
            or not request_phone.phone_senders(runtime.settings)
        ):
            return None, "no_email"
        assert store.id is not None
        if phones.is_opted_out(session, store.id, order.phone):
            return None, "unsubscribed"
    elif is_opted_out(session, store, order.email):
        return None, "unsubscribed"
    assert store.id is not None and order.id is not None
    due = now + timedelta(days=store.review_request_delay_days)
    request = ReviewRequest(
        store_id=store.id,
        order_pk=order.id,
        email=order.email,
        phone=order.phone,
        nonce=secrets.token_hex(8),
        scheduled_for=due,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(request)
            session.flush()
    except IntegrityError:  # a concurrent fulfil of the same order
        return (
            session.exec(select(ReviewRequest).where(ReviewRequest.order_pk == order.id)).one(),
            None,
        )
    assert request.id is not None
    jobs.enqueue(
        session,
        "reviews.send_request",
        {"request_id": request.id},
        store_id=store.id,
        run_at=due,
        dedupe_key=f"review-request:{request.id}",
    )
    return request, None


def request_state(session: Session, order: Order) -> dict[str, Any] | None:
    """The order's review request as the API shows it, or None when it has none."""
    request = session.exec(select(ReviewRequest).where(ReviewRequest.order_pk == order.id)).first()
    if request is None:
        return None
    return {
        "status": request.status,
        "channel": request.channel,
        "scheduled_for": request.scheduled_for.isoformat(),
        "sent_at": request.sent_at.isoformat() if request.sent_at else None,
        "used_at": request.used_at.isoformat() if request.used_at else None,
    }


def is_opted_out(session: Session, store: Store, email: str) -> bool:
    return (
        session.exec(
            select(ReviewOptOut.id).where(
                ReviewOptOut.store_id == store.id,
                ReviewOptOut.email == orders.normalise_email(email),
            )
        ).first()
        is not None
    )


def opt_out(*, session: Session, store_id: int, email: str, now: datetime) -> None:
    email = orders.normalise_email(email)
    if (
        session.exec(
            select(ReviewOptOut.id).where(
                ReviewOptOut.store_id == store_id, ReviewOptOut.email == email
            )
        ).first()
        is None
    ):
        try:
            with session.begin_nested():
                session.add(ReviewOptOut(store_id=store_id, email=email, created_at=now))
                session.flush()
        except IntegrityError:
            pass
    session.execute(
        update(ReviewRequest)
        .where(
            col(ReviewRequest.store_id) == store_id,
            col(ReviewRequest.email) == email,
            col(ReviewRequest.used_at).is_(None),
        )
        .values(status="unsubscribed")
    )


# ---- links ---------------------------------------------------------------------------------


def link_token(settings: Settings, request: ReviewRequest) -> str:
    assert request.expires_at is not None
    return signing.sign(
        settings,
        "review-request",
        {"q": request.id, "n": request.nonce, "x": int(request.expires_at.timestamp())},
    )


def unsubscribe_token(settings: Settings, store_id: int, email: str) -> str:
    return signing.sign(settings, "unsubscribe", {"s": store_id, "e": email})


def read_unsubscribe(settings: Settings, token: str) -> tuple[int, str]:
    payload = signing.unsign(settings, "unsubscribe", token)
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise signing.TokenInvalid("This unsubscribe token is not valid.")
    return int(payload["s"]), str(payload.get("e", ""))


def unsubscribe_target(session: Session, settings: Settings, token: str) -> tuple[Store, str]:
    """The store and the address an unsubscribe link names (TokenInvalid if no such store)."""
    store_id, email = read_unsubscribe(settings, token)
    store = session.get(Store, store_id)
    if store is None:
        raise signing.TokenInvalid("unknown store")
    return store, email


def open_request(
    session: Session,
    settings: Settings,
    token: str,
    now: datetime,
    *,
    for_update: bool = False,
    allow_used: bool = False,
) -> ReviewRequest:
    """The request a link names: TokenInvalid, TokenExpired or LinkUsed when it cannot be used
    (``allow_used``: a used link still opens, to edit the reviews it made).

    Expiry is checked against the runtime clock as well as the signature's own timestamp.
    """
    payload = signing.unsign(settings, "review-request", token)
    if not isinstance(payload, dict) or not isinstance(payload.get("q"), int):
        raise signing.TokenInvalid("This review-request token is not valid.")
    query = select(ReviewRequest).where(ReviewRequest.id == payload["q"])
    if for_update:
        query = query.with_for_update()
    request = session.exec(query).first()
    if request is None or not secrets.compare_digest(str(payload.get("n", "")), request.nonce):
        raise signing.TokenInvalid("This review link is not valid (altered or withdrawn).")
    expires = datetime.fromtimestamp(int(payload.get("x", 0)), UTC)
    if now >= expires:
        raise signing.TokenExpired("This review link has expired.")
    if request.used_at is not None and not allow_used:
        raise LinkUsed("This review link has already been used.")
    return request


def spend(session: Session, request: ReviewRequest, now: datetime) -> None:
    """Mark the link used; the conditional update lets exactly one submission through."""
    done = session.execute(
        update(ReviewRequest)
        .where(col(ReviewRequest.id) == request.id, col(ReviewRequest.used_at).is_(None))
        .values(used_at=now, status="used")
    )
    if done.rowcount == 0:  # type: ignore[attr-defined]
        raise LinkUsed("This review link has already been used.")


@dataclass(frozen=True)
class Form:
    """What a review link opens: its request, the store, the order and the products to review."""

    request: ReviewRequest
    store: Store
    order: Order
    items: list[FormItem]


def open_form(
    session: Session,
    settings: Settings,
    token: str,
    now: datetime,
    *,
    for_update: bool = False,
    allow_used: bool = False,
) -> Form:
    """The form a review link opens (the errors of ``open_request``; NotFound without order)."""
    request = open_request(
        session, settings, token, now, for_update=for_update, allow_used=allow_used
    )
    store = session.get(Store, request.store_id)
    order = session.get(Order, request.order_pk)
    if store is None or order is None:
        raise NotFound("This order no longer exists.")
    return Form(request, store, order, form_items(session, store, order))


def claim(
    session: Session,
    settings: Settings,
    token: str,
    *,
    store: Store,
    email: str | None,
    product_id: str,
    now: datetime,
    phone: str | None = None,
) -> ReviewRequest:
    """Spend a review link on a widget submission: it must be this store's, this buyer's (the
    e-mail or the phone, E.164, the request went to) and name one of the order's products (or
    the store), otherwise TokenInvalid."""
    form = open_form(session, settings, token, now, for_update=True)
    buyer = (email is not None and form.request.email == orders.normalise_email(email)) or (
        phone is not None and form.request.phone == phone
    )
    if (
        form.store.id != store.id
        or not buyer
        or product_id not in {item.product_id for item in form.items}
    ):
        raise signing.TokenInvalid("This review link is for another order or product.")
    spend(session, form.request, now)
    return form.request


def form_items(session: Session, store: Store, order: Order) -> list[FormItem]:
    """The order's distinct products (named as the catalogue knows them); the store itself
    when the order carried no items. The form numbers them in this order on its page and in
    its post, so the order is fixed (by item id) rather than left to the database."""
    items = list(
        session.exec(
            select(OrderItem).where(OrderItem.order_pk == order.id).order_by(col(OrderItem.id))
        )
    )
    ids = {item.product_id for item in items}
    products = {
        product.product_id: product
        for product in session.exec(
            select(Product).where(Product.store_id == store.id, col(Product.product_id).in_(ids))
        )
    }
    seen: dict[str, FormItem] = {}
    for item in items:
        if item.product_id in seen:
            continue
        product = products.get(item.product_id)
        name = (product.name if product and product.name else item.name) or item.product_id
        seen[item.product_id] = FormItem(
            item.product_id, name, product.image_url if product else None
        )
    if not seen:
        return [
            FormItem(
                STORE_SUBJECT, strings(store.locale)["store_review"].format(store=store.name), None
            )
        ]
    return list(seen.values())


# ---- e-mail --------------------------------------------------------------------------------


def review_link(settings: Settings, request: ReviewRequest) -> str:
    return f"{settings.base_url}/reviews/write/{link_token(settings, request)}"


def send(runtime: Runtime, session: Session, request: ReviewRequest, *, reminder: bool) -> None:
    """The request (or its reminder) by e-mail."""
    store = session.get(Store, request.store_id)
    order = session.get(Order, request.order_pk)
    if store is None or order is None or request.email is None:
        return
    settings = runtime.settings
    t = strings(store.locale)
    link = review_link(settings, request)
    assert store.id is not None
    unsubscribe = (
        f"{settings.base_url}/reviews/unsubscribe/"
        f"{unsubscribe_token(settings, store.id, request.email)}"
    )
    items = form_items(session, store, order)
    context: dict[str, Any] = {
        "t": t,
        "store": store,
        "name": order.customer_name or request.email.split("@")[0],
        "items": items,
        "link": link,
        "unsubscribe": unsubscribe,
        "days": LINK_DAYS,
        "reminder": reminder,
    }
    subject = (t["reminder_subject"] if reminder else t["request_subject"]).format(store=store.name)
    runtime.mailer.send(
        Mail(
            to=request.email,
            subject=subject,
            text=render("reviews/request_email.txt", **context),
            html=render("reviews/request_email.html", **context),
            headers=unsubscribe_headers(unsubscribe),
            message_id=f"<review-request-{request.id}-{'r' if reminder else 'a'}@rcommerce>",
        )
    )


def send_request(
    runtime: Runtime, session: Session, request_id: int, now: datetime, *, last_try: bool = True
) -> None:
    """Send a scheduled request: to the phone first (ZNS, then SMS) when it has one and those
    channels are configured, by e-mail when they refuse it or there is no phone. Without an
    e-mail, a refusal that may pass raises PhoneRetry unless this is the ``last_try``; then
    the request is ``failed``."""
    request = session.get(ReviewRequest, request_id)
    if request is None or request.status != "scheduled":
        return
    store = session.get(Store, request.store_id)
    order = session.get(Order, request.order_pk)
    if store is None or order is None:
        return
    if order.status == "refunded":
        request.status = "cancelled"
        session.add(request)
        return
    if request.email is not None and is_opted_out(session, store, request.email):
        request.status = "unsubscribed"
        session.add(request)
        return
    # A phone that opted out (by the link an earlier SMS carried) gets nothing more.
    phone = request.phone
    if phone is not None and phones.is_opted_out(session, request.store_id, phone):
        phone = None
        if request.email is None:
            request.status = "unsubscribed"
            session.add(request)
            return
    request.sent_at = now
    request.expires_at = now + timedelta(days=LINK_DAYS)
    channel = "email" if request.email is not None else None
    if phone is not None:
        outcome = request_phone.send_by_phone(
            runtime.settings,
            store=store,
            order=order,
            request=request,
            link=review_link(runtime.settings, request),
            now=now,
        )
        if outcome.sent is not None:
            channel = outcome.sent.channel
        elif channel is None and outcome.retryable and not last_try:
            raise PhoneRetry(f"review request {request_id}: no phone channel took it yet")
    if channel is None:
        request.status = "failed"
        session.add(request)
        return
    request.status, request.channel = "sent", channel
    session.add(request)
    session.flush()
    if channel != "email":
        return  # a message to a phone costs the store: no reminder
    send(runtime, session, request, reminder=False)
    jobs.enqueue(
        session,
        "reviews.send_reminder",
        {"request_id": request_id},
        store_id=request.store_id,
        run_at=now + REMINDER_AFTER,
        dedupe_key=f"review-reminder:{request_id}",
    )


def send_reminder(runtime: Runtime, session: Session, request_id: int, now: datetime) -> None:
    request = session.get(ReviewRequest, request_id)
    if request is None or request.status != "sent" or request.reminded_at is not None:
        return
    if request.email is None or request.channel not in (None, "email"):
        return
    if request.expires_at is not None and now >= request.expires_at:
        return
    store = session.get(Store, request.store_id)
    if store is None or is_opted_out(session, store, request.email):
        return
    request.reminded_at = now
    session.add(request)
    session.flush()
    send(runtime, session, request, reminder=True)
