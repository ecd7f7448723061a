"""The embed API's CORS policy: a store's widgets answer only on the store's allowed origins.

Mounted over /embed/v1. The publishable key in the path names the store; a browser request
from an origin the store did not allow gets a 403 and no data, and preflights are answered
here. Requests without an Origin (server-side rendering, crawlers) may read but not write.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcommerce.runtime import Runtime
from rcommerce.stores.service import Entry, local_entry, store_entry
from rcommerce.web import error_response

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = (
    "Content-Type, Accept, Accept-Language, X-RC-Visitor, Authorization, Idempotency-Key"
)


async def lookup(runtime: Runtime, publishable_key: str) -> Entry | None:
    """The store's id and origins without leaving the event loop when the process holds them
    (the in-memory cache, or distributed mode's near copy): only a miss, which reads Redis or
    the database, goes to a worker thread."""
    found, entry = local_entry(runtime, publishable_key)
    if found:
        return entry
    return await run_in_threadpool(store_entry, runtime, publishable_key)


class EmbedCORS:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        method = scope["method"]
        key = _publishable_key(scope)
        if key is None:  # /embed/v1/embed.js and other static files: public, any origin
            # "*" rather than the caller's origin: the answer is the same for every origin, so a
            # shared cache may keep one copy (echoing the origin would need Vary: Origin).
            await self._with_headers(scope, receive, send, "*", vary=False)
            return
        runtime: Runtime = scope["app"].state.runtime
        entry = await lookup(runtime, key)
        if entry is None:
            await _json(404, "not_found", "Unknown publishable key.")(scope, receive, send)
            return
        store_id, origins = entry
        # Handlers read it as request.state.store_id instead of looking the key up again.
        scope.setdefault("state", {})["store_id"] = store_id
        if origin is None:
            if method in ("GET", "HEAD"):
                await self.app(scope, receive, send)
                return
            await _json(
                403,
                "origin_required",
                "Widget writes must come from a browser on an allowed origin.",
            )(scope, receive, send)
            return
        if origin not in origins:
            await _json(
                403, "origin_not_allowed", f"{origin} is not an allowed origin of this store."
            )(scope, receive, send)
            return
        if method == "OPTIONS" and "access-control-request-method" in headers:
            response = Response(
                status_code=204,
                headers={
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": ALLOWED_METHODS,
                    "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                    "Access-Control-Max-Age": "600",
                    "Vary": "Origin",
                },
            )
            await response(scope, receive, send)
            return
        await self._with_headers(scope, receive, send, origin, vary=True)

    async def _with_headers(
        self, scope: Scope, receive: Receive, send: Send, origin: str, *, vary: bool
    ) -> None:
        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"access-control-allow-origin", origin.encode("latin-1")),
                    (b"access-control-expose-headers", b"ETag"),
                ]
                if vary:
                    extra.append((b"vary", b"Origin"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_cors)


def _publishable_key(scope: Scope) -> str | None:
    path: str = scope["path"]
    rest = path.split("/embed/v1/", 1)[-1]
    first = rest.split("/", 1)[0]
    return first if first.startswith("pk_") and "/" in rest else None


def _json(status: int, code: str, message: str) -> Response:
    return error_response(status, code, message, headers={"Vary": "Origin"})
