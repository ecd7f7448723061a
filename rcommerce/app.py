"""The web application factory: create_app(settings) -> Starlette."""

from __future__ import annotations

import functools
import gc
import logging
import sys
import time
import zlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import redis
from sqlalchemy import exc as db_errors
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcommerce import domains, openapi
from rcommerce.boot import start_runtime
from rcommerce.edge import (
    ErrorLog,
    RefuseUnstorableInput,
    ServerErrors,
    refuse,
    unstorable_request,
)
from rcommerce.embed.cors import EmbedCORS
from rcommerce.errors import ApiError
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.web import AsgiEndpoint, error_response

log = logging.getLogger(__name__)
GZIP_MINIMUM_SIZE = 800  # bytes; smaller answers go as they are

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
}


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    headers = (
        {"Retry-After": str(exc.extra.pop("retry_after"))} if "retry_after" in exc.extra else None
    )
    response = JSONResponse(exc.body(), status_code=exc.status, headers=headers)
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code < 400:
        return Response(status_code=exc.status_code, headers=exc.headers)
    code = _STATUS_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code
    if exc.status_code == 404:
        message = f"Nothing at {request.url.path}."
    response = error_response(exc.status_code, code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


# A dependency that is down (the database; Redis where a caller could not do without it):
# the request gets a 503 with Retry-After, never a 500. Most Redis uses degrade instead
# (rcommerce.cache); these are what is left when an answer is impossible.
UNAVAILABLE: tuple[type[Exception], ...] = (
    db_errors.OperationalError,  # cannot connect, connection lost, database locked
    db_errors.InterfaceError,
    db_errors.TimeoutError,  # no pooled connection free in time
    redis.ConnectionError,
    redis.TimeoutError,
    redis.ReadOnlyError,  # a replica during a failover
)
RETRY_AFTER = 5  # seconds
_unavailable_logged: dict[str, float] = {}


async def _unavailable(request: Request, exc: Exception) -> Response:
    # One line per kind of failure every 10 s: an outage must not flood the log.
    kind = type(exc).__name__
    if time.monotonic() - _unavailable_logged.get(kind, -60.0) >= 10:
        _unavailable_logged[kind] = time.monotonic()
        log.warning(
            "503 on %s %s, a dependency is unavailable: %s: %s",
            request.method,
            request.url.path,
            kind,
            str(exc).splitlines()[0][:300] if str(exc) else "",
        )
    return error_response(
        503,
        "unavailable",
        "A service this request needs is unavailable; try again shortly.",
        headers={"Retry-After": str(RETRY_AFTER)},
    )


class SecurityHeaders:
    """Headers every response carries; pages may tighten them further."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                names = {name for name, _ in headers}
                for name, value in (
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                ):
                    if name not in names:
                        headers.append((name, value))
            await send(message)

        await self.app(scope, receive, send_with_headers)


class PublicGzipCache:
    """Compresses each public response body once: a widget read sends the same bytes to every
    shopper (``Cache-Control: public``), so its gzip form is kept in a small LRU keyed by the
    body and reused, instead of compressing ~2 KB at level 9 on every request.

    Sits inside GZipMiddleware, which passes an answer it finds already encoded through and
    compresses everything else as before (private answers, streams, larger bodies).
    """

    COMPRESSIBLE = (b"application/json", b"application/ld+json", b"text/")

    def __init__(
        self, app: ASGIApp, minimum_size: int, max_body: int = 64 * 1024, max_items: int = 512
    ) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.max_body = max_body
        self.max_items = max_items
        self.gzipped: OrderedDict[bytes, bytes] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _accepts_gzip(scope):
            await self.app(scope, receive, send)
            return
        start: Message | None = None

        async def send_gzipped(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and self._eligible(message):
                start = message  # held until the body shows whether it is whole
                return
            if start is not None:
                held, start = start, None
                body = message.get("body", b"")
                if (
                    message["type"] == "http.response.body"
                    and not message.get("more_body", False)
                    and self.minimum_size <= len(body) <= self.max_body
                ):
                    message = {**message, "body": self._gzip(body)}
                    headers = MutableHeaders(raw=held["headers"])
                    headers["Content-Encoding"] = "gzip"
                    headers["Content-Length"] = str(len(message["body"]))
                    headers.add_vary_header("Accept-Encoding")
                await send(held)
            await send(message)

        await self.app(scope, receive, send_gzipped)

    def _eligible(self, start: Message) -> bool:
        if start["status"] != 200:
            return False
        public = compressible = False
        for name, value in start.get("headers", []):
            if name == b"content-encoding":
                return False
            if name == b"cache-control":
                public = b"public" in value and b"no-transform" not in value
            elif name == b"content-type":
                compressible = value.startswith(self.COMPRESSIBLE)
        return public and compressible

    def _gzip(self, body: bytes) -> bytes:
        hit = self.gzipped.get(body)
        if hit is not None:
            self.gzipped.move_to_end(body)
            return hit
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        hit = compressor.compress(body) + compressor.flush()
        self.gzipped[body] = hit
        if len(self.gzipped) > self.max_items:
            self.gzipped.popitem(last=False)
        return hit


def _accepts_gzip(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return b"gzip" in value
    return False


class HotPaths:
    """Answers a few latency-critical routes (a domain's ``hot_routes``: the referral redirect,
    the platforms' webhooks) before everything else: ``App`` asks it first, before Starlette's
    own error middleware, this app's middleware and the router.

    They are also in the normal routing table (for /openapi.json and as a fallback); here they
    skip compression, header rewriting and matching against every other route. Their endpoints
    are AsgiEndpoints (no Request/Response objects), set their own headers and read their body,
    if they take one, from ``receive`` themselves.
    """

    def __init__(self, routes: list[Route]) -> None:
        for route in routes:
            if not isinstance(route.endpoint, AsgiEndpoint):
                raise TypeError(f"hot route {route.path} must have an AsgiEndpoint")
        # A literal prefix check first: most requests are not hot and skip the route regex.
        self.routes = [(route.path.split("{", 1)[0], route) for route in routes]

    def match(self, scope: Scope) -> ASGIApp | None:
        """The endpoint of the hot route this HTTP request is for (its path parameters put in
        ``scope``), or None."""
        path = scope["path"]
        for prefix, route in self.routes:
            if path.startswith(prefix):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.update(child_scope)
                    return route.app
        return None

    async def answer(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
            return
        except ApiError as exc:  # answered as the app's handlers would (Retry-After included)
            response = await _api_error(Request(scope, receive), exc)
        except HTTPException as exc:
            response = await _http_error(Request(scope, receive), exc)
        except UNAVAILABLE as exc:
            response = await _unavailable(Request(scope, receive), exc)
        await response(scope, receive, send)


class App(Starlette):
    """The Starlette app, with its hot routes (``HotPaths``) answered first: a hot request
    passes through none of the middleware, so the two edge rules every request keeps are
    applied here for it (an unstorable path or query is a 400, ``edge.refuse``; a server error
    is answered and reported by the same ``ServerErrors`` that guards every other route)."""

    hot: HotPaths | None = None
    server_errors: ServerErrors | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hot, guard = self.hot, self.server_errors
        if hot is not None and guard is not None and scope["type"] == "http":
            endpoint = hot.match(scope)
            if endpoint is not None:
                scope["app"] = self
                if unstorable_request(scope):
                    await refuse(scope, receive, send)
                    return
                await guard.guard(functools.partial(hot.answer, endpoint), scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def collect_routes() -> tuple[list[BaseRoute], list[Route]]:
    """Every domain's ``routes`` and ``hot_routes``; their ``embed_routes`` share one Mount at
    /embed/v1 with the embed CORS policy (publishable key in the path, allowed origins only)."""
    routes: list[BaseRoute] = []
    hot: list[Route] = []
    embed_routes: list[BaseRoute] = []
    for module in domains.load("routes"):
        hot += list(getattr(module, "hot_routes", []))
        routes += list(getattr(module, "routes", []))
        embed_routes += list(getattr(module, "embed_routes", []))
    if embed_routes:
        # First after the hot routes: every product page view of every shop reads through it,
        # and the router tries its routes in order (no other route starts with /embed/v1).
        mount = Mount("/embed/v1", routes=embed_routes, middleware=[Middleware(EmbedCORS)])
        routes.insert(0, mount)
    return [*hot, *routes], hot


def edge_layers() -> list[Middleware]:
    """Every domain's ``edge_layers``: ASGI middleware that may answer a request before the
    hot routes, the rest of the middleware and the router (for instance a cached widget read
    answered again, rcommerce.reviews.read_replay); what they do not answer goes on as usual."""
    return [
        Middleware(layer)
        for module in domains.load("routes")
        for layer in getattr(module, "edge_layers", [])
    ]


def warm_ups() -> list[Callable[[], object]]:
    """Every domain's ``warm_ups``: slow first-use work (compiling the crawler lists, loading
    lexicons) done at start-up rather than on a visitor's first request."""
    return [fn for module in domains.load("routes") for fn in getattr(module, "warm_ups", [])]


def freeze_startup_objects() -> None:
    """For a server process, once the app is built: what exists now (modules, classes, the
    ORM's metadata, lexicons; over 100,000 objects) lives as long as the process, so the cycle
    collector stops walking it on every full collection (gc.freeze). Requests then pay only
    for their own garbage."""
    gc.collect()
    gc.freeze()


# CPython hands the GIL to a thread that waits for it every 5 ms by default. A server process
# also runs background threads (the job runner, the copy of spooled clicks, the shared cache's
# listener and counters): a request that arrives while one of them computes waits up to that
# long for the event loop, once or more. Half a millisecond bounds the wait (p99 of the
# distributed redirect with 2 processes: 15.6 -> 12.6-13.9 ms, docs/capacity.md).
SWITCH_INTERVAL = 0.0005


def shorten_thread_switches() -> None:
    """For a server process: the GIL changes hands every SWITCH_INTERVAL seconds."""
    sys.setswitchinterval(SWITCH_INTERVAL)


def ready_to_serve() -> None:
    """What every server process (``rcommerce.asgi``, ``rcommerce demo``) does once its app is
    built, before its first request: start-up objects frozen, GIL hand-overs shortened."""
    freeze_startup_objects()
    shorten_thread_switches()


def create_app(settings: Settings, *, runtime: Runtime | None = None) -> App:
    """Build the app. The runtime (engine, Redis, job runner) starts in the lifespan."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = app.state.runtime is None
        if own:
            app.state.runtime = start_runtime(settings)
        for warm_up in warm_ups():
            await run_in_threadpool(warm_up)
        app.state.runtime.dispatcher.start()
        try:
            yield
        finally:
            if own:
                app.state.runtime.close()
                app.state.runtime = None

    routes, hot_routes = collect_routes()
    errors = ErrorLog()
    app = App(
        routes=routes,
        middleware=[
            Middleware(ServerErrors, errors=errors),
            Middleware(RefuseUnstorableInput),
            *edge_layers(),
            Middleware(SecurityHeaders),
            Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_SIZE),
            Middleware(PublicGzipCache, minimum_size=GZIP_MINIMUM_SIZE),
        ],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            **dict.fromkeys(UNAVAILABLE, _unavailable),
        },
        lifespan=lifespan,
    )
    app.hot = HotPaths(hot_routes)
    app.server_errors = ServerErrors(app.router, errors)
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.openapi = openapi.build(routes, base_url=settings.base_url)
    return app
