"""What widgets and managers read of questions: a product's published questions with their
published answers (searched, with the matching reviews), and the store's list for moderation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from rcommerce.questions import search
from rcommerce.questions.models import Answer, Question
from rcommerce.questions.service import PUBLISHED, mark
from rcommerce.questions.shapes import (
    AdminAnswer,
    AdminPage,
    AdminQuery,
    AdminQuestion,
    AnswerOut,
    QuestionOut,
    QuestionPage,
    ReviewMatch,
)
from rcommerce.reviews.models import Review
from rcommerce.stores.models import Store

PAGE = 50  # questions a widget shows
REVIEW_MATCHES = 5  # matching reviews shown above them
SCANNED_REVIEWS = 500  # a product's newest published reviews searched


def _answers(session: Session, ids: Sequence[int], *, published: bool) -> dict[int, list[Answer]]:
    if not ids:
        return {}
    query = select(Answer).where(col(Answer.question_id).in_(ids))
    if published:
        query = query.where(Answer.status == PUBLISHED)
    by_question: dict[int, list[Answer]] = defaultdict(list)
    # The shop's answer first, then the most helpful, then the oldest.
    for answer in session.exec(query.order_by(col(Answer.helpful_count).desc(), col(Answer.id))):
        by_question[answer.question_id].append(answer)
    for answers in by_question.values():
        answers.sort(key=lambda a: mark(a) != "shop")
    return by_question


def _answer_out(answer: Answer) -> AnswerOut:
    assert answer.id is not None
    return AnswerOut(
        id=answer.id,
        body=answer.body,
        author=answer.author_name,
        by="shop" if mark(answer) == "shop" else "verified_buyer",
        helpful=answer.helpful_count,
        not_helpful=answer.not_helpful_count,
        created_at=answer.created_at,
    )


def product_page(session: Session, store: Store, product_id: str, q: str = "") -> QuestionPage:
    """A product's published questions (answered ones first, newest first), or with ``q`` the
    ones it matches, best match first, and the product's published reviews it matches."""
    rows = list(
        session.exec(
            select(Question)
            .where(
                Question.store_id == store.id,
                Question.product_id == product_id,
                Question.status == PUBLISHED,
            )
            .order_by(col(Question.id).desc())
            .limit(PAGE if not q else 1000)
        )
    )
    answers = _answers(session, [r.id for r in rows if r.id is not None], published=True)
    terms = search.terms(q)
    reviews: list[ReviewMatch] = []
    if terms:
        scored = []
        for row in rows:
            texts = [row.body, *(a.body for a in answers.get(row.id or 0, []))]
            found = search.matches(terms, *texts)
            if found is not None:
                scored.append((found, row))
        scored.sort(key=lambda pair: (-pair[0], -(pair[1].answer_count > 0), -(pair[1].id or 0)))
        rows = [row for _, row in scored[:PAGE]]
        reviews = _review_matches(session, store, product_id, terms)
    elif q:
        rows = []
    else:
        rows.sort(key=lambda r: (r.answer_count == 0, -(r.id or 0)))
    questions = [
        QuestionOut(
            id=row.id or 0,
            body=row.body,
            author=row.author_name,
            created_at=row.created_at,
            answers=[_answer_out(a) for a in answers.get(row.id or 0, [])],
        )
        for row in rows
    ]
    return QuestionPage(q=q, questions=questions, reviews=reviews)


def _review_matches(
    session: Session, store: Store, product_id: str, terms: set[str]
) -> list[ReviewMatch]:
    candidates = session.exec(
        select(Review)
        .where(
            Review.store_id == store.id,
            Review.product_id == product_id,
            Review.status == PUBLISHED,
        )
        .order_by(col(Review.id).desc())
        .limit(SCANNED_REVIEWS)
    )
    scored = []
    for review in candidates:
        found = search.matches(terms, review.title, review.body)
        if found is not None:
            scored.append((found, review))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].helpful_count, -(pair[1].id or 0)))
    return [
        ReviewMatch(
            id=review.id or 0,
            rating=review.rating,
            title=review.title,
            body=review.body,
            author=review.author_name,
            verified=review.verified,
            created_at=review.created_at,
        )
        for _, review in scored[:REVIEW_MATCHES]
    ]


def admin_page(session: Session, store: Store, query: AdminQuery) -> AdminPage:
    """The store's questions, newest first, with every answer (any status)."""
    statement = select(Question).where(Question.store_id == store.id)
    if query.status:
        statement = statement.where(Question.status == query.status)
    if query.product_id:
        statement = statement.where(Question.product_id == query.product_id)
    limit = max(1, min(query.limit, 200))
    rows = list(session.exec(statement.order_by(col(Question.id).desc()).limit(limit)))
    answers = _answers(session, [r.id for r in rows if r.id is not None], published=False)
    return AdminPage(questions=[admin_question(row, answers.get(row.id or 0, [])) for row in rows])


def admin_question(row: Question, answers: Sequence[Answer]) -> AdminQuestion:
    return AdminQuestion(
        id=row.id or 0,
        product_id=row.product_id,
        body=row.body,
        author=row.author_name,
        email=row.email,
        phone=row.phone,
        status=row.status,
        reason_code=row.reason_code,
        flags=list(row.flags),
        created_at=row.created_at,
        answers=[
            AdminAnswer(
                id=a.id or 0,
                body=a.body,
                author=a.author_name,
                mark="shop" if mark(a) == "shop" else "verified_buyer",
                status=a.status,
                flags=list(a.flags),
                helpful=a.helpful_count,
                not_helpful=a.not_helpful_count,
                created_at=a.created_at,
            )
            for a in answers
        ],
    )


def admin_one(session: Session, question: Question) -> AdminQuestion:
    answers = _answers(session, [question.id or 0], published=False)
    return admin_question(question, answers.get(question.id or 0, []))
