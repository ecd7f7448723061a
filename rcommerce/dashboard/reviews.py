"""Moderating reviews (approve, reject, reply, feature) and ordering testimonials."""

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
from rcommerce.reviews import manage, rules, testimonials
from rcommerce.reviews.shapes import AdminReviewQuery, ReplyIn, StatusUpdate, TestimonialUpdate
from rcommerce.web import (
    in_transaction,
    runtime_of,
    validate,
)

REVIEW_TABS = ("pending", "received", "published", "rejected", "unpublished")


@manager_page
async def reviews_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)
    status = request.query_params.get("status", "pending")
    if status not in REVIEW_TABS:
        status = "pending"
    cursor = request.query_params.get("cursor") or None

    def work(session: Session) -> tuple[Who, list[Any], str | None]:
        who = auth.current(session, settings, token)
        query = validate(AdminReviewQuery, {"status": status, "cursor": cursor, "limit": 25})
        rows, more = manage.list_admin(session=session, store=who.store, query=query)
        featured = testimonials.featured_ids(session, who.store, rows)
        return who, [(r, r.id in featured) for r in rows], more

    who, rows, more = await in_transaction(request, work, readonly=True)
    return page(
        request,
        who,
        "reviews.html",
        rows=rows,
        status=status,
        tabs=REVIEW_TABS,
        more=more,
        reasons=list(rules.REJECT_REASONS),
    )


def _review_action(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    runtime = runtime_of(request)
    review_id = int(request.path_params["review_id"])
    action = request.path_params["action"]
    now = runtime.now()
    actor = f"manager:{who.manager.email}"[:100]
    if action == "approve":
        manage.manager_update(
            session=session,
            store=who.store,
            review_id=review_id,
            data=StatusUpdate(status="published"),
            actor=actor,
            now=now,
        )
        notice = "approved"
    elif action == "reject":
        manage.manager_update(
            session=session,
            store=who.store,
            review_id=review_id,
            data=validate(
                StatusUpdate,
                {
                    "status": "rejected",
                    "reason": form.get("reason") or None,
                    "note": form.get("note", ""),
                },
            ),
            actor=actor,
            now=now,
        )
        notice = "rejected"
    elif action == "reply":
        body = validate(ReplyIn, {"body": form.get("body", "")}).body
        manage.set_reply(session=session, store=who.store, review_id=review_id, body=body, now=now)
        notice = "replied"
    elif action == "feature":
        manage.feature_review(session=session, store=who.store, review_id=review_id, now=now)
        manage.get_review(session, who.store, review_id)
        notice = "featured"
    else:
        raise NotFound(f"Nothing at {request.url.path}.")
    return back_to(form, "/dashboard/reviews", notice)


review_action = manager_action(_review_action)


@manager_page
async def testimonials_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)

    def work(session: Session) -> tuple[Who, list[Any]]:
        who = auth.current(session, settings, token)
        return who, testimonials.all_testimonials(session, who.store)

    who, rows = await in_transaction(request, work, readonly=True)
    return page(request, who, "testimonials.html", rows=rows, reasons=list(rules.REJECT_REASONS))


@manager_action
def testimonial_action(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    data: dict[str, Any] = {"note": form.get("note", "")}
    if form.get("status"):
        data["status"] = form["status"]
        data["reason"] = form.get("reason") or None
    if form.get("position", "").strip():
        data["position"] = form["position"].strip()
    testimonials.update_testimonial(
        session=session,
        store=who.store,
        testimonial_id=int(request.path_params["testimonial_id"]),
        data=validate(TestimonialUpdate, data),
        now=runtime_of(request).now(),
    )
    return back_to(form, "/dashboard/testimonials", "saved")
