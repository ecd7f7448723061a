"""Thanking reviewers: an e-mail when their review is published (with the store's reply when
there is one) and a notice when the store replies later; an unsubscribe is honoured."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from rcommerce import jobs
from rcommerce.mail import Mail
from rcommerce.orders import service as orders
from rcommerce.reviews import confirmations, requests
from rcommerce.reviews.i18n import strings
from rcommerce.reviews.models import PUBLISHED, Review, ReviewOptOut
from rcommerce.stores.models import Store
from rcommerce.templating import render

if TYPE_CHECKING:
    from rcommerce.runtime import Runtime

log = logging.getLogger(__name__)


def send_thanks(
    runtime: Runtime, session: Session, review_ids: Sequence[int], now: datetime
) -> None:
    """Thank the authors of published reviews, each once: the reviews, stores and opt-outs
    read together, then one e-mail after another.

    A failed e-mail before any was sent fails the whole call (the caller's job is tried again
    later, nothing changed). One failing after others were sent leaves those marked thanked
    and the rest unmarked, each with a new thank-you job due after RETRY_AFTER: nobody is
    thanked twice, and nobody is forgotten."""
    reviews = list(
        session.exec(
            select(Review)
            .where(col(Review.id).in_(review_ids), col(Review.thanked_at).is_(None))
            .order_by(col(Review.id))
        )
    )
    if not reviews:
        return
    for review in reviews:
        review.thanked_at = now
        if review.reply_body:
            review.reply_notified_at = now  # the thank-you carries the reply
        session.add(review)
    session.flush()
    stores = {
        store.id: store
        for store in session.exec(
            select(Store).where(col(Store.id).in_({review.store_id for review in reviews}))
        )
    }
    opted_out = _opted_out(session, reviews)
    sending = [
        (review, mail)
        for review in reviews
        if (store := stores.get(review.store_id)) is not None
        and orders.normalise_email(review.email or "") not in opted_out.get(review.store_id, ())
        and (mail := _mail(runtime, session, store, review, reply_notice=False)) is not None
    ]
    for done, (review, mail) in enumerate(sending):
        try:
            runtime.mailer.send(mail)
        except Exception as exc:
            if not done:
                raise
            _later(session, [review for review, _ in sending[done:]], exc, now)
            return


RETRY_AFTER = timedelta(minutes=1)


def _later(session: Session, reviews: Sequence[Review], error: Exception, now: datetime) -> None:
    """Thank-yous not sent after others were: unmarked, each with a new job due later."""
    log.warning(
        "thank-you e-mail failed (%s: %s); %d will be tried again",
        type(error).__name__,
        error,
        len(reviews),
    )
    for review in reviews:
        review.thanked_at = None
        if review.reply_notified_at == now:
            review.reply_notified_at = None
        session.add(review)
        jobs.enqueue(
            session,
            "reviews.send_thanks",
            {"review_id": review.id},
            store_id=review.store_id,
            run_at=now + RETRY_AFTER,
        )


def _opted_out(session: Session, reviews: Sequence[Review]) -> dict[int, set[str]]:
    """The authors' addresses that asked for no more e-mails, by store."""
    emails = {orders.normalise_email(review.email) for review in reviews if review.email}
    found: dict[int, set[str]] = {}
    if not emails:
        return found
    for store_id, email in session.exec(
        select(ReviewOptOut.store_id, ReviewOptOut.email).where(
            col(ReviewOptOut.store_id).in_({review.store_id for review in reviews}),
            col(ReviewOptOut.email).in_(emails),
        )
    ):
        found.setdefault(store_id, set()).add(email)
    return found


def send_reply_notice(runtime: Runtime, session: Session, review_id: int, now: datetime) -> None:
    """Tell a thanked author that the store replied to their review, once."""
    review = session.get(Review, review_id)
    if review is None or review.reply_notified_at is not None or not review.reply_body:
        return
    review.reply_notified_at = now
    session.add(review)
    session.flush()
    _send(runtime, session, review, reply_notice=True)


def _send(runtime: Runtime, session: Session, review: Review, *, reply_notice: bool) -> None:
    store = session.get(Store, review.store_id)
    if store is None or not review.email or requests.is_opted_out(session, store, review.email):
        return
    mail = _mail(runtime, session, store, review, reply_notice=reply_notice)
    if mail is not None:
        runtime.mailer.send(mail)


def _mail(
    runtime: Runtime, session: Session, store: Store, review: Review, *, reply_notice: bool
) -> Mail | None:
    """The thank-you (or the reply notice) of a published review with an address."""
    if review.status != PUBLISHED or not review.email:
        return None
    assert store.id is not None
    settings = runtime.settings
    t = strings(store.locale)
    subject = confirmations.subject_name(session, store, review.product_id)
    unsubscribe = (
        f"{settings.base_url}/reviews/unsubscribe/"
        f"{requests.unsubscribe_token(settings, store.id, review.email)}"
    )
    context: dict[str, Any] = {
        "t": t,
        "store": store,
        "review": review,
        "greeting": t["greeting"].format(name=review.author_name),
        "intro": t["reply_intro" if reply_notice else "thanks_intro"].format(
            store=store.name, product=subject
        ),
        "reply_label": t["reply_label"].format(store=store.name),
        "unsubscribe": unsubscribe,
        "unsubscribe_text": t["unsubscribe_all"].format(store=store.name),
    }
    title = t["reply_subject" if reply_notice else "thanks_subject"]
    return Mail(
        to=review.email,
        subject=title.format(store=store.name, product=subject),
        text=render("reviews/thanks_email.txt", **context),
        html=render("reviews/thanks_email.html", **context),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        message_id=f"<review-{'reply' if reply_notice else 'thanks'}-{review.id}@rcommerce>",
    )
