"""Product questions in the dashboard: what waits for a decision, what is published, answering
as the shop, and publishing or rejecting questions and buyers' answers."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.dashboard import auth
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.pages import (
    back_to,
    manager_action,
    manager_page,
    page,
    session_cookie,
    settings_of,
)
from rcommerce.errors import NotFound
from rcommerce.questions import reads, service
from rcommerce.questions.shapes import AdminPage, AdminQuery, AnswerIn
from rcommerce.web import in_transaction, runtime_of, validate

TABS = ("pending", "published", "rejected")
# The questions page's own words (vi, en).
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Hỏi đáp sản phẩm", "Product questions"),
    "pending": ("Chờ duyệt", "Waiting"),
    "published": ("Đã đăng", "Published"),
    "rejected": ("Đã từ chối", "Rejected"),
    "note": (
        "Người mua đã xác minh của sản phẩm được mời trả lời khi câu hỏi được đăng (mỗi người "
        "tối đa một lần mỗi tuần). Người hỏi nhận e-mail khi có câu trả lời.",
        "A product's verified buyers are invited to answer once a question is published (each "
        "at most once a week). The asker is e-mailed each answer.",
    ),
    "answer": ("Trả lời với tư cách cửa hàng", "Answer as the shop"),
    "send": ("Gửi câu trả lời", "Send the answer"),
    "publish": ("Đăng", "Publish"),
    "reject": ("Từ chối", "Reject"),
    "no_answers": ("Chưa có câu trả lời.", "No answers yet."),
    "product": ("Sản phẩm", "Product"),
}


def words(locale: str) -> Any:
    index = 0 if locale == "vi" else 1
    return lambda key: WORDS[key][index] if key in WORDS else key


@manager_page
async def questions_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)
    status = request.query_params.get("status", "pending")
    if status not in TABS:
        status = "pending"

    def work(session: Session) -> tuple[Who, AdminPage]:
        who = auth.current(session, settings, token)
        query = AdminQuery(status=status, limit=100)
        return who, reads.admin_page(session, who.store, query)

    who, listed = await in_transaction(request, work, readonly=True)
    return page(
        request,
        who,
        "questions.html",
        rows=listed.questions,
        status=status,
        tabs=TABS,
        qt=words(who.locale),
    )


def _question_action(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    now = runtime_of(request).now()
    question_id = int(request.path_params["question_id"])
    action = request.path_params["action"]
    if action == "answer":
        data = validate(AnswerIn, {"body": form.get("body", "")})
        service.answer_as_store(
            session=session, store=who.store, question_id=question_id, body=data.body,
            name=who.store.name, now=now,
        )  # fmt: skip
        notice = "answered"
    elif action in ("published", "rejected"):
        answer_id = form.get("answer", "")
        if answer_id.isdigit():
            service.set_answer_status(session, who.store, question_id, int(answer_id), action, now)
        else:
            service.set_question_status(session, who.store, question_id, action, now)
        notice = "saved"
    else:
        raise NotFound(f"Nothing at {request.url.path}.")
    return back_to(form, "/dashboard/questions", notice)


question_action = manager_action(_question_action)
