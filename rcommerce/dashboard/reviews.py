"""Moderating reviews (approve, reject, reply, feature; what is held or flagged, by rating, and
the reviews' photos) and ordering testimonials."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import FileResponse, Response

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
from rcommerce.reviews import manage, photos, rules, serialise, testimonials, videos
from rcommerce.reviews.shapes import AdminReviewQuery, ReplyIn, StatusUpdate, TestimonialUpdate
from rcommerce.stores import service as stores
from rcommerce.stores.models import StoreUpdate
from rcommerce.web import (
    in_transaction,
    runtime_of,
    validate,
)

REVIEW_TABS = (
    "pending",
    "flagged",
    "received",
    "unconfirmed",
    "published",
    "rejected",
    "unpublished",
)
# The reviews page's own words (vi, en).
WORDS: dict[str, tuple[str, str]] = {
    "status_flagged": ("Đã đăng, cần xem", "Published, flagged"),
    "status_unconfirmed": ("Chờ người viết xác nhận", "Awaiting the author"),
    "held_by_rating": ("Đang chờ duyệt / được gắn cờ, theo số sao", "Held / flagged, by rating"),
    "held": ("Chờ duyệt", "Held"),
    "flagged": ("Gắn cờ", "Flagged"),
    "held_note": (
        "Đánh giá chờ duyệt sẽ tự động được đăng sau {hours} giờ nếu không ai quyết định.",
        "A held review is published automatically after {hours} hours unless someone decides.",
    ),
    "photos": ("Ảnh", "Photos"),
    "video": ("Video", "Video"),
    "incentivized": ("Đã nhận ưu đãi", "Incentivised review"),
    "review_settings": ("Cài đặt đánh giá", "Review settings"),
    "review_hold_hours": (
        "Đăng đánh giá chờ duyệt sau (giờ, nếu không ai quyết định)",
        "Publish a held review after (hours, unless someone decides)",
    ),
    "unverified_reviews": (
        "Đánh giá gửi từ widget không kèm liên kết xin đánh giá",
        "Widget reviews without a review-request link",
    ),
    "unverified_publish": (
        "Đăng ngay, ghi là chưa xác minh",
        "Publish at once, marked unverified",
    ),
    "unverified_confirm": (
        "Chờ người viết bấm liên kết xác nhận gửi qua e-mail",
        "Wait for the author to click the confirmation link e-mailed to them",
    ),
    "products_from_api_only": (
        "Chỉ nhận sản phẩm từ API (widget không tạo sản phẩm mới)",
        "Products only from the API (widgets create none)",
    ),
    "save": ("Lưu", "Save"),
}


def words(locale: str) -> Any:
    index = 0 if locale == "vi" else 1
    return lambda key: WORDS[key][index] if key in WORDS else key


@manager_page
async def reviews_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)
    status = request.query_params.get("status", "pending")
    if status not in REVIEW_TABS:
        status = "pending"
    cursor = request.query_params.get("cursor") or None

    def work(session: Session) -> tuple[Who, list[Any], str | None, Any]:
        who = auth.current(session, settings, token)
        wanted = (
            {"status": "published", "flagged": True} if status == "flagged" else {"status": status}
        )
        query = validate(AdminReviewQuery, {**wanted, "cursor": cursor, "limit": 25})
        rows, more = manage.list_admin(session=session, store=who.store, query=query)
        featured = testimonials.featured_ids(session, who.store, rows)
        pictures = serialise.photos_of(session, rows)
        listed = [(r, r.id in featured, pictures.get(r.id or 0, [])) for r in rows]
        return who, listed, more, manage.held_counts(session, who.store)

    who, rows, more, held = await in_transaction(request, work, readonly=True)
    return page(
        request,
        who,
        "reviews.html",
        rows=rows,
        status=status,
        tabs=REVIEW_TABS,
        more=more,
        held=held,
        rt=words(who.locale),
        reasons=list(rules.REJECT_REASONS),
    )


@manager_action
def save_review_settings(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    """The store's review settings, checked like PATCH /api/v1/store checks them."""
    raw = {
        "review_hold_hours": form.get("review_hold_hours", ""),
        "unverified_reviews": form.get("unverified_reviews", ""),
        "products_from_api_only": form.get("products_from_api_only") == "1",
    }
    changes = validate(StoreUpdate, raw).model_dump(exclude_unset=True)
    stores.update_store(session=session, store=who.store, changes=changes)
    return back_to(form, "/dashboard/reviews", "saved")


@manager_page
async def review_photo(request: Request) -> Response:
    """A review's photo for its store's managers, whatever the review's status."""
    settings, token = settings_of(request), session_cookie(request)
    photo_id = str(request.path_params["photo_id"])

    def work(session: Session) -> Any:
        who = auth.current(session, settings, token)
        return photos.store_photo_of(session, who.store, photo_id)

    photo = await in_transaction(request, work, readonly=True)
    path = photos.photo_path(runtime_of(request).settings, photo)
    if not path.exists():
        raise NotFound("No such photo.")
    return FileResponse(
        path,
        media_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=3600", "Content-Security-Policy": "sandbox"},
    )


@manager_page
async def review_video(request: Request) -> Response:
    """A review's video for its store's managers, whatever the review's status."""
    settings, token = settings_of(request), session_cookie(request)
    video_id = str(request.path_params["video_id"])

    def work(session: Session) -> Any:
        who = auth.current(session, settings, token)
        return videos.store_video_of(session, who.store, video_id)

    video = await in_transaction(request, work, readonly=True)
    path = videos.video_path(runtime_of(request).settings, video)
    if not path.exists():
        raise NotFound("No such video.")
    return FileResponse(
        path,
        media_type=video.content_type,
        headers={"Cache-Control": "private, max-age=3600", "Content-Security-Policy": "sandbox"},
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
