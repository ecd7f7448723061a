"""Reviews' HTML pages: the review form a review-request e-mail links to (with photos and a
video a product), the pages of the confirmation links (edit, verified purchase), the
unsubscribe page, and the photos of published reviews."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from rcommerce import privacy, ratelimit
from rcommerce.errors import ApiError, InvalidInput, NotFound
from rcommerce.orders.models import Order
from rcommerce.reviews import confirmations, photos, requests, submission, videos
from rcommerce.reviews.i18n import strings
from rcommerce.reviews.models import Review
from rcommerce.stores.models import Store
from rcommerce.templating import render
from rcommerce.web import Doc, check_storable, endpoint, in_transaction, link_page, runtime_of

FORM_PER_IP = (30, 600)  # (requests, seconds)
CONFIRM_PER_IP = (30, 600)
FORM_MAX_FILES = 10  # photos in one form post, all products together
FORM_MAX_VIDEOS = 5  # videos in one form post: one a product, as many products as that


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return link_page(render(template, **context), status)


def _link_error(exc: ApiError, locale: str | None) -> HTMLResponse:
    t = strings(locale)
    kind = {"link_used": "used", "token_expired": "expired"}.get(exc.code, "invalid")
    return _page(
        "reviews/message.html",
        exc.status,
        lang=locale or "vi",
        title=t[f"{kind}_title"],
        body=t[f"{kind}_body"],
        action=None,
    )


def _earlier(session: Session, form: requests.Form) -> dict[str, str]:
    """The form's fields filled with the reviews this link already made (to edit them)."""
    values: dict[str, str] = {}
    # A buyer known by phone has no e-mail on their reviews: theirs are the ones of this order.
    whose = (
        Review.email == form.request.email
        if form.request.email is not None
        else Review.order_pk == form.request.order_pk
    )
    for i, item in enumerate(form.items):
        review = session.exec(
            select(Review).where(
                Review.store_id == form.store.id, Review.product_id == item.product_id, whose
            )
        ).first()
        if review is not None:
            values.update(
                {f"rating-{i}": str(review.rating), f"title-{i}": review.title,
                 f"body-{i}": review.body, "name": review.author_name}
            )  # fmt: skip
    return values


async def write_form(request: Request) -> Response:
    runtime = runtime_of(request)
    token = str(request.path_params["token"])

    def load(session: Session) -> tuple[requests.Form, dict[str, str]]:
        form = requests.open_form(session, runtime.settings, token, runtime.now(), allow_used=True)
        return form, _earlier(session, form) if form.request.used_at else {}

    try:
        form, values = await in_transaction(request, load, readonly=True)
    except ApiError as exc:
        return _link_error(exc, None)
    note = strings(form.store.locale)["edit_note"] if values else None
    return _write_page(request, form.store, form.order, form.items, values, None, 200, note=note)


def _write_page(
    request: Request,
    store: Store,
    order: Order,
    items: list[requests.FormItem],
    values: dict[str, str],
    error: str | None,
    status: int,
    *,
    note: str | None = None,
) -> HTMLResponse:
    return _page(
        "reviews/write.html",
        status,
        lang=store.locale,
        t=strings(store.locale),
        store=store,
        order=order,
        items=items,
        name=order.customer_name,
        values=values,
        error=error,
        note=note,
        max_photos=photos.MAX_PHOTOS_PER_REVIEW,
        video_mb=runtime_of(request).settings.max_video_bytes // 1_000_000,
        video_seconds=runtime_of(request).settings.max_video_seconds,
        action=str(request.url.path),
    )


_FORM_FIELD = re.compile(r"(product|rating|title|body)-([0-9]{1,3})")
_PHOTO_FIELD = re.compile(r"photos-([0-9]{1,3})")
_VIDEO_FIELD = re.compile(r"video-([0-9]{1,3})")
Processed = tuple[bytes, int, int]
Clip = tuple[bytes, str, float]


def _form_answers(
    values: dict[str, str],
    pictures: dict[int, list[Processed]] | None = None,
    clips: dict[int, Clip] | None = None,
) -> submission.FormAnswers:
    """The review form's fields (``rating-0``, ``body-0``, ``photos-0``, ``video-0`` ... one
    group a product)."""
    groups: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        match = _FORM_FIELD.fullmatch(key)
        if match is not None:
            groups.setdefault(int(match[2]), {})[match[1]] = value
    entries = []
    for i in range(max(groups, default=-1) + 1):
        group = groups.get(i, {})
        entries.append(
            submission.FormEntry(
                product_id=group.get("product", ""),
                rating=group.get("rating", ""),
                title=group.get("title", ""),
                body=group.get("body", ""),
                photos=(pictures or {}).get(i, []),
                video=(clips or {}).get(i),
            )
        )
    return submission.FormAnswers(
        entries=entries,
        name=values.get("name", ""),
        honeypot=bool(values.get("website", "").strip()),
        testimonial_consent=values.get("consent") == "1",
    )


async def write_submit(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await ratelimit.hit(
        runtime.cache,
        "review-form-ip",
        ip,
        limit=FORM_PER_IP[0],
        window=FORM_PER_IP[1],
        when_down="local",
    )
    token = str(request.path_params["token"])
    limit = runtime.settings.max_upload_bytes
    video_limit = runtime.settings.max_video_bytes
    declared = request.headers.get("content-length", "")
    most = FORM_MAX_FILES * limit + FORM_MAX_VIDEOS * video_limit + 1_000_000
    if not declared.isdigit() or int(declared) > most:
        raise ApiError("The form is too large.", code="too_large", status=413)
    posted: FormData = await request.form(
        max_files=FORM_MAX_FILES + FORM_MAX_VIDEOS, max_fields=200, max_part_size=20_000
    )
    values = {k: v for k, v in posted.items() if isinstance(v, str)}
    pictures: dict[int, list[Processed]] = {}
    clips: dict[int, Clip] = {}
    bad: str | None = None
    try:
        for key, upload in posted.multi_items():
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue
            photo, video = _PHOTO_FIELD.fullmatch(key), _VIDEO_FIELD.fullmatch(key)
            if photo is not None:
                bad = "bad_photo"
                data = await upload.read(limit + 1)
                if data:
                    # Re-encoded like a widget upload, off the event loop, before the
                    # transaction.
                    made = await run_in_threadpool(photos.process, runtime.settings, data)
                    pictures.setdefault(int(photo[1]), []).append(made)
            elif video is not None:
                bad = "bad_video"
                data = await upload.read(video_limit + 1)
                if data:
                    if int(video[1]) in clips:
                        raise InvalidInput("A review has one video.")
                    # Sniffed and capped as the widget's upload is (reviews/videos.py): the
                    # bytes must be the MP4 or WebM the browser says they are.
                    kind = (upload.content_type or "").split(";")[0].strip().lower()
                    kind, seconds = await run_in_threadpool(
                        videos.check, runtime.settings, kind, data
                    )
                    clips[int(video[1])] = (data, kind, seconds)
            bad = None
    except ApiError:
        pictures, clips = {}, {}
    finally:
        await posted.close()
    check_storable(values)
    answers = _form_answers(values, pictures, clips)
    if bad:  # nothing is saved: the buyer picks other files and sends again
        try:
            form = await in_transaction(
                request,
                lambda s: requests.open_form(
                    s, runtime.settings, token, runtime.now(), allow_used=True
                ),
                readonly=True,
            )
        except ApiError as exc:
            return _link_error(exc, None)
        t = strings(form.store.locale)
        message = t[bad].format(
            mb=runtime.settings.max_video_bytes // 1_000_000,
            seconds=runtime.settings.max_video_seconds,
        )
        return _write_page(request, form.store, form.order, form.items, values, message, 422)

    def work(session: Session) -> tuple[requests.Form, bool]:
        form, reviews = submission.submit_request_form(
            session=session,
            settings=runtime.settings,
            token=token,
            answers=answers,
            ip_hash=ip,
            now=runtime.now(),
        )
        return form, bool(reviews)

    try:
        form, submitted = await in_transaction(request, work)
    except ApiError as exc:
        if exc.code in ("link_used", "token_expired", "token_invalid"):
            return _link_error(exc, None)
        raise
    store, t = form.store, strings(form.store.locale)
    if not submitted:
        return _write_page(request, store, form.order, form.items, values, t["need_one"], 422)

    return _page(
        "reviews/message.html",
        200,
        lang=store.locale,
        title=t["thanks_title"],
        body=t["thanks_body"],
        action=None,
    )


async def confirmation_page(request: Request) -> Response:
    """A confirmation link: a GET shows what it confirms and asks (mail scanners follow links
    and must confirm nothing), a POST confirms."""
    runtime = runtime_of(request)
    token = str(request.path_params["token"])
    edit = request.url.path.startswith("/reviews/edit/")
    if request.method == "POST":
        await ratelimit.hit(
            runtime.cache,
            "review-confirm-ip",
            privacy.ip_hash(runtime.settings, request),
            limit=CONFIRM_PER_IP[0],
            window=CONFIRM_PER_IP[1],
            when_down="local",
        )

        def work(session: Session) -> confirmations.Pending:
            return confirmations.confirm(
                session, runtime.settings, token, edit=edit, now=runtime.now()
            )

        try:
            done = await in_transaction(request, work)
        except ApiError as exc:
            return _link_error(exc, None)
        t = strings(done.store.locale)
        return _page(
            "reviews/message.html",
            200,
            lang=done.store.locale,
            title=t["confirmed_title"],
            body=t[f"confirmed_{done.confirmation.purpose}"],
            action=None,
        )

    def load(session: Session) -> confirmations.Pending:
        return confirmations.pending(session, runtime.settings, token, edit=edit, now=runtime.now())

    try:
        shown = await in_transaction(request, load, readonly=True)
    except ApiError as exc:
        return _link_error(exc, None)
    t = strings(shown.store.locale)
    purpose = shown.confirmation.purpose
    text = shown.confirmation.payload if purpose == "edit" else shown.review
    return _page(
        "reviews/confirm.html",
        200,
        lang=shown.store.locale,
        t=t,
        store=shown.store,
        title=t["confirm_edit_title" if purpose == "edit" else "confirm_title"],
        intro=t[f"confirm_{purpose}_intro"].format(product=shown.subject, store=shown.store.name),
        review=text,
        action=str(request.url.path),
    )


async def unsubscribe_page(request: Request) -> Response:
    runtime = runtime_of(request)
    token = str(request.path_params["token"])
    try:
        store, email = await in_transaction(
            request,
            lambda session: requests.unsubscribe_target(session, runtime.settings, token),
            readonly=True,
        )
    except ApiError as exc:
        return _link_error(exc, None)
    store_id = store.id
    assert store_id is not None
    t = strings(store.locale)
    if request.method == "POST":

        def work(session: Session) -> None:
            requests.opt_out(session=session, store_id=store_id, email=email, now=runtime.now())

        await in_transaction(request, work)
        return _page(
            "reviews/message.html",
            200,
            lang=store.locale,
            title=t["unsub_title"],
            body=t["unsub_done"].format(store=store.name),
            action=None,
        )
    # A GET only asks: mail scanners follow links, and must not unsubscribe anyone.
    return _page(
        "reviews/message.html",
        200,
        lang=store.locale,
        title=t["unsub_title"],
        body=t["unsub_body"].format(store=store.name),
        action=str(request.url.path),
        button=t["unsub_confirm"],
    )


async def photo_file(request: Request) -> Response:
    runtime = runtime_of(request)
    photo_id = str(request.path_params["photo_id"])
    if len(photo_id) != 32 or not all(c in "0123456789abcdef" for c in photo_id):
        raise NotFound("No such photo.")

    photo = await in_transaction(
        request, lambda session: photos.published_photo(session, photo_id), readonly=True
    )
    path = photos.photo_path(runtime.settings, photo)
    if not path.exists():
        raise NotFound("No such photo.")
    return FileResponse(
        path,
        media_type="image/jpeg",
        headers={"Cache-Control": "public, max-age=86400", "Content-Security-Policy": "sandbox"},
    )


async def video_file(request: Request) -> Response:
    """A published review's video, with Range requests answered (seeking)."""
    runtime = runtime_of(request)
    video_id = str(request.path_params["video_id"])
    if len(video_id) != 32 or not all(c in "0123456789abcdef" for c in video_id):
        raise NotFound("No such video.")
    video = await in_transaction(
        request, lambda session: videos.published_video(session, video_id), readonly=True
    )
    path = videos.video_path(runtime.settings, video)
    if not path.exists() or request.path_params["extension"] != path.suffix[1:]:
        raise NotFound("No such video.")
    return FileResponse(
        path,
        media_type=video.content_type,
        headers={
            "Cache-Control": "public, max-age=86400",
            "Content-Security-Policy": "sandbox",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def video_poster(request: Request) -> Response:
    """The play tile a widget shows among a published review's photos (one picture for all:
    nothing is decoded from the video)."""
    video_id = str(request.path_params["video_id"])
    if len(video_id) != 32 or not all(c in "0123456789abcdef" for c in video_id):
        raise NotFound("No such video.")
    video = await in_transaction(
        request, lambda session: videos.published_video(session, video_id), readonly=True
    )
    if request.path_params["extension"] != video.filename.rsplit(".", 1)[-1]:
        raise NotFound("No such video.")
    return Response(
        videos.POSTER,
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400", "Content-Security-Policy": "sandbox"},
    )


# ---- declarations --------------------------------------------------------------------------

routes = [
    endpoint(
        "/reviews/write/{token}",
        write_form,
        doc=Doc(
            "The review form a review request links to (e-mail, Zalo, SMS; HTML)",
            tags=["pages"],
            responses={200: "text/html", 400: "Invalid or expired link.", 410: "Link used."},
        ),
        name="review_form",
    ),
    endpoint(
        "/reviews/write/{token}",
        write_submit,
        methods=["POST"],
        doc=Doc(
            "Send the review form (HTML form post, photos and one video a product allowed); "
            "spends the link, and a spent link edits the reviews it made",
            tags=["pages"],
            body_type="multipart/form-data",
            responses={200: "text/html", 410: "Link used."},
        ),
        name="review_form_submit",
    ),
    endpoint(
        "/reviews/confirm/{token}",
        confirmation_page,
        methods=["GET", "POST"],
        doc=Doc(
            "Confirm a review as its author's: a verified purchase, or a review the store "
            "publishes once confirmed (GET asks, POST confirms; the link works once)",
            tags=["pages"],
            body_type="application/x-www-form-urlencoded",
            responses={200: "text/html", 400: "Invalid or expired link.", 410: "Link used."},
        ),
        name="review_confirm",
    ),
    endpoint(
        "/reviews/edit/{token}",
        confirmation_page,
        methods=["GET", "POST"],
        doc=Doc(
            "Confirm an edit of one's review (GET shows it and asks, POST applies it; once)",
            tags=["pages"],
            body_type="application/x-www-form-urlencoded",
            responses={200: "text/html", 400: "Invalid or expired link.", 410: "Link used."},
        ),
        name="review_edit_confirm",
    ),
    endpoint(
        "/reviews/unsubscribe/{token}",
        unsubscribe_page,
        methods=["GET", "POST"],
        doc=Doc(
            "Stop review-request e-mails (GET asks, POST confirms; RFC 8058 one-click)",
            tags=["pages"],
            responses={200: "text/html"},
        ),
        name="review_unsubscribe",
    ),
    endpoint(
        "/media/reviews/{photo_id}.jpg",
        photo_file,
        doc=Doc(
            "A photo of a published review",
            tags=["reviews"],
            responses={200: "image/jpeg", 404: "No such photo."},
        ),
        name="review_photo",
    ),
    endpoint(
        "/media/review-videos/{video_id}.{extension}/poster.svg",
        video_poster,
        doc=Doc(
            "The play tile of a published review's video (widgets show it among its photos)",
            tags=["reviews"],
            responses={200: "image/svg+xml", 404: "No such video."},
        ),
        name="review_video_poster",
    ),
    endpoint(
        "/media/review-videos/{video_id}.{extension}",
        video_file,
        doc=Doc(
            "The video of a published review (Range requests answered)",
            tags=["reviews"],
            responses={
                200: "video/mp4 or video/webm",
                206: "Part of it (Range).",
                404: "No such video.",
            },
        ),
        name="review_video",
    ),
]
