"""The page an answer invitation links to: a GET shows the question and the form (mail scanners
that follow links answer nothing), a POST spends the link on the buyer's answer."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from rcommerce import privacy, ratelimit
from rcommerce.errors import ApiError
from rcommerce.questions import invitations
from rcommerce.questions.i18n import strings
from rcommerce.questions.models import Answer
from rcommerce.questions.service import PUBLISHED
from rcommerce.templating import render
from rcommerce.web import (
    Doc,
    check_storable,
    endpoint,
    in_transaction,
    link_page,
    read_body,
    runtime_of,
)

ANSWER_PER_IP = (30, 600)  # (requests, seconds)
FORM_LIMIT = 16 * 1024


def _page(status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("store", None)
    context.setdefault("question", None)
    context.setdefault("form", False)
    context.setdefault("body", "")
    return link_page(render("questions/answer.html", **context), status)


def _link_error(exc: ApiError) -> HTMLResponse:
    t = strings(None)
    kind = {"link_used": "used", "token_expired": "expired"}.get(exc.code, "invalid")
    return _page(exc.status, lang="vi", t=t, title=t[f"{kind}_title"], body=t[f"{kind}_body"])


async def answer_page(request: Request) -> Response:
    runtime = runtime_of(request)
    raw = str(request.path_params["token"])
    if len(raw) > 1000:
        return _link_error(ApiError("This link is not valid.", code="token_invalid", status=400))
    values: dict[str, str] = {}
    if request.method == "POST":
        await ratelimit.hit(
            runtime.cache,
            "answer-invite-ip",
            privacy.ip_hash(runtime.settings, request),
            limit=ANSWER_PER_IP[0],
            window=ANSWER_PER_IP[1],
            when_down="local",
        )
        posted = await read_body(request, FORM_LIMIT)
        values = dict(parse_qsl(posted.decode("utf-8", errors="replace"), keep_blank_values=True))
        check_storable(values)

        def work(session: Session) -> tuple[Answer, str]:
            answer = invitations.answer_by_invitation(
                session,
                runtime.settings,
                raw,
                name=values.get("name", "")[:100],
                body=values.get("body", ""),
                now=runtime.now(),
            )
            return answer, invitations.locale_of(session, answer)

        try:
            answer, locale = await in_transaction(request, work)
        except ApiError as exc:
            if exc.code in ("link_used", "token_expired", "token_invalid"):
                return _link_error(exc)
            if exc.status != 422:
                raise
            error = exc
        else:
            t = strings(locale)
            held = answer.status != PUBLISHED
            return _page(
                lang=locale,
                t=t,
                title=t["thanks_title"],
                body=t["held_body" if held else "thanks_body"],
            )
    else:
        error = None

    def load(session: Session) -> invitations.Opened:
        return invitations.open_invitation(session, runtime.settings, raw)

    try:
        opened = await in_transaction(request, load, readonly=True)
    except ApiError as exc:
        return _link_error(exc)
    t = strings(opened.store.locale)
    return _page(
        422 if error else 200,
        lang=opened.store.locale,
        t=t,
        store=opened.store,
        question=opened.question,
        title=t["page_title"].format(product=opened.product),
        form=True,
        error=t["error_body"] if error else None,
        name=values.get("name") or opened.invitation.name,
        text=values.get("body", ""),
    )


routes = [
    endpoint(
        "/questions/answer/{token}",
        answer_page,
        methods=["GET", "POST"],
        doc=Doc(
            "Answer a product question as a verified buyer, from an invitation e-mail (GET "
            "shows the question and the form, POST sends the answer; the link works once)",
            tags=["pages"],
            body_type="application/x-www-form-urlencoded",
            responses={
                200: "text/html",
                400: "Invalid or expired link.",
                410: "Link used.",
                422: "The answer is too short or too long.",
            },
        ),
        name="question_answer_page",
    ),
]
