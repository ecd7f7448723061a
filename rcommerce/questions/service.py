"""Questions as shoppers ask them and answers as the store and buyers give them: stored,
screened by the rules reviews use, published or held for a manager; helpful votes on answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from rcommerce import jobs
from rcommerce.errors import InvalidInput, NotFound
from rcommerce.orders import service as orders
from rcommerce.questions.models import SHOP, Answer, AnswerVote, Question
from rcommerce.questions.shapes import QuestionIn
from rcommerce.reviews import aggregates, rules, submission, votes
from rcommerce.stores.models import Store

RECEIVED, PUBLISHED, PENDING, REJECTED = "received", "published", "pending", "rejected"
VELOCITY_WINDOW = timedelta(hours=1)
VELOCITY_PER_IP = 5  # questions from one network in an hour before a human looks
MAX_ANSWERS = 50  # answers one question may hold


def ask(
    *, session: Session, store: Store, product_id: str, data: QuestionIn, ip_hash: str | None,
    now: datetime,
) -> Question:  # fmt: skip
    """Store a shopper's question and decide on it at once with the reviews' rules: spam and
    abuse are rejected, links, personal data, near-floods and mild words wait for a manager,
    the rest is published (and the product's buyers are invited to answer)."""
    assert store.id is not None
    facts = submission.ProductFacts(name=data.product_name, url=data.product_url)
    subject = submission.review_subject(session, store, product_id, facts)
    if not subject:
        raise InvalidInput("Questions are about a product.")
    honeypot = bool(data.website.strip())
    question = Question(
        store_id=store.id,
        product_id=subject,
        body=data.body,
        author_name=data.name,
        email=orders.normalise_email(data.email) if data.email else None,
        phone=data.phone,
        fingerprint=rules.fingerprint(data.body),
        ip_hash=ip_hash,
        honeypot=honeypot,
        created_at=now,
    )
    signals = rules.screen(data.body, name=data.name, honeypot=honeypot)
    if rules.normalised_length(data.body) >= rules.MIN_DUPLICATE_CHARS:
        earlier = select(Question.id).where(
            Question.store_id == store.id,
            Question.product_id == subject,
            Question.fingerprint == question.fingerprint,
            col(Question.status).in_([PUBLISHED, PENDING]),
        )
        signals.duplicate = session.exec(earlier.limit(1)).first() is not None
    if ip_hash:
        recent = session.exec(
            select(func.count())
            .select_from(Question)
            .where(
                Question.store_id == store.id,
                Question.ip_hash == ip_hash,
                col(Question.created_at) >= now - VELOCITY_WINDOW,
            )
        ).one()
        signals.velocity = recent >= VELOCITY_PER_IP
    outcome = rules.decide(signals)
    question.status = outcome.status
    question.reason_code = outcome.reason_code
    question.flags = outcome.flags
    session.add(question)
    session.flush()
    if question.status == PUBLISHED:
        _published(session, question, now)
    return question


def _published(session: Session, question: Question, now: datetime) -> None:
    question.published_at = question.published_at or now
    session.add(question)
    aggregates.invalidate(session, question.store_id, question.product_id)
    if question.invited_at is None:
        jobs.enqueue(
            session,
            "questions.invite",
            {"question_id": question.id},
            store_id=question.store_id,
            dedupe_key=f"questions.invite:{question.id}",
        )


def get_question(session: Session, store: Store, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None or question.store_id != store.id:
        raise NotFound(f"No question {question_id} in this store.")
    return question


def get_answer(session: Session, store: Store, question_id: int, answer_id: int) -> Answer:
    answer = session.get(Answer, answer_id)
    if answer is None or answer.store_id != store.id or answer.question_id != question_id:
        raise NotFound(f"No answer {answer_id} to question {question_id} in this store.")
    return answer


def set_question_status(
    session: Session, store: Store, question_id: int, status: str, now: datetime
) -> Question:
    """A manager publishes or rejects a question (any question, whatever the rules said)."""
    if status not in (PUBLISHED, REJECTED):
        raise InvalidInput("A question is published or rejected.")
    question = get_question(session, store, question_id)
    question.status = status
    if status == PUBLISHED:
        _published(session, question, now)
    else:
        session.add(question)
        aggregates.invalidate(session, question.store_id, question.product_id)
    return question


def add_answer(
    *, session: Session, question: Question, kind: str, name: str, body: str,
    order_pk: int | None = None, now: datetime,
) -> Answer:  # fmt: skip
    """An answer: the store's is published as it is; a buyer's is screened by the rules."""
    if question.status == REJECTED:
        raise InvalidInput("This question was rejected; it takes no answers.")
    if question.answer_count >= MAX_ANSWERS:
        raise InvalidInput("This question has all the answers it can take.")
    text = body.strip()
    if len(text) < 2 or len(text) > 2000:
        raise InvalidInput(
            "An answer is 2 to 2000 characters.",
            fields=[{"field": "body", "message": "2 to 2000 characters"}],
        )
    answer = Answer(
        store_id=question.store_id,
        question_id=question.id or 0,
        kind=kind,
        author_name=name.strip()[:100] or "—",
        body=text,
        order_pk=order_pk,
        created_at=now,
    )
    if kind == SHOP:
        answer.status = PUBLISHED
    else:
        outcome = rules.decide(rules.screen(text, name=answer.author_name))
        answer.status, answer.reason_code, answer.flags = (
            outcome.status,
            outcome.reason_code,
            outcome.flags,
        )
    session.add(answer)
    session.flush()
    if answer.status == PUBLISHED:
        _answer_published(session, question, answer, now)
    return answer


def _answer_published(session: Session, question: Question, answer: Answer, now: datetime) -> None:
    answer.published_at = answer.published_at or now
    session.add(answer)
    question.answer_count = _count_published(session, question)
    session.add(question)
    aggregates.invalidate(session, question.store_id, question.product_id)
    if answer.notified_at is None and (question.email or question.phone):
        jobs.enqueue(
            session,
            "questions.notify_answer",
            {"answer_id": answer.id},
            store_id=question.store_id,
            dedupe_key=f"questions.notify_answer:{answer.id}",
        )


def _count_published(session: Session, question: Question) -> int:
    session.flush()
    return session.exec(
        select(func.count())
        .select_from(Answer)
        .where(Answer.question_id == question.id, Answer.status == PUBLISHED)
    ).one()


def answer_as_store(
    *, session: Session, store: Store, question_id: int, body: str, name: str, now: datetime
) -> Answer:
    question = get_question(session, store, question_id)
    return add_answer(
        session=session, question=question, kind=SHOP, name=name or store.name, body=body,
        now=now,
    )  # fmt: skip


def set_answer_status(
    session: Session, store: Store, question_id: int, answer_id: int, status: str, now: datetime
) -> Answer:
    """A manager publishes or rejects an answer (a buyer's held one, or any other)."""
    if status not in (PUBLISHED, REJECTED):
        raise InvalidInput("An answer is published or rejected.")
    answer = get_answer(session, store, question_id, answer_id)
    question = get_question(session, store, question_id)
    answer.status = status
    session.add(answer)
    if status == PUBLISHED:
        _answer_published(session, question, answer, now)
    else:
        question.answer_count = _count_published(session, question)
        session.add(question)
        aggregates.invalidate(session, question.store_id, question.product_id)
    return answer


def mark(answer: Answer) -> str:
    """What the widget shows beside an answer: the shop's, or a verified buyer's."""
    return "shop" if answer.kind == SHOP else "verified_buyer"


def vote(
    *, session: Session, store: Store, answer_id: int, voter: str, helpful: bool,
    ip_hash: str | None, now: datetime,
) -> Answer:  # fmt: skip
    """One vote per visitor per answer (voting again changes it), a network's new voters on an
    answer capped a day: the rule of helpful votes on reviews."""
    answer = session.get(Answer, answer_id)
    question = session.get(Question, answer.question_id) if answer else None
    if (
        answer is None
        or question is None
        or answer.store_id != store.id
        or answer.status != PUBLISHED
        or question.status != PUBLISHED
    ):
        raise NotFound(f"No published answer {answer_id} in this store.")
    if votes.record_vote(
        session, target=answer, vote_model=AnswerVote, key="answer_id", voter=voter,
        helpful=helpful, ip_hash=ip_hash, now=now,
    ):  # fmt: skip
        aggregates.invalidate(session, answer.store_id, question.product_id)
    return answer
