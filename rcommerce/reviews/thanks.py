"""Thanking reviewers: an e-mail when their review is published (with the store's reply when
there is one) and a notice when the store replies later; an unsubscribe is honoured."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from rcommerce import jobs
from rcommerce.jobs import JobContext
from rcommerce.mail import Mail, unsubscribe_headers
from rcommerce.orders import service as orders
from rcommerce.reviews import confirmations, requests
from rcommerce.reviews.i18n import strings
from rcommerce.reviews.models import PUBLISHED, Review, ReviewOptOut
from rcommerce.stores.models import Store
from rcommerce.templating import render

if TYPE_CHECKING:
    from rcommerce.runtime import Runtime

log = logging.getLogger(__name__)


def send_thanks(ctx: JobContext, review_ids: Sequence[int]) -> None:
    """Thank the authors of published reviews, each once.

    The reviews, stores and opt-outs are read and the e-mails written in a read transaction,
    sent with no transaction open (a slow mail server holds no lock), and the reviews marked
    thanked in the job's own transaction, which commits with the job's done mark: a worker
    that dies before then sends them again (at least once, as every job). An e-mail that fails
    before any was sent fails the job (tried again later, nothing changed); one that fails
    after others were sent leaves those thanked and gives each of the rest a new thank-you
    job due after RETRY_AFTER: nobody is thanked twice, nobody forgotten."""
    now = ctx.now()
    with ctx.read() as session:
        reviews = list(
            session.exec(
                select(Review)
                .where(col(Review.id).in_(review_ids), col(Review.thanked_at).is_(None))
                .order_by(col(Review.id))
            )
        )
        stores = {
            store.id: store
            for store in session.exec(
                select(Store).where(col(Store.id).in_({review.store_id for review in reviews}))
            )
        }
        opted_out = _opted_out(session, reviews)
        subjects: dict[tuple[int, str], str] = {}
        outgoing: list[tuple[Review, Mail | None]] = []
        for review in reviews:
            store = stores.get(review.store_id)
            address = orders.normalise_email(review.email or "")
            mail = None
            if store is not None and address not in opted_out.get(review.store_id, ()):
                mail = _mail(ctx.runtime, session, store, review, False, subjects)
            outgoing.append((review, mail))
    sent: list[Review] = []
    for done, (review, mail) in enumerate(outgoing):
        if mail is not None:
            try:
                ctx.runtime.mailer.send(mail)
            except Exception as exc:
                if not sent:
                    raise
                _later(ctx.session, [later for later, _ in outgoing[done:]], exc, now)
                break
        sent.append(review)
    _mark(ctx.session, sent, now)


def _mark(session: Session, reviews: Sequence[Review], now: datetime) -> None:
    """The reviews thanked (and their reply announced with it, when the e-mail carried one)."""
    table = Review.__table__  # type: ignore[attr-defined]
    thanked = [review.id for review in reviews]
    with_reply = [review.id for review in reviews if review.reply_body]
    if thanked:
        session.execute(
            update(table)
            .where(table.c.id.in_(thanked), table.c.thanked_at.is_(None))
            .values(thanked_at=now)
        )
    if with_reply:  # the thank-you carried the reply
        session.execute(
            update(table)
            .where(table.c.id.in_(with_reply), table.c.reply_notified_at.is_(None))
            .values(reply_notified_at=now)
        )


RETRY_AFTER = timedelta(minutes=1)


def _later(session: Session, reviews: Sequence[Review], error: Exception, now: datetime) -> None:
    """Thank-yous not sent after others were: each a new job due later."""
    log.warning(
        "thank-you e-mail failed (%s: %s); %d will be tried again",
        type(error).__name__,
        error,
        len(reviews),
    )
    for review in reviews:
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


def send_reply_notice(ctx: JobContext, review_id: int) -> None:
    """Tell a thanked author that the store replied to their review, once (read, sent with
    no transaction open, then marked, as the thank-you)."""
    with ctx.read() as session:
        review = session.get(Review, review_id)
        if review is None or review.reply_notified_at is not None or not review.reply_body:
            return
        store = session.get(Store, review.store_id)
        mail = None
        if (
            store is not None
            and review.email
            and not requests.is_opted_out(session, store, review.email)
        ):
            mail = _mail(ctx.runtime, session, store, review, True, {})
    if mail is not None:
        ctx.runtime.mailer.send(mail)
    table = Review.__table__  # type: ignore[attr-defined]
    ctx.session.execute(
        update(table)
        .where(table.c.id == review_id, table.c.reply_notified_at.is_(None))
        .values(reply_notified_at=ctx.now())
    )


def _mail(
    runtime: Runtime,
    session: Session,
    store: Store,
    review: Review,
    reply_notice: bool,
    subjects: dict[tuple[int, str], str],
) -> Mail | None:
    """The thank-you (or the reply notice) of a published review with an address;
    ``subjects`` remembers the names of the products already looked up."""
    if review.status != PUBLISHED or not review.email:
        return None
    assert store.id is not None
    settings = runtime.settings
    t = strings(store.locale)
    subject = subjects.get((store.id, review.product_id))
    if subject is None:
        subject = confirmations.subject_name(session, store, review.product_id)
        subjects[(store.id, review.product_id)] = subject
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
        headers=unsubscribe_headers(unsubscribe),
        message_id=f"<review-{'reply' if reply_notice else 'thanks'}-{review.id}@rcommerce>",
    )
