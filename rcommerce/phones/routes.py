"""The opt-out link an SMS carries: ``GET /o/{token}`` asks (link previewers and in-app
browsers open links on their own), ``POST`` records the phone's opt-out."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from rcommerce import ratelimit, signing
from rcommerce.phones import service
from rcommerce.privacy import ip_hash
from rcommerce.stores.models import Store
from rcommerce.templating import render
from rcommerce.web import Doc, endpoint, in_transaction, link_page, runtime_of

OPT_OUT_PER_IP_PER_MINUTE = 30

_TEXT = {
    "vi": {
        "title": "Từ chối nhận tin",
        "ask": "Số {phone} sẽ không nhận thêm tin nhắn xin đánh giá hay tin giới thiệu từ {store}.",
        "button": "Xác nhận",
        "done": "Đã xong. Số {phone} sẽ không nhận thêm tin nhắn như vậy từ {store}.",
        "invalid": "Liên kết này không hợp lệ hoặc đã hết hạn.",
    },
    "en": {
        "title": "Stop messages",
        "ask": "{phone} will get no more review requests or referral-programme messages from "
        "{store}.",
        "button": "Confirm",
        "done": "Done. {phone} will get no more such messages from {store}.",
        "invalid": "This link is not valid or has expired.",
    },
}


def _page(status: int, lang: str, **context: object) -> HTMLResponse:
    return link_page(render("phones/opt_out.html", lang=lang, **context), status)


def _masked(phone: str) -> str:
    """``+84901234567`` -> ``+84•••••4567``: the page need not spell out the whole number."""
    return phone[:3] + "•" * max(len(phone) - 7, 0) + phone[-4:]


async def opt_out_page(request: Request) -> Response:
    runtime = runtime_of(request)
    await ratelimit.hit(
        runtime.cache,
        "phone-opt-out",
        ip_hash(runtime.settings, request),
        limit=OPT_OUT_PER_IP_PER_MINUTE,
        window=60,
        when_down="local",
    )
    token = str(request.path_params["token"])
    try:
        store_id, phone = service.read_opt_out(runtime.settings, token)
    except (signing.TokenInvalid, signing.TokenExpired):
        t = _TEXT["vi"]
        return _page(400, "vi", title=t["title"], body=t["invalid"], action=None)

    def work(session: Session) -> Store | None:
        store = session.get(Store, store_id)
        if store is not None and request.method == "POST":
            service.opt_out(session, store_id=store_id, phone=phone, now=runtime.now())
        return store

    store = await in_transaction(request, work, readonly=request.method != "POST")
    lang = "en" if store is not None and store.locale == "en" else "vi"
    t = _TEXT[lang]
    if store is None:
        return _page(400, lang, title=t["title"], body=t["invalid"], action=None)
    values = {"phone": _masked(phone), "store": store.name}
    if request.method == "POST":
        return _page(200, lang, title=t["title"], body=t["done"].format(**values), action=None)
    return _page(
        200,
        lang,
        title=t["title"],
        body=t["ask"].format(**values),
        action=str(request.url.path),
        button=t["button"],
    )


routes = [
    endpoint(
        "/o/{token}",
        opt_out_page,
        methods=["GET", "POST"],
        doc=Doc(
            "Stop a store's review requests and programme messages to a phone (the link an SMS "
            "carries; GET asks, POST confirms)",
            tags=["pages"],
            responses={200: "text/html", 400: "Invalid or expired link."},
        ),
        name="phone_opt_out",
    ),
]
