"""The app's outer edge, before any route: a path or query string no database can store (NUL,
broken Unicode) is a 400, and a server error is answered as JSON and logged in one line,
rate limited, instead of a traceback per request."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcommerce.web import error_response

log = logging.getLogger("rcommerce.errors")

LINES_PER_MINUTE = 60  # one-line reports of server errors; the rest are counted
TRACEBACK_EVERY = 600.0  # seconds between two tracebacks of the same error at the same route


def _unstorable(text: str) -> bool:
    """NUL (PostgreSQL refuses it in text) or a lone surrogate (not UTF-8 at all)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class RefuseUnstorableInput:
    """400 for a request whose path or query string carries NUL or broken Unicode, before
    any route (the referral redirect included) sends them to the database."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and unstorable_request(scope):
            await refuse(scope, receive, send)
            return
        await self.app(scope, receive, send)


def unstorable_request(scope: Scope) -> bool:
    """Whether the request's path or query string carries NUL or broken Unicode."""
    query: bytes = scope.get("query_string", b"")
    return _unstorable(scope["path"]) or b"\x00" in query or b"%00" in query


async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
    """The 400 of ``RefuseUnstorableInput``."""
    response = error_response(400, "bad_request", "The address has a NUL or an invalid character.")
    await response(scope, receive, send)


class ErrorLog:
    """One line per server error, at most LINES_PER_MINUTE a minute (the others are counted
    and reported with the next line); a traceback only the first time an error type shows up
    at a route in TRACEBACK_EVERY seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._window = (0.0, 0)  # (minute started, lines logged in it)
        self._suppressed = 0
        self._tracebacks: dict[tuple[str, str], float] = {}

    def report(self, method: str, route: str, exc: BaseException) -> None:
        now = self.clock()
        kind = type(exc).__name__
        with self._lock:
            started, lines = self._window
            if now - started >= 60:
                started, lines = now, 0
            if lines >= LINES_PER_MINUTE:
                self._suppressed += 1
                self._window = (started, lines)
                return
            self._window = (started, lines + 1)
            suppressed, self._suppressed = self._suppressed, 0
            last = self._tracebacks.get((kind, route))
            with_traceback = last is None or now - last >= TRACEBACK_EVERY
            if with_traceback:
                if len(self._tracebacks) > 1000:
                    self._tracebacks.clear()
                self._tracebacks[(kind, route)] = now
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        more = f" ({suppressed} more server errors not logged)" if suppressed else ""
        log.error(
            "500 %s %s: %s: %s%s",
            method,
            route,
            kind,
            detail,
            more,
            exc_info=exc if with_traceback else None,
        )


def route_of(scope: Scope) -> str:
    """The request's path with its parameters named, not shown (``/portal/{publishable_key}/
    login/{token}``): a log line must not carry a magic link's token."""
    path = str(scope.get("path", ""))
    for name, value in dict(scope.get("path_params") or {}).items():
        if str(value):
            path = path.replace(str(value), "{" + name + "}")
    return path


class ServerErrors:
    """Answers an unhandled exception with the JSON 500 and reports it to ``ErrorLog``; the
    exception goes no further (the server would log its whole traceback again)."""

    def __init__(self, app: ASGIApp, errors: ErrorLog | None = None) -> None:
        self.app = app
        self.errors = errors or ErrorLog()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.guard(self.app, scope, receive, send)

    async def guard(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        """Run ``app`` for this HTTP request, its unhandled exception answered and reported
        (for an app answered before this middleware, such as the hot routes)."""
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await app(scope, receive, tracking)
        except Exception as exc:
            self.errors.report(scope.get("method", ""), route_of(scope), exc)
            if started:
                return  # the answer is on its way: nothing better to send
            response = error_response(
                500, "internal", "Something went wrong on our side; it has been logged."
            )
            await response(scope, receive, send)
