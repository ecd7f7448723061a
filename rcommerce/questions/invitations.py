"""Asking a product's buyers to answer a question about it, and telling askers of answers.

A buyer is an address with an order of the product that was not refunded: the order's e-mail,
or for an order with none its phone; an invitation is a signed single-use link to that address
(by e-mail, or by Zalo ZNS then SMS to the phone), so an answer through it comes from the buyer
(the "verified buyer" mark). A buyer is invited at most once a week per store, and never when
they unsubscribed from the store's review e-mails. The asker's address is typed, so it proves
nothing: it only receives each published answer (by e-mail with an unsubscribe link, or without
an e-mail by ZNS or SMS to the phone)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists
from sqlmodel import Session, col, select

from rcommerce import signing
from rcommerce.errors import ApiError
from rcommerce.mail import Mail, unsubscribe_headers
from rcommerce.messaging import QuestionMessage
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order, OrderItem
from rcommerce.phones import service as phones
from rcommerce.questions import service
from rcommerce.questions.i18n import strings
from rcommerce.questions.models import BUYER, Answer, AnswerInvitation, Question
from rcommerce.reviews import confirmations, requests
from rcommerce.settings import Settings
from rcommerce.stores.models import Store
from rcommerce.templating import render

if TYPE_CHECKING:
    from rcommerce.runtime import Runtime

log = logging.getLogger(__name__)

PURPOSE = "answer-invite"
EMAIL, PHONE = "email", "phone"
INVITE_EVERY = timedelta(days=7)  # a buyer is invited at most this often by one store
INVITES_PER_QUESTION = 5  # the most recent buyers of the product


class LinkUsed(ApiError):
    status, code = 410, "link_used"


def token(settings: Settings, invitation: AnswerInvitation) -> str:
    return signing.sign(settings, PURPOSE, {"i": invitation.id, "q": invitation.question_id})


def answer_url(settings: Settings, invitation: AnswerInvitation) -> str:
    return f"{settings.base_url}/questions/answer/{token(settings, invitation)}"


def _buyers(session: Session, question: Question) -> list[tuple[str, str, str, int | None]]:
    """(address, channel, name, order id) of the product's buyers, most recent order first, one
    each: the order's e-mail, or its phone when it has no e-mail."""
    rows = session.exec(
        select(Order.email, Order.phone, Order.customer_name, Order.id)
        .where(
            Order.store_id == question.store_id,
            col(Order.email).is_not(None) | col(Order.phone).is_not(None),
            Order.status != "refunded",
            exists().where(
                col(OrderItem.order_pk) == col(Order.id),
                col(OrderItem.product_id) == question.product_id,
            ),
        )
        .order_by(col(Order.placed_at).desc())
        .limit(200)
    )
    seen: dict[str, tuple[str, str, str, int | None]] = {}
    for email, phone, name, order_id in rows:
        address, channel = (email, EMAIL) if email else (phone, PHONE)
        if address and address not in seen:
            seen[address] = (address, channel, name or "", order_id)
    return list(seen.values())


def invite(runtime: Runtime, session: Session, question_id: int, now: datetime) -> int:
    """Invite the product's recent buyers to answer a published question, once; returns how
    many were invited."""
    question = session.get(Question, question_id)
    if question is None or question.status != service.PUBLISHED or question.invited_at:
        return 0
    store = session.get(Store, question.store_id)
    assert store is not None
    question.invited_at = now
    session.add(question)
    sent = 0
    for email, channel, name, order_id in _buyers(session, question):
        if sent >= INVITES_PER_QUESTION:
            break
        if email in (question.email, question.phone) or _opted_out(session, store, email):
            continue
        recent = session.exec(
            select(AnswerInvitation.id).where(
                AnswerInvitation.store_id == store.id,
                AnswerInvitation.email == email,
                col(AnswerInvitation.sent_at) > now - INVITE_EVERY,
            )
        ).first()
        if recent is not None:
            continue
        invitation = AnswerInvitation(
            store_id=question.store_id,
            question_id=question_id,
            order_pk=order_id,
            email=email,
            channel=channel,
            name=name[:100],
            sent_at=now,
        )
        session.add(invitation)
        session.flush()
        if channel == PHONE:
            if not _text_invitation(runtime, session, store, question, invitation):
                session.delete(invitation)  # never reached them: no live link, no week counted
                continue
        else:
            _send_invitation(runtime, session, store, question, invitation)
        sent += 1
    return sent


def _by_phone(runtime: Runtime, message: QuestionMessage, what: str) -> bool:
    """Send on the first phone channel that takes it (ZNS, then SMS); False when none did."""
    results = phones.send(runtime.settings, message, what)
    return bool(results) and results[-1].ok


def _text_invitation(
    runtime: Runtime, session: Session, store: Store, question: Question, row: AnswerInvitation
) -> bool:
    assert store.id is not None
    message = QuestionMessage(
        kind="invite",
        phone=row.email,
        name=row.name,
        product=confirmations.subject_name(session, store, question.product_id),
        url=answer_url(runtime.settings, row),
        tracking_id=f"qi-{row.id}-{secrets.token_hex(6)}",
        store_name=store.name,
        locale=store.locale,
        opt_out_url=phones.opt_out_url(runtime.settings, store.id, row.email),
    )
    return _by_phone(runtime, message, f"answer invitation {row.id}")


def _opted_out(session: Session, store: Store, address: str) -> bool:
    """Whether the address or phone asked the store for no more messages."""
    assert store.id is not None
    if address.startswith("+"):
        return phones.is_opted_out(session, store.id, address)
    return requests.is_opted_out(session, store, address)


def _common(
    settings: Settings, session: Session, store: Store, question: Question, email: str
) -> dict[str, Any]:
    assert store.id is not None
    t = strings(store.locale)
    product = confirmations.subject_name(session, store, question.product_id)
    unsubscribe = (
        f"{settings.base_url}/reviews/unsubscribe/"
        f"{requests.unsubscribe_token(settings, store.id, email)}"
    )
    return {
        "t": t,
        "store": store,
        "question": question,
        "product": product,
        "unsubscribe": unsubscribe,
        "unsubscribe_text": t["unsubscribe"].format(store=store.name),
    }


def _headers(context: dict[str, Any]) -> dict[str, str]:
    return unsubscribe_headers(context["unsubscribe"])


def _send_invitation(
    runtime: Runtime, session: Session, store: Store, question: Question, row: AnswerInvitation
) -> None:
    context = _common(runtime.settings, session, store, question, row.email)
    t = context["t"]
    context.update(
        greeting=t["greeting"].format(name=row.name or row.email.split("@")[0]),
        intro=t["invite_intro"].format(store=store.name, product=context["product"]),
        link=answer_url(runtime.settings, row),
    )
    runtime.mailer.send(
        Mail(
            to=row.email,
            subject=t["invite_subject"].format(product=context["product"]),
            text=render("questions/invite_email.txt", **context),
            html=render("questions/invite_email.html", **context),
            headers=_headers(context),
            message_id=f"<answer-invite-{row.id}@rcommerce>",
        )
    )


def notify_answer(runtime: Runtime, session: Session, answer_id: int, now: datetime) -> bool:
    """Tell the asker of a published answer to their question, once per answer."""
    answer = session.get(Answer, answer_id)
    if answer is None or answer.notified_at is not None or answer.status != service.PUBLISHED:
        return False
    question = session.get(Question, answer.question_id)
    store = session.get(Store, answer.store_id)
    if question is None or store is None or not (question.email or question.phone):
        return False
    answer.notified_at = now
    session.add(answer)
    session.flush()
    address = question.email or question.phone or ""
    if _opted_out(session, store, address):
        return False
    product = orders.get_product(session, store, question.product_id)
    if not question.email:
        page = (product.url if product else None) or store.default_landing_url
        if not page:
            log.info("answer %s: no page to link the asker's message to", answer.id)
            return False
        message = QuestionMessage(
            kind="answer",
            phone=address,
            name=question.author_name,
            product=confirmations.subject_name(session, store, question.product_id),
            url=page,
            tracking_id=f"qa-{answer.id}-{secrets.token_hex(6)}",
            store_name=store.name,
            locale=store.locale,
        )
        return _by_phone(runtime, message, f"answer {answer.id} notice")
    context = _common(runtime.settings, session, store, question, question.email)
    t = context["t"]
    by = "answer_by_shop" if answer.kind != BUYER else "answer_by_buyer"
    context.update(
        greeting=t["greeting"].format(name=question.author_name),
        intro=t["answer_intro"].format(product=context["product"]),
        by=t[by].format(name=answer.author_name),
        answer=answer,
        product_url=product.url if product else None,
    )
    runtime.mailer.send(
        Mail(
            to=question.email,
            subject=t["answer_subject"].format(store=store.name, product=context["product"]),
            text=render("questions/answer_email.txt", **context),
            html=render("questions/answer_email.html", **context),
            headers=_headers(context),
            message_id=f"<question-answer-{answer.id}@rcommerce>",
        )
    )
    return True


@dataclass(frozen=True)
class Opened:
    invitation: AnswerInvitation
    question: Question
    store: Store
    product: str


def open_invitation(
    session: Session, settings: Settings, raw: str, *, for_update: bool = False
) -> Opened:
    """The invitation a link names: TokenInvalid / TokenExpired, LinkUsed once answered."""
    payload = signing.unsign(settings, PURPOSE, raw)
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        raise signing.TokenInvalid("This link is not valid.")
    query = select(AnswerInvitation).where(AnswerInvitation.id == payload["i"])
    if for_update:
        query = query.with_for_update()
    invitation = session.exec(query).first()
    if invitation is None or invitation.question_id != payload.get("q"):
        raise signing.TokenInvalid("This link is not valid.")
    if invitation.used_at is not None:
        raise LinkUsed("This link was already used to answer.")
    question = session.get(Question, invitation.question_id)
    store = session.get(Store, invitation.store_id)
    if question is None or store is None or question.status == service.REJECTED:
        raise signing.TokenInvalid("This question takes no answers.")
    product = confirmations.subject_name(session, store, question.product_id)
    return Opened(invitation, question, store, product)


def answer_by_invitation(
    session: Session, settings: Settings, raw: str, *, name: str, body: str, now: datetime
) -> Answer:
    """Spend an invitation on the buyer's answer (marked "verified buyer", screened by the
    rules); the link works once."""
    opened = open_invitation(session, settings, raw, for_update=True)
    answer = service.add_answer(
        session=session,
        question=opened.question,
        kind=BUYER,
        name=name or opened.invitation.name or _handle(opened.invitation),
        body=body,
        order_pk=opened.invitation.order_pk,
        now=now,
    )
    opened.invitation.used_at = now
    opened.invitation.answer_id = answer.id
    session.add(opened.invitation)
    return answer


def _handle(invitation: AnswerInvitation) -> str:
    """A name for a buyer who gave none: their e-mail's local part; never a phone number."""
    return invitation.email.split("@")[0] if invitation.channel == EMAIL else "—"


def locale_of(session: Session, answer: Answer) -> str:
    """The locale of the store an answer belongs to (for the page that thanks its author)."""
    store = session.get(Store, answer.store_id)
    return store.locale if store else "vi"
