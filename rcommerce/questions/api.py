"""The store's API for product questions (secret key, under /api/v1): list, moderate, answer."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.questions import reads, service, shapes
from rcommerce.stores.auth import authenticated
from rcommerce.web import (
    Doc,
    endpoint,
    in_transaction,
    json_response,
    parse_query,
    read_json,
    runtime_of,
)


def _question_id(request: Request) -> int:
    return int(request.path_params["question_id"])


async def list_questions(request: Request) -> Response:
    query = parse_query(request, shapes.AdminQuery)

    def work(session: Session) -> shapes.AdminPage:
        return reads.admin_page(session, authenticated(request, session), query)

    return json_response(await in_transaction(request, work, readonly=True))


async def get_question(request: Request) -> Response:
    question_id = _question_id(request)

    def work(session: Session) -> shapes.AdminQuestion:
        store = authenticated(request, session)
        return reads.admin_one(session, service.get_question(session, store, question_id))

    return json_response(await in_transaction(request, work, readonly=True))


async def patch_question(request: Request) -> Response:
    data = await read_json(request, shapes.StatusIn)
    question_id, now = _question_id(request), runtime_of(request).now()

    def work(session: Session) -> shapes.AdminQuestion:
        store = authenticated(request, session)
        question = service.set_question_status(session, store, question_id, data.status, now)
        return reads.admin_one(session, question)

    return json_response(await in_transaction(request, work))


async def post_answer(request: Request) -> Response:
    data = await read_json(request, shapes.AnswerIn)
    question_id, now = _question_id(request), runtime_of(request).now()

    def work(session: Session) -> shapes.AdminQuestion:
        store = authenticated(request, session)
        service.answer_as_store(
            session=session,
            store=store,
            question_id=question_id,
            body=data.body,
            name=data.name,
            now=now,
        )
        return reads.admin_one(session, service.get_question(session, store, question_id))

    return json_response(await in_transaction(request, work), 201)


async def patch_answer(request: Request) -> Response:
    data = await read_json(request, shapes.StatusIn)
    question_id, now = _question_id(request), runtime_of(request).now()
    answer_id = int(request.path_params["answer_id"])

    def work(session: Session) -> shapes.AdminQuestion:
        store = authenticated(request, session)
        service.set_answer_status(session, store, question_id, answer_id, data.status, now)
        return reads.admin_one(session, service.get_question(session, store, question_id))

    return json_response(await in_transaction(request, work))


_T = ["questions"]

routes = [
    endpoint(
        "/api/v1/questions",
        list_questions,
        doc=Doc(
            "Product questions of the store with their answers, newest first (every status)",
            tags=_T,
            auth="secret",
            query=shapes.AdminQuery,
            responses={200: shapes.AdminPage},
        ),
        name="questions_list",
    ),
    endpoint(
        "/api/v1/questions/{question_id:int}",
        get_question,
        doc=Doc(
            "One question with every answer",
            tags=_T,
            auth="secret",
            responses={200: shapes.AdminQuestion, 404: "No such question."},
        ),
        name="question_get",
    ),
    endpoint(
        "/api/v1/questions/{question_id:int}",
        patch_question,
        methods=["PATCH"],
        doc=Doc(
            "Publish or reject a question",
            tags=_T,
            auth="secret",
            body=shapes.StatusIn,
            responses={200: shapes.AdminQuestion, 404: "No such question."},
            description="Publishing a question for the first time invites the product's "
            "recent buyers to answer it.",
        ),
        name="question_patch",
    ),
    endpoint(
        "/api/v1/questions/{question_id:int}/answers",
        post_answer,
        methods=["POST"],
        doc=Doc(
            'Answer a question as the store (published at once, marked "shop")',
            tags=_T,
            auth="secret",
            body=shapes.AnswerIn,
            responses={201: shapes.AdminQuestion, 404: "No such question.", 422: "Invalid."},
            description="The asker, when they left an e-mail address, is told of the answer.",
        ),
        name="question_answer",
    ),
    endpoint(
        "/api/v1/questions/{question_id:int}/answers/{answer_id:int}",
        patch_answer,
        methods=["PATCH"],
        doc=Doc(
            "Publish or reject an answer (a buyer's answer held by the rules, or any other)",
            tags=_T,
            auth="secret",
            body=shapes.StatusIn,
            responses={200: shapes.AdminQuestion, 404: "No such answer."},
        ),
        name="answer_patch",
    ),
]
