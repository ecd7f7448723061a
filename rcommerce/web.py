"""HTTP plumbing shared by every domain's routes: declared endpoints, bodies, transactions.

A route parses and authorises, calls a service inside one transaction, and serialises. The
declaration carries what the OpenAPI document says about it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from rcommerce.errors import ApiError, InvalidInput, PayloadTooLarge, Unauthorized
from rcommerce.runtime import Runtime

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
Auth = Literal["secret", "publishable", "session", "none"]


MAX_ID = 2**31 - 1  # the largest id a request may name: row ids are INTEGER columns
MAX_INT = 2**63 - 1  # no integer a request sends may be larger (BIGINT, OFFSET)
MAX_DEPTH = 32  # JSON nested deeper than this is no body we accept


class IdConvertor(IntegerConvertor):
    """``{id:int}`` path parameters: 0 to MAX_ID, so every match fits an id column.

    A larger number matches no route (404) instead of overflowing the database driver
    (PostgreSQL refuses an INTEGER parameter above 2,147,483,647)."""

    # Up to 9 digits, or 10 digits not above 2147483647, digit by digit.
    regex = (
        "[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
        "|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]"
        "|214748364[0-7]"
    )


# Registered before any route is built: every domain's routes import this module.
register_url_convertor("int", IdConvertor())


@dataclass(frozen=True)
class Doc:
    """What /openapi.json says about an endpoint."""

    summary: str
    tags: Sequence[str] = ()
    body: type[BaseModel] | None = None
    body_type: str = "application/json"
    query: type[BaseModel] | None = None
    responses: dict[int, type[BaseModel] | str] = field(default_factory=dict)
    auth: Auth = "none"
    headers: dict[str, str] = field(default_factory=dict)  # request header -> description
    description: str = ""


def endpoint(
    path: str,
    handler: Callable[[Request], Any] | AsgiEndpoint,
    *,
    methods: Sequence[str] = ("GET",),
    doc: Doc,
    name: str | None = None,
) -> Route:
    handler.__rc_doc__ = doc  # type: ignore[union-attr]
    return Route(path, handler, methods=list(methods), name=name)


class AsgiEndpoint:
    """An endpoint answered at the ASGI level, with no Request or Response objects: Starlette's
    Route calls it with (scope, receive, send). For the latency-critical routes a domain lists
    in ``hot_routes`` (rcommerce.app.HotPaths answers them before the middleware and the
    router). It may raise ApiError or HTTPException before it starts its answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.__doc__ = app.__doc__

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def in_transaction(
    request: Request,
    fn: Callable[[Session], T],
    *,
    readonly: bool = False,
    grouped: bool = False,
) -> T:
    """Run ``fn(session)`` in one committed unit of work, off the event loop. ``grouped``: a
    hot write that may be committed together with others (``Runtime.grouped_transaction``;
    ``fn`` then does nothing but database work, and may run twice)."""
    runtime = runtime_of(request)
    if grouped:
        return await run_in_threadpool(runtime.grouped_transaction, fn)

    def work() -> T:
        with runtime.transaction(readonly=readonly) as session:
            return fn(session)

    return await run_in_threadpool(work)


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send the store's secret key as 'Authorization: Bearer sk_...'.")
    return token.strip()


async def read_body(request: Request, limit: int | None = None) -> bytes:
    cap = limit if limit is not None else runtime_of(request).settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > cap:
                raise PayloadTooLarge(f"The request body is larger than {cap} bytes.")
        except ValueError:
            raise ApiError("Content-Length is not a number.", code="bad_request") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise PayloadTooLarge(f"The request body is larger than {cap} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, model: type[M], *, optional: bool = False) -> M:
    """Parse a JSON body into ``model``: 415, 413, 400 or 422 when it is not what we accept.

    ``optional``: a request without a body (of any content type) is ``model()``, all defaults.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        if optional and not (await read_body(request)).strip():
            return validate(model, {})
        raise ApiError(
            "Send the body as JSON with 'Content-Type: application/json'.",
            code="unsupported_media_type",
            status=415,
        )
    raw = await read_body(request)
    if optional and not raw.strip():
        return validate(model, {})
    try:
        data = json.loads(raw, parse_constant=_no_constant) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        raise ApiError("The body is not valid JSON.", code="invalid_json") from None
    except RecursionError:
        raise _too_deep() from None
    if not isinstance(data, dict):
        raise ApiError("The body must be a JSON object.", code="invalid_json")
    check_storable(data)
    return validate(model, data)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _too_deep() -> ApiError:
    return ApiError(
        f"The body is nested more than {MAX_DEPTH} levels deep.", code="invalid_json", status=400
    )


def check_storable(data: Any) -> None:
    """422 for what no database column can hold: text with NUL (PostgreSQL refuses it) or a
    lone surrogate (not UTF-8), an integer beyond 64 bits; 400 for JSON nested too deep."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        if isinstance(value, str):
            _check_text(value, where)
        elif isinstance(value, int) and not isinstance(value, bool):
            if not -MAX_INT <= value <= MAX_INT:
                raise _unstorable(where, f"is larger than {MAX_INT}")
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, where)
                stack.append((item, f"{where}.{key}" if where else str(key), depth + 1))
        elif isinstance(value, list):
            stack.extend(
                (item, f"{where}.{i}" if where else str(i), depth + 1)
                for i, item in enumerate(value)
            )


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise _unstorable(where, "may not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _unstorable(where, "is not valid Unicode text") from None


def _unstorable(where: str, message: str) -> InvalidInput:
    field = where or "body"
    return InvalidInput(f"{field}: {message}", fields=[{"field": field, "message": message}])


def validate(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from None


def validation_error(exc: ValidationError) -> InvalidInput:
    fields = []
    for error in exc.errors(include_url=False, include_context=False, include_input=False):
        location = ".".join(str(part) for part in error["loc"]) or "body"
        fields.append({"field": location, "message": error["msg"]})
    first = fields[0] if fields else {"field": "body", "message": "invalid"}
    return InvalidInput(f"{first['field']}: {first['message']}", fields=fields)


def parse_query(request: Request, model: type[M]) -> M:
    params = dict(request.query_params)
    check_storable(params)
    for name, value in params.items():
        digits = value.strip().lstrip("+-")
        if len(digits) > 18 and digits.isascii() and digits.isdigit() and abs(int(value)) > MAX_INT:
            raise _unstorable(name, f"is larger than {MAX_INT}")
    return validate(model, params)


def error_response(
    status: int, code: str, message: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """The one error shape: ``{"error": {"code", "message", ...}}`` (what ApiError.body gives)."""
    return JSONResponse(
        {"error": {"code": code, "message": message, **extra}}, status_code=status, headers=headers
    )


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    return JSONResponse(data, status_code=status, headers=headers)


def csv_response(text: str, filename: str) -> Response:
    """A CSV download; a byte-order mark lets spreadsheet programs read Vietnamese as UTF-8."""
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


LINK_PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def link_page(html: str, status: int = 200) -> HTMLResponse:
    """A page reached by a signed link (a review form, an answer form, an opt-out): its own
    inline styles and forms only, never cached, and never sending its URL (which carries the
    token) on as a referrer."""
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Security-Policy"] = LINK_PAGE_CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def not_modified(request: Request, *etags: str) -> bool:
    """Whether If-None-Match names one of ``etags`` (weak comparison, as RFC 9110 asks for
    GET: a proxy that compresses a response may have turned its ETag into W/"...")."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    if header.strip() == "*":
        return True
    offered = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return any(tag in offered for tag in etags)


def content_etag(body: bytes) -> str:
    """A strong ETag that names these exact bytes (a prefix of their SHA-256)."""
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def revalidated(
    request: Request, body: bytes, *, etag: str, media_type: str, cache_control: str
) -> Response:
    """``body`` with its ETag and cache headers, or an empty 304 when If-None-Match names it."""
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


_PATH_PARAM = re.compile(r"{([^}:]+)(?::([^}]+))?}")


def path_parameters(path: str) -> list[tuple[str, str]]:
    return [(name, convertor or "str") for name, convertor in _PATH_PARAM.findall(path)]
