"""The widgets' embed API for product questions (publishable key, the store's origins only,
under /embed/v1): read and search, ask, and vote on answers."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce import privacy, ratelimit
from rcommerce.errors import InvalidInput
from rcommerce.orders import service as orders
from rcommerce.questions import reads, service, shapes
from rcommerce.reviews import votes, widget_cache
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.web import (
    Doc,
    endpoint,
    in_transaction,
    json_response,
    parse_query,
    read_json,
    runtime_of,
)

# The limits of review submissions and votes (rcommerce.reviews.widgets).
ASK_PER_IP = (10, 600)  # (requests, seconds)
ASK_PER_EMAIL = (5, 3600)
VOTES_PER_IP = (60, 60)


def _product_id(request: Request) -> str:
    """The product in the path, as long as a product id may be (a clear 422 otherwise)."""
    product_id = str(request.path_params["product_id"]).strip()
    if not product_id or len(product_id) > 200:
        raise InvalidInput(
            "A product id is 1 to 200 characters.",
            fields=[{"field": "product_id", "message": "1 to 200 characters"}],
        )
    return product_id


async def _limit(runtime: Runtime, scope: str, key: str, rule: tuple[int, int]) -> None:
    await ratelimit.hit(runtime.cache, scope, key, limit=rule[0], window=rule[1], when_down="local")


async def embed_questions(request: Request) -> Response:
    product_id = _product_id(request)
    query = parse_query(request, shapes.QuestionQuery)

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        page = reads.product_page(session, store, product_id, query.q)
        return widget_cache.json_bytes(page.model_dump(mode="json")), "application/json"

    # Cached with the product's reviews: a change to either retires both.
    return await widget_cache.serve(request, product_id, build)


async def embed_ask(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "question-ask-ip", ip, ASK_PER_IP)
    data = await read_json(request, shapes.QuestionIn)
    if data.email:
        email = orders.normalise_email(data.email)
        key = privacy.keyed_hash(runtime.settings, "email", email)
        await _limit(runtime, "question-ask-email", key, ASK_PER_EMAIL)
    if data.phone:
        key = privacy.keyed_hash(runtime.settings, "phone", data.phone)
        await _limit(runtime, "question-ask-phone", key, ASK_PER_EMAIL)
    pk, product_id = (
        str(request.path_params["publishable_key"]),
        str(request.path_params["product_id"]),
    )

    def work(session: Session) -> shapes.Accepted:
        question = service.ask(
            session=session,
            store=store_for_publishable_key(session, pk),
            product_id=product_id,
            data=data,
            ip_hash=ip,
            now=runtime.now(),
        )
        assert question.id is not None
        return shapes.Accepted(id=question.id, status=question.status)

    return json_response(await in_transaction(request, work), 202)


async def embed_vote(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "answer-vote-ip", ip, VOTES_PER_IP)
    data = await read_json(request, shapes.VoteIn)
    pk = str(request.path_params["publishable_key"])
    answer_id = int(request.path_params["answer_id"])

    def work(session: Session) -> shapes.VoteOut:
        store = store_for_publishable_key(session, pk)
        assert store.id is not None
        who = votes.identify(
            runtime.settings,
            store.id,
            header=request.headers.get("x-rc-visitor", ""),
            ip_hash=ip,
            user_agent=request.headers.get("user-agent", ""),
            now=runtime.now(),
        )
        answer = service.vote(
            session=session,
            store=store,
            answer_id=answer_id,
            voter=who.voter,
            helpful=data.helpful,
            ip_hash=who.ip_hash,
            now=runtime.now(),
        )
        return shapes.VoteOut(
            helpful=answer.helpful_count, not_helpful=answer.not_helpful_count, visitor=who.issued
        )

    return json_response(await in_transaction(request, work))


_E = ["embed", "questions"]

routes = [
    endpoint(
        "/{publishable_key}/products/{product_id}/questions",
        embed_questions,
        doc=Doc(
            "A product's published questions and answers; with q, the ones that match and the "
            "matching reviews",
            tags=_E,
            auth="publishable",
            query=shapes.QuestionQuery,
            responses={200: shapes.QuestionPage, 304: "Not modified (ETag)."},
            description="q is matched word by word with diacritics and case ignored, in "
            "Vietnamese or English; a text matches when it holds at least half of the query's "
            "words (the little words of both languages left out).",
        ),
        name="embed_questions",
    ),
    endpoint(
        "/{publishable_key}/products/{product_id}/questions",
        embed_ask,
        methods=["POST"],
        doc=Doc(
            "Ask a question about a product (screened by the reviews' rules at once)",
            tags=_E,
            auth="publishable",
            body=shapes.QuestionIn,
            responses={
                202: shapes.Accepted,
                422: "Invalid, or unknown_product.",
                429: "Too many questions.",
            },
            description="Answers `published`, `pending` (a manager looks first: a link, "
            "personal data, a flood from one network) or `rejected` (spam, abuse, a "
            "duplicate). `email` receives each answer, or without one `phone` (E.164, or a "
            "Vietnamese number as typed) by Zalo ZNS, else SMS; `website` must stay empty.",
        ),
        name="embed_question_ask",
    ),
    endpoint(
        "/{publishable_key}/answers/{answer_id:int}/votes",
        embed_vote,
        methods=["POST"],
        doc=Doc(
            "Helpful / not helpful on an answer (one vote per visitor; voting again changes it)",
            tags=_E,
            auth="publishable",
            body=shapes.VoteIn,
            headers={"X-RC-Visitor": "the signed visitor id a vote answered with"},
            responses={200: shapes.VoteOut, 404: "No such published answer."},
        ),
        name="embed_answer_vote",
    ),
]
