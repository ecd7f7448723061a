"""The referral link's public side: /r/{code}, the hot route that records the click and sends
the friend to the store with a signed rc_ref, and the link's QR codes."""

from __future__ import annotations

import functools
import io

import segno
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from rcommerce import privacy
from rcommerce.advocates import service as advocates
from rcommerce.errors import ApiError, NotFound
from rcommerce.referrals import bots, clicks, links, tokens, visitors
from rcommerce.referrals.links import link_target
from rcommerce.runtime import Runtime
from rcommerce.web import AsgiEndpoint, Doc, endpoint, runtime_of


def _channel(query_string: bytes) -> str:
    for pair in query_string.split(b"&"):
        if pair.startswith(b"ch="):
            return _channel_value(pair[3:13])
    return "direct"


# Cached on the tag itself, not the whole query string: shared links gain a unique fbclid (and
# other trackers' ids) per visit, while channel tags are a handful of words.
@functools.lru_cache(maxsize=64)
def _channel_value(raw: bytes) -> str:
    return clicks.channel_of(raw.decode("latin-1"))


_NO_STORE = [
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-length", b"0"),
]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def click_location(runtime: Runtime, scope: Scope) -> str:
    """Where /r/{code} sends this visitor; records the click when it is a person's.

    The hot path: no database (the link is cached), no Request object, no parsing beyond what
    it needs (see benchmarks/redirect.py)."""
    code = advocates.clean_code(scope["path_params"]["referral_code"])
    link = await link_target(runtime, code)
    if link is None:
        raise UnknownLink("No referral link with this code.")
    landing: str = link["u"]
    if not landing:
        raise ApiError(
            "This store has no landing page yet (set landing_url or an allowed origin).",
            code="no_landing_url",
            status=409,
        )
    user_agent = _header(scope, b"user-agent")
    # Previewers, crawlers, HEAD requests and inactive links land without a referral.
    if scope["method"] != "GET" or not link["on"] or bots.is_bot(user_agent):
        return landing
    settings = runtime.settings
    ip_hash = privacy.keyed_hash(settings, "ip", privacy.scope_client_ip(scope))
    ua_hash = clicks.ua_hash(settings, user_agent or "")
    at = runtime.timestamp()
    unique = await visitors.first_visit(runtime, link["a"], ip_hash, ua_hash, at)
    click_id = clicks.new_click_id(at)
    token = tokens.make_token(link["sig"], link["tp"], click_id, at, ip_hash, ua_hash)
    clicks.record_click(
        runtime,
        link["sp"],
        click_id,
        _channel(scope["query_string"]),
        unique,
        ip_hash,
        (user_agent or "")[:300],
        at,
    )
    return f"{landing}{link['j']}rc_ref={token}"


class UnknownLink(NotFound):
    """No referral link has this code (mistyped, or made up)."""


# A mistyped link whose store cannot be told: a page for the person, never raw JSON. It echoes
# nothing from the request.
STRAY_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>Liên kết giới thiệu không đúng</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;
color:#1f2328}h1{font-size:1.3rem}p{margin:.6rem 0}.en{color:#57606a}</style></head>
<body><main>
<h1>Liên kết giới thiệu này không đúng</h1>
<p>Có thể liên kết bị gõ sai hoặc bị cắt mất một phần. Hãy kiểm tra lại mã, hoặc nhờ người
đã gửi cho bạn gửi lại liên kết.</p>
<p class="en" lang="en">This referral link is not valid: it may have been mistyped or cut
short. Check the code, or ask the friend who sent it to send it again.</p>
</main></body></html>
""".encode()


def _wants_json(scope: Scope) -> bool:
    accept = _header(scope, b"accept") or ""
    return "application/json" in accept and "text/html" not in accept


async def _stray(runtime: Runtime, scope: Scope, send: Send) -> None:
    """A mistyped referral link: the visitor lands on the store without rc_ref (nobody is
    credited) when the store can be told, else gets a small page; an API client, JSON."""
    if _wants_json(scope):
        raise UnknownLink("No referral link with this code.")
    code = advocates.clean_code(scope["path_params"]["referral_code"])
    landing = await links.stray_landing(runtime, code)
    if landing:
        start = {"status": 302, "headers": [(b"location", landing.encode("latin-1")), *_NO_STORE]}
        body = b""
    else:
        headers = [(b"content-type", b"text/html; charset=utf-8"), *_NO_STORE[:2]]
        headers.append((b"content-length", str(len(STRAY_PAGE)).encode()))
        start, body = {"status": 404, "headers": headers}, STRAY_PAGE
    await send({"type": "http.response.start", **start})
    await send({"type": "http.response.body", "body": body})


async def _redirect(scope: Scope, receive: Receive, send: Send) -> None:
    """/r/{code}: the 302 sent as two ASGI messages."""
    runtime = scope["app"].state.runtime
    try:
        location = await click_location(runtime, scope)
    except UnknownLink:
        await _stray(runtime, scope, send)
        return
    await send(
        {
            "type": "http.response.start",
            "status": 302,
            "headers": [(b"location", location.encode("latin-1")), *_NO_STORE],
        }
    )
    await send({"type": "http.response.body", "body": b""})


redirect = AsgiEndpoint(_redirect)


def _qr(request: Request, kind: str) -> Response:
    runtime = runtime_of(request)
    code = advocates.clean_code(request.path_params["referral_code"])
    with runtime.transaction(readonly=True) as session:
        advocate = advocates.by_code(session, code)
        if advocate is None or advocate.status == "erased":
            raise NotFound("No referral link with this code.")
        url = advocates.referral_url(runtime.settings, advocate) + "?ch=qr"
    qr = segno.make(url, error="m")
    out = io.BytesIO()
    headers = {"Cache-Control": "public, max-age=86400"}
    if kind == "svg":
        qr.save(out, kind="svg", scale=6, border=2, xmldecl=False, title="QR")
        return Response(out.getvalue(), media_type="image/svg+xml", headers=headers)
    qr.save(out, kind="png", scale=8, border=2)
    return Response(out.getvalue(), media_type="image/png", headers=headers)


async def qr_svg(request: Request) -> Response:
    return await run_in_threadpool(_qr, request, "svg")


async def qr_png(request: Request) -> Response:
    return await run_in_threadpool(_qr, request, "png")


# The redirect is the hottest path: as a hot route (rcommerce.app.HotPaths) it is answered
# before the middleware stack and the router.
redirect_route = endpoint(
    "/r/{referral_code}",
    redirect,
    doc=Doc(
        "Follow a referral link",
        tags=["referrals"],
        description=(
            "302 to the store's landing URL with a signed rc_ref; the click is recorded "
            "(bots, link previewers and HEAD requests land without one and are not counted). "
            "Optional ?ch=zalo|facebook|messenger|whatsapp|sms|email|qr|copy tags the channel."
        ),
        responses={
            302: "To the store, with rc_ref (an unknown code: to its store, without one).",
            404: "Unknown code whose store cannot be told: a small HTML page (JSON when the "
            "client accepts only application/json).",
        },
    ),
    name="referral_redirect",
)
hot_routes = [redirect_route]

routes = [
    endpoint(
        "/r/{referral_code}/qr.svg",
        qr_svg,
        doc=Doc(
            "QR code of a referral link (SVG)",
            tags=["referrals"],
            responses={200: "image/svg+xml"},
        ),
        name="referral_qr_svg",
    ),
    endpoint(
        "/r/{referral_code}/qr.png",
        qr_png,
        doc=Doc(
            "QR code of a referral link (PNG)", tags=["referrals"], responses={200: "image/png"}
        ),
        name="referral_qr_png",
    ),
]
