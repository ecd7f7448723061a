"""Thanking reviewers: an e-mail when their review is published (with the store's reply when
there is one) and a notice when the store replies later; an unsubscribe is honoured."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from rcommerce.mail import Mail
from rcommerce.reviews import confirmations, requests
from rcommerce.reviews.i18n import strings
from rcommerce.reviews.models import PUBLISHED, Review
from rcommerce.stores.models import Store
from rcommerce.templating import render

if TYPE_CHECKING:
    from rcommerce.runtime import Runtime


def send_thanks(runtime: Runtime, session: Session, review_id: int, now: datetime) -> None:
    """Thank the author of a published review, once."""
    review = session.get(Review, review_id)
    if review is None or review.thanked_at is not None:
        return
    review.thanked_at = now
    if review.reply_body:
        review.reply_notified_at = now  # the thank-you carries the reply
    session.add(review)
    session.flush()
    _send(runtime, session, review, reply_notice=False)


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
    if store is None or review.status != PUBLISHED or not review.email:
        return
    if requests.is_opted_out(session, store, review.email):
        return
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
    runtime.mailer.send(
        Mail(
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
    )
