"""A person's data in product questions, on request: the questions asked with their e-mail
address or phone, the answers they wrote as a verified buyer (through an invitation sent to them, or for
an order placed with their e-mail or phone), and the invitations sent to them; exported, or
erased the way reviews are (deleted, the product's cached widget reads forgotten).

This package's part of ``/api/v1/privacy/*`` (``rcommerce.data_requests`` gathers every
package's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from rcommerce.identity import Person
from rcommerce.orders.models import Order
from rcommerce.questions.models import BUYER, Answer, AnswerInvitation, Question
from rcommerce.questions.service import PUBLISHED
from rcommerce.reviews import aggregates
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _email(person: Person) -> str | None:
    return person.email.strip().lower() if person.email else None


def _order_pks(session: Session, store: Store, person: Person) -> list[int]:
    """The store's orders placed with the person's e-mail or phone."""
    matches: list[ColumnElement[bool]] = []
    if person.email:
        matches.append(col(Order.email) == _email(person))
    if person.phone:
        matches.append(col(Order.phone) == person.phone)
    if not matches:
        return []
    rows = session.exec(select(Order.id).where(Order.store_id == store.id, or_(*matches)))
    return [pk for pk in rows if pk is not None]


def _their_invitations(store: Store, person: Person, order_pks: list[int]) -> ColumnElement[bool]:
    matches: list[ColumnElement[bool]] = []
    if person.email:
        matches.append(col(AnswerInvitation.email) == _email(person))
    if person.phone:  # a phone invitation keeps the number as its address
        matches.append(
            (col(AnswerInvitation.email) == person.phone)
            & (col(AnswerInvitation.channel) == "phone")
        )
    if order_pks:
        matches.append(col(AnswerInvitation.order_pk).in_(order_pks))
    return (col(AnswerInvitation.store_id) == store.id) & (or_(*matches) if matches else false())


def _found(
    session: Session, store: Store, person: Person
) -> tuple[list[Question], list[Answer], list[AnswerInvitation]]:
    email = _email(person)
    asked: list[ColumnElement[bool]] = []
    if email:
        asked.append(col(Question.email) == email)
    if person.phone:
        asked.append(col(Question.phone) == person.phone)
    questions = (
        list(
            session.exec(
                select(Question)
                .where(Question.store_id == store.id, or_(*asked))
                .order_by(col(Question.id))
            )
        )
        if asked
        else []
    )
    order_pks = _order_pks(session, store, person)
    invitations = list(
        session.exec(
            select(AnswerInvitation)
            .where(_their_invitations(store, person, order_pks))
            .order_by(col(AnswerInvitation.id))
        )
    )
    answer_ids = {i.answer_id for i in invitations if i.answer_id is not None}
    matches: list[ColumnElement[bool]] = []
    if order_pks:
        matches.append(col(Answer.order_pk).in_(order_pks))
    if answer_ids:
        matches.append(col(Answer.id).in_(answer_ids))
    answers = (
        list(
            session.exec(
                select(Answer)
                .where(Answer.store_id == store.id, Answer.kind == BUYER, or_(*matches))
                .order_by(col(Answer.id))
            )
        )
        if matches
        else []
    )
    return questions, answers, invitations


def person_data(
    *, session: Session, settings: Settings, store: Store, person: Person
) -> dict[str, Any]:
    """The ``questions`` (asked), ``answers`` (written) and ``answer_invitations`` sections."""
    questions, answers, invitations = _found(session, store, person)
    return {
        "questions": [
            {
                "id": q.id,
                "product_id": q.product_id,
                "body": q.body,
                "author_name": q.author_name,
                "email": q.email,
                "phone": q.phone,
                "status": q.status,
                "answer_count": q.answer_count,
                "created_at": _iso(q.created_at),
                "published_at": _iso(q.published_at),
            }
            for q in questions
        ],
        "answers": [
            {
                "id": a.id,
                "question_id": a.question_id,
                "body": a.body,
                "author_name": a.author_name,
                "status": a.status,
                "helpful_count": a.helpful_count,
                "not_helpful_count": a.not_helpful_count,
                "created_at": _iso(a.created_at),
                "published_at": _iso(a.published_at),
            }
            for a in answers
        ],
        "answer_invitations": [
            {
                "question_id": i.question_id,
                "email": i.email if i.channel == "email" else None,
                "phone": i.email if i.channel == "phone" else None,
                "name": i.name,
                "sent_at": _iso(i.sent_at),
                "used_at": _iso(i.used_at),
            }
            for i in invitations
        ],
    }


def forget_person(
    *, session: Session, settings: Settings, store: Store, person: Person, now: datetime
) -> dict[str, int]:
    """Delete the person's questions (with the answers they received), their answers (each
    question's count of answers follows) and the invitations sent to them; the products'
    cached widget reads are forgotten when the transaction commits."""
    assert store.id is not None
    questions, answers, invitations = _found(session, store, person)
    gone = {q.id for q in questions}
    touched = {a.question_id for a in answers} - gone
    products = {q.product_id for q in questions}
    if answers:
        session.exec(delete(Answer).where(col(Answer.id).in_([a.id for a in answers])))
    if invitations:
        session.exec(
            delete(AnswerInvitation).where(
                col(AnswerInvitation.id).in_([i.id for i in invitations])
            )
        )
    if questions:
        session.exec(delete(Question).where(col(Question.id).in_(gone)))
    for question in session.exec(select(Question).where(col(Question.id).in_(touched))):
        question.answer_count = len(
            session.exec(
                select(Answer.id).where(
                    Answer.question_id == question.id, Answer.status == PUBLISHED
                )
            ).all()
        )
        session.add(question)
        products.add(question.product_id)
    for product_id in products:
        aggregates.invalidate(session, store.id, product_id)
    return {
        "questions": len(questions),
        "answers": len(answers),
        "answer_invitations": len(invitations),
    }
