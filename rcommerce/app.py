"""The web application factory: create_app(settings) -> Starlette."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcommerce import domains, openapi
from rcommerce.boot import start_runtime
from rcommerce.edge import RefuseUnstorableInput, ServerErrors
from rcommerce.embed.cors import EmbedCORS
from rcommerce.errors import ApiError
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.web import AsgiEndpoint, error_response

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


class HotPaths:
    """Answers a few latency-critical routes (a domain's ``hot_routes``, e.g. the referral
    redirect) before the rest of the middleware and the router.

    They are also in the normal routing table (for /openapi.json and as a fallback); here they
    skip compression, header rewriting and matching against every other route. Their endpoints
    are AsgiEndpoints (no Request/Response objects), set their own headers and need no body.
    """

    def __init__(self, app: ASGIApp, routes: list[Route]) -> None:
        self.app = app
        for route in routes:
            if not isinstance(route.endpoint, AsgiEndpoint):
                raise TypeError(f"hot route {route.path} must have an AsgiEndpoint")
        # A literal prefix check first: most requests are not hot and skip the route regex.
        self.routes = [(route.path.split("{", 1)[0], route) for route in routes]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            for prefix, route in self.routes:
                if path.startswith(prefix):
                    match, child_scope = route.matches(scope)
                    if match is Match.FULL:
                        scope.update(child_scope)
                        await self._answer(route.app, scope, receive, send)
                        return
        await self.app(scope, receive, send)

    async def _answer(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
            return
        except ApiError as exc:  # answered as the app's handlers would (Retry-After included)
            response = await _api_error(Request(scope, receive), exc)
        except HTTPException as exc:
            response = await _http_error(Request(scope, receive), exc)
        await response(scope, receive, send)


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
        routes.append(Mount("/embed/v1", routes=embed_routes, middleware=[Middleware(EmbedCORS)]))
    return [*hot, *routes], hot


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


def create_app(settings: Settings, *, runtime: Runtime | None = None) -> Starlette:
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
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(ServerErrors),
            Middleware(RefuseUnstorableInput),
            Middleware(HotPaths, routes=hot_routes),
            Middleware(SecurityHeaders),
            Middleware(GZipMiddleware, minimum_size=800),
        ],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.openapi = openapi.build(routes, base_url=settings.base_url)
    return app
