"""Real HTTP servers on loopback that speak the platforms' documented request shapes.

One Starlette app under uvicorn plays Shopify's and Sapo's Admin API (price rules, discount
codes, lookup), WooCommerce's ``wc/v3/coupons``, Haravan's ``/com/discounts.json``, Zalo's ZNS
``/message/template`` and a generic SMS gateway. Every request is recorded; a request that does
not match the documented shape is answered 400 and listed in ``violations``, so a test asserts
both the answer and that nothing was malformed. The client code under test is the real one:
only its base URL points here.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import count
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcommerce import net
from rcommerce.connectors.coupons import make_http_client
from tests.support.servers import free_port

SHOPIFY_TOKEN = "shpat_test_0123456789abcdef"
SAPO_TOKEN = "sapo-access-token-test"
WOO_KEY, WOO_SECRET = "ck_test_key", "cs_test_secret"
HARAVAN_TOKEN = "haravan-bearer-test"
ZNS_TOKEN = "zns-access-token-test"
SMS_AUTH = "Bearer sms-gateway-test"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    query: dict[str, str]
    json: Any


@dataclass
class PlatformAPIs:
    base_url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    # per-test behaviour
    zns_error: int = 0  # a non-zero ZNS error code to answer with, e.g. -118
    zns_cta_param: str = "review_url"
    sms_status: int = 200
    delay: float = 0.0  # seconds to sleep before answering (timeouts)
    # state
    codes: dict[str, tuple[int, int]] = field(default_factory=dict)  # code -> (rule id, code id)
    rules: dict[int, dict[str, Any]] = field(default_factory=dict)
    coupons: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: count(507328175))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, path_part: str, method: str | None = None) -> list[Recorded]:
        return [
            r
            for r in self.requests
            if path_part in r.path and (method is None or r.method == method)
        ]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.violations.clear()
            self.codes.clear()
            self.rules.clear()
            self.coupons.clear()
            self.zns_error, self.sms_status, self.delay = 0, 200, 0.0
            self.zns_cta_param = "review_url"


def _problem(api: PlatformAPIs, where: str, message: str, status: int = 400) -> JSONResponse:
    api.violations.append(f"{where}: {message}")
    return JSONResponse({"errors": message}, status_code=status)


def _zns_problem(api: PlatformAPIs, message: str) -> JSONResponse:
    """ZNS answers HTTP 200 with an error code; -201 is its "invalid parameters"."""
    api.violations.append(f"zns /message/template: {message}")
    return JSONResponse({"error": -201, "message": message})


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user, password


# ---- Shopify / Sapo Web price rules ----


def _price_rule_routes(
    api: PlatformAPIs, prefix: str, token_header: str, token: str
) -> list[Route]:
    def authorised(request: Request) -> bool:
        return request.headers.get(token_header) == token

    async def create_rule(request: Request) -> Response:
        if not authorised(request):
            return JSONResponse(
                {"errors": "[API] Invalid API key or access token"}, status_code=401
            )
        rule = (await request.json()).get("price_rule")
        where = f"{prefix}/price_rules.json"
        if not isinstance(rule, dict):
            return _problem(api, where, "body must be {price_rule: {...}}")
        checks = {
            "target_type": {"line_item", "shipping_line"},
            "target_selection": {"all", "entitled"},
            "allocation_method": {"across", "each"},
            "value_type": {"fixed_amount", "percentage"},
            "customer_selection": {"all", "prerequisite"},
        }
        for name, allowed in checks.items():
            if rule.get(name) not in allowed:
                return _problem(api, where, f"{name} must be one of {sorted(allowed)}", 422)
        value = _decimal(rule.get("value"))
        if not isinstance(rule.get("value"), str) or value is None or value >= 0:
            return _problem(api, where, "value must be a negative decimal string", 422)
        if rule["value_type"] == "percentage" and value < -100:
            return _problem(api, where, "a percentage cannot exceed -100", 422)
        if not ISO.match(str(rule.get("starts_at", ""))):
            return _problem(api, where, "starts_at must be ISO 8601", 422)
        if "ends_at" in rule and not ISO.match(str(rule["ends_at"])):
            return _problem(api, where, "ends_at must be ISO 8601", 422)
        if not rule.get("title"):
            return _problem(api, where, "title can't be blank", 422)
        with api._lock:
            rule_id = next(api._ids)
            api.rules[rule_id] = rule
        return JSONResponse({"price_rule": {**rule, "id": rule_id}}, status_code=201)

    async def create_code(request: Request) -> Response:
        if not authorised(request):
            return JSONResponse(
                {"errors": "[API] Invalid API key or access token"}, status_code=401
            )
        rule_id = int(request.path_params["rule"])
        where = f"{prefix}/price_rules/{{id}}/discount_codes.json"
        if rule_id not in api.rules:
            return JSONResponse({"errors": "Not Found"}, status_code=404)
        code = ((await request.json()).get("discount_code") or {}).get("code")
        if not isinstance(code, str) or not code.strip():
            return _problem(api, where, "discount_code.code is required", 422)
        with api._lock:
            if code.lower() in {c.lower() for c in api.codes}:
                return JSONResponse(
                    {"errors": {"code": ["must be unique. Please try a different code."]}},
                    status_code=422,
                )
            code_id = next(api._ids)
            api.codes[code] = (rule_id, code_id)
        return JSONResponse(
            {
                "discount_code": {
                    "id": code_id,
                    "price_rule_id": rule_id,
                    "code": code,
                    "usage_count": 0,
                }
            },
            status_code=201,
        )

    async def delete_rule(request: Request) -> Response:
        api.rules.pop(int(request.path_params["rule"]), None)
        return Response(status_code=204)

    async def lookup(request: Request) -> Response:
        found = api.codes.get(request.query_params.get("code", ""))
        if found is None:
            return JSONResponse({"errors": "Not Found"}, status_code=404)
        location = f"{api.base_url}{prefix}/price_rules/{found[0]}/discount_codes/{found[1]}.json"
        return Response(status_code=303, headers={"Location": location})

    return [
        Route(f"{prefix}/price_rules.json", create_rule, methods=["POST"]),
        Route(
            f"{prefix}/price_rules/{{rule:int}}/discount_codes.json", create_code, methods=["POST"]
        ),
        Route(f"{prefix}/price_rules/{{rule:int}}.json", delete_rule, methods=["DELETE"]),
        Route(f"{prefix}/discount_codes/lookup.json", lookup, methods=["GET"]),
    ]


# ---- WooCommerce ----


def _woocommerce_routes(api: PlatformAPIs) -> list[Route]:
    async def coupons(request: Request) -> Response:
        if _basic(request) != (WOO_KEY, WOO_SECRET):
            return JSONResponse(
                {
                    "code": "woocommerce_rest_cannot_create",
                    "message": "Sorry, you are not allowed to create resources.",
                    "data": {"status": 401},
                },
                status_code=401,
            )
        if request.method == "GET":
            code = request.query_params.get("code", "").lower()
            return JSONResponse([c for k, c in api.coupons.items() if k == code])
        body = await request.json()
        where = "wc/v3/coupons"
        if not isinstance(body.get("code"), str) or not body["code"].strip():
            return _problem(api, where, "code is required")
        if body.get("discount_type") not in {"percent", "fixed_cart", "fixed_product"}:
            return _problem(
                api, where, "discount_type must be percent, fixed_cart or fixed_product"
            )
        if not isinstance(body.get("amount"), str) or _decimal(body["amount"]) is None:
            return _problem(api, where, "amount must be a decimal string")
        if "date_expires_gmt" in body and not re.match(
            r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$", str(body["date_expires_gmt"])
        ):
            return _problem(api, where, "date_expires_gmt must be a GMT date-time without offset")
        emails = body.get("email_restrictions", [])
        if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
            return _problem(api, where, "email_restrictions must be a list of e-mails")
        code = body["code"].strip().lower()  # WooCommerce stores codes lower-cased
        with api._lock:
            if code in api.coupons:
                return JSONResponse(
                    {
                        "code": "woocommerce_rest_coupon_code_already_exists",
                        "message": "The coupon code already exists",
                        "data": {"status": 400},
                    },
                    status_code=400,
                )
            coupon = {**body, "id": next(api._ids), "code": code, "usage_count": 0}
            api.coupons[code] = coupon
        return JSONResponse(coupon, status_code=201)

    return [Route("/wp-json/wc/v3/coupons", coupons, methods=["GET", "POST"])]


# ---- Haravan ----


def _haravan_routes(api: PlatformAPIs) -> list[Route]:
    async def discounts(request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {HARAVAN_TOKEN}":
            return JSONResponse({"errors": "Unauthorized"}, status_code=401)
        discount = (await request.json()).get("discount")
        where = "com/discounts.json"
        if not isinstance(discount, dict):
            return _problem(api, where, "body must be {discount: {...}}")
        if not isinstance(discount.get("code"), str) or not discount["code"]:
            return _problem(api, where, "discount.code is required", 422)
        if discount.get("take_type") not in {"fixed_amount", "percentage"}:
            return _problem(api, where, "take_type must be fixed_amount or percentage", 422)
        if not isinstance(discount.get("value"), int | float) or discount["value"] <= 0:
            return _problem(api, where, "value must be a positive number", 422)
        if "usage_limit" in discount and not isinstance(discount["usage_limit"], int):
            return _problem(api, where, "usage_limit must be a whole number (or absent)", 422)
        if not ISO.match(str(discount.get("starts_at", ""))):
            return _problem(api, where, "starts_at must be ISO 8601", 422)
        with api._lock:
            if discount["code"] in api.coupons:
                return JSONResponse({"errors": "Mã khuyến mãi đã tồn tại"}, status_code=422)
            stored = {**discount, "id": next(api._ids), "times_used": 0}
            api.coupons[discount["code"]] = stored
        return JSONResponse({"discount": stored}, status_code=201)

    return [Route("/com/discounts.json", discounts, methods=["POST"])]


# ---- Zalo ZNS and an SMS gateway ----


def _messaging_routes(api: PlatformAPIs) -> list[Route]:
    async def zns(request: Request) -> Response:
        if request.headers.get("access_token") != ZNS_TOKEN:
            return JSONResponse({"error": -124, "message": "Access token invalid"})
        body = await request.json()
        if not re.fullmatch(r"84\d{9,10}", str(body.get("phone", ""))):
            return _zns_problem(api, "phone must be 84xxxxxxxxx, without +")
        data = body.get("template_data")
        if not body.get("template_id") or not isinstance(data, dict) or not data:
            return _zns_problem(api, "template_id and template_data are required")
        if not all(isinstance(v, str) and v for v in data.values()):
            return _zns_problem(api, "template_data values must be non-empty strings")
        links = [k for k, v in data.items() if re.search(r"https?://", v)]
        if links not in ([], [api.zns_cta_param]):
            return _zns_problem(api, f"links belong in the CTA parameter only, not {links}")
        if not 0 < len(str(body.get("tracking_id", ""))) <= 48:
            return _zns_problem(api, "tracking_id is 1-48 characters")
        if api.zns_error:
            return JSONResponse({"error": api.zns_error, "message": "Zalo account not existed"})
        return JSONResponse(
            {
                "error": 0,
                "message": "Success",
                "data": {
                    "msg_id": f"zns{next(api._ids)}",
                    "sent_time": str(int(time.time() * 1000)),
                    "quota": {"dailyQuota": "500", "remainingQuota": "499"},
                },
            }
        )

    async def sms(request: Request) -> Response:
        if request.headers.get("authorization") != SMS_AUTH:
            return JSONResponse({"success": False, "error": "unauthorized"}, status_code=401)
        body = await request.json()
        where = "sms /sms/send"
        if not re.fullmatch(r"(\+?84|0)\d{9,10}", str(body.get("to", ""))):
            return _problem(api, where, "to must be a Vietnamese number")
        if not isinstance(body.get("text"), str) or not body["text"]:
            return _problem(api, where, "text is required")
        if api.sms_status != 200:
            return JSONResponse(
                {"success": False, "error": "gateway down"}, status_code=api.sms_status
            )
        return JSONResponse({"success": True, "message_id": f"sms{next(api._ids)}"})

    return [
        Route("/message/template", zns, methods=["POST"]),
        Route("/sms/send", sms, methods=["POST"]),
    ]


def build_app(api: PlatformAPIs) -> Starlette:
    routes = [
        *_price_rule_routes(api, "/admin/api/{version}", "x-shopify-access-token", SHOPIFY_TOKEN),
        *_price_rule_routes(api, "/admin", "x-sapo-access-token", SAPO_TOKEN),
        *_woocommerce_routes(api),
        *_haravan_routes(api),
        *_messaging_routes(api),
    ]
    return Starlette(routes=routes, middleware=[Middleware(Recorder, api=api)])


class Recorder:
    """ASGI middleware: keep each request (method, path, headers, query, JSON body), then pass
    the same body on; sleep first when the test asks for a slow server."""

    def __init__(self, app: ASGIApp, api: PlatformAPIs) -> None:
        self.app = app
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        raw = b"".join(chunks)
        try:
            payload: Any = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace")
        request = Request(scope)
        self.api.requests.append(
            Recorded(
                request.method,
                request.url.path,
                {k.lower(): v for k, v in request.headers.items()},
                dict(request.query_params),
                payload,
            )
        )
        if self.api.delay:
            await asyncio.sleep(self.api.delay)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


@contextmanager
def platform_apis() -> Iterator[PlatformAPIs]:
    """The fake platform APIs on a free loopback port, for as long as the block lasts."""
    api = PlatformAPIs()
    port = free_port()
    api.base_url = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(
        build_app(api), host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="platform-apis", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the platform API server did not start")
        time.sleep(0.02)
    try:
        yield api
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# ---- pytest fixtures (imported by the conftest of each test package that uses them) ----


@pytest.fixture(scope="session")
def platform_apis_server() -> Iterator[PlatformAPIs]:
    with platform_apis() as api:
        yield api


@pytest.fixture
def apis(platform_apis_server: PlatformAPIs) -> PlatformAPIs:
    """The fake platform APIs, reset for this test."""
    platform_apis_server.reset()
    return platform_apis_server


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """An outbound client as production makes one (guarded, timeouts, no redirects followed),
    but allowed to reach these fake APIs on loopback."""
    with make_http_client(
        timeout=httpx.Timeout(5.0, connect=2.0), transport=loopback_transport()
    ) as client:
        yield client


def loopback_transport() -> httpx.BaseTransport:
    """The guarded transport with loopback allowed (tests only: production allows nothing)."""
    return net.GuardedTransport(net.Guard(allowed=(ipaddress.ip_network("127.0.0.0/8"),)))
