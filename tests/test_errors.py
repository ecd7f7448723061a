from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.support.runtime import StoreKeys


def error_of(response: object) -> dict[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return body["error"]  # type: ignore[no-any-return]


def test_unknown_route_is_a_json_404(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_wrong_method_is_a_json_405(client: TestClient) -> None:
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_body_that_is_not_json(client: TestClient, store: StoreKeys) -> None:
    headers = {**store.auth, "Content-Type": "application/json"}
    response = client.put("/api/v1/products/p1", headers=headers, content=b"{not json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"
    response = client.put("/api/v1/products/p1", headers=headers, content=b"[1, 2]")
    assert response.status_code == 400


def test_body_of_another_media_type(client: TestClient, store: StoreKeys) -> None:
    response = client.put(
        "/api/v1/products/p1",
        headers=store.auth,
        content=b"name=x",
    )
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_body_too_large(client: TestClient, store: StoreKeys) -> None:
    big = b'{"name": "' + b"x" * 2_000_000 + b'"}'
    response = client.put(
        "/api/v1/products/p1",
        headers={**store.auth, "Content-Type": "application/json"},
        content=big,
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_wrong_types_are_422_with_the_field(client: TestClient, store: StoreKeys) -> None:
    response = client.put(
        "/api/v1/products/p1", headers=store.auth, json={"price": "cheap", "name": 5}
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"price", "name"} <= fields
    negative = client.put("/api/v1/products/p1", headers=store.auth, json={"price": -5})
    assert negative.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/advocates/{}",
        "/api/v1/advocates/{}/redemptions",
        "/api/v1/conversions/{}/decision",
        "/api/v1/reviews/{}",
    ],
)
def test_ids_beyond_an_id_column_are_404_not_500(
    client: TestClient, store: StoreKeys, path: str
) -> None:
    """Ids are INTEGER columns: PostgreSQL refuses a parameter above 2,147,483,647, so such a
    path matches no route at all; the largest id that can exist is simply not found."""
    for number in (2_147_483_647, 2_147_483_648, 99_999_999_999, 10**30):
        url = path.format(number)
        response = client.get(url, headers=store.auth)
        if response.status_code == 405:
            response = client.post(url, headers=store.auth, json={})
        assert response.status_code in (404, 422), (url, response.status_code, response.text)
        assert response.json()["error"]["code"] in ("not_found", "invalid")


def test_health_reports_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_openapi_describes_every_api_route(client: TestClient) -> None:
    from starlette.routing import Mount, Route

    from rcommerce.web import path_parameters

    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    documented = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    }

    def walk(routes: list[object], prefix: str = "") -> list[tuple[str, Route]]:
        found: list[tuple[str, Route]] = []
        for route in routes:
            if isinstance(route, Mount):
                found += walk(list(route.routes), prefix + route.path)
            elif isinstance(route, Route):
                found.append((prefix + route.path, route))
        return found

    checked = 0
    for path, route in walk(list(client.app.routes)):  # type: ignore[attr-defined]
        if not path.startswith(("/api/", "/embed/", "/r/")):
            continue
        for name, convertor in path_parameters(path):
            path = path.replace(f"{{{name}:{convertor}}}", f"{{{name}}}")
        for method in (route.methods or set()) - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is missing from /openapi.json"
            checked += 1
    assert checked >= 5


def test_a_hot_route_answers_errors_like_every_other_route() -> None:
    """Hot routes skip the middleware stack, not the error shape: a 429 still carries
    Retry-After as a header (not as a field of the body), a 404 the usual JSON."""
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route
    from starlette.types import Receive, Scope, Send

    from rcommerce.app import HotPaths
    from rcommerce.errors import NotFound, RateLimited
    from rcommerce.web import AsgiEndpoint

    async def limited(scope: Scope, receive: Receive, send: Send) -> None:
        raise RateLimited("Too many requests; try again shortly.", retry_after=7)

    async def missing(scope: Scope, receive: Receive, send: Send) -> None:
        raise NotFound("No referral link with this code.")

    async def fallback(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("not hot")(scope, receive, send)

    hot = HotPaths(
        [
            Route("/limited", AsgiEndpoint(limited)),
            Route("/missing", AsgiEndpoint(missing), methods=["GET"]),
        ],
    )

    async def asked_first(scope: Scope, receive: Receive, send: Send) -> None:
        """As rcommerce.app.App asks its hot routes, with ``fallback`` for the rest."""
        endpoint = hot.match(scope) if scope["type"] == "http" else None
        if endpoint is None:
            await fallback(scope, receive, send)
        else:
            await hot.answer(endpoint, scope, receive, send)

    hot_client = TestClient(asked_first)  # no lifespan: only the hot routes are asked
    response = hot_client.get("/limited")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert error_of(response) == {
        "code": "rate_limited",
        "message": "Too many requests; try again shortly.",
    }
    assert hot_client.get("/limited/more").text == "not hot"  # a prefix alone is not a match
    assert hot_client.post("/missing").text == "not hot"  # nor another method

    async def routed(request: Request) -> Response:
        return PlainTextResponse("")

    with pytest.raises(TypeError):  # a hot route answers without Request/Response objects
        HotPaths([Route("/slow", routed)])
    assert error_of(hot_client.get("/missing"))["code"] == "not_found"


def test_a_hot_route_that_fails_is_a_logged_json_500(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Hot routes are answered before every middleware, ServerErrors included: the app
    itself reports their failures (the route named, not the code) and answers the JSON 500."""
    from rcommerce.referrals import redirect

    async def failing(runtime: object, scope: object) -> str:
        raise RuntimeError("the spool disk is gone")

    monkeypatch.setattr(redirect, "click_location", failing)
    with caplog.at_level("ERROR", logger="rcommerce.errors"):
        response = client.get("/r/SECRETCODE", follow_redirects=False)
    assert response.status_code == 500
    assert error_of(response)["code"] == "internal"
    [line] = [r.getMessage() for r in caplog.records if r.name == "rcommerce.errors"]
    assert "500 GET /r/{referral_code}: RuntimeError: the spool disk is gone" in line
    assert "SECRETCODE" not in line


def test_a_database_that_is_down_is_a_503_with_retry_after(tmp_path: Path) -> None:
    """Every kind of route (the API, the hot redirect, widgets, the health check) answers a
    503 that says when to try again, not a 500."""
    from rcommerce.app import create_app
    from rcommerce.boot import start_runtime
    from rcommerce.settings import Settings
    from tests.support.runtime import TEST_SECRET, ManualRunner
    from tests.support.servers import free_port

    settings = Settings(
        database_url=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing",
        secret_key=TEST_SECRET,
        data_dir=tmp_path,
    )
    runtime = start_runtime(settings, dispatcher=ManualRunner)
    try:
        app = create_app(settings, runtime=runtime)
        with TestClient(app, raise_server_exceptions=False) as client:
            answers = [
                client.get("/api/v1/store", headers={"Authorization": "Bearer sk_live_x"}),
                client.get("/r/ABCDEFG", follow_redirects=False),
                client.get("/embed/v1/pk_x/products/p/reviews"),
            ]
            for response in answers:
                assert response.status_code == 503, response.text
                assert error_of(response)["code"] == "unavailable"
                assert int(response.headers["retry-after"]) > 0
            health = client.get("/healthz")
            assert health.status_code == 503
            assert health.json()["status"] == "unavailable"
    finally:
        runtime.close()


def test_nul_bytes_in_a_body_are_refused_before_the_database(
    client: TestClient, store: StoreKeys
) -> None:
    """PostgreSQL refuses NUL in text: it is a 422 naming the field, on every database."""
    for body in (
        b'{"email": "lan\\u0000@example.com", "name": "Lan"}',
        b'{"email": "lan@example.com", "name": "L\\u0000an"}',
        b'{"email": "lan@example.com", "name": "\\ud800"}',  # a lone surrogate: not UTF-8
    ):
        response = client.post(
            "/api/v1/advocates",
            headers={**store.auth, "Content-Type": "application/json"},
            content=body,
        )
        assert response.status_code == 422, response.text
        assert error_of(response)["code"] == "invalid"
    product = client.put(
        "/api/v1/products/p1", headers=store.auth, json={"name": "Áo", "brand": "x\u0000"}
    )
    assert product.status_code == 422
    assert product.json()["error"]["fields"] == [
        {"field": "brand", "message": "may not contain NUL characters"}
    ]


def test_nul_bytes_in_a_path_or_query_are_400(client: TestClient, store: StoreKeys) -> None:
    for url in (
        "/r/AB%00CD",
        "/r/AB%00CD/qr.svg",
        "/api/v1/products/p%001",
        "/api/v1/reviews?product_id=a%00b",
        f"/embed/v1/{store.publishable_key}/products/a%00/reviews",
        "/portal/pk%00/",
    ):
        response = client.get(url, headers=store.auth)
        assert response.status_code == 400, (url, response.text)
        assert error_of(response)["code"] == "bad_request"


def test_deeply_nested_json_is_400(client: TestClient, store: StoreKeys) -> None:
    headers = {**store.auth, "Content-Type": "application/json"}
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 40 + b"1" + b"}" * 40):
        response = client.post("/api/v1/orders", headers=headers, content=body)
        assert response.status_code == 400
        assert error_of(response)["code"] == "invalid_json"
    nested = {"order_id": "n1", "email": "a@example.com", "total": "1", "currency": "VND"}
    items: object = "x"
    for _ in range(40):
        items = [items]
    response = client.post("/api/v1/orders", headers=store.auth, json={**nested, "items": items})
    assert response.status_code == 400


def test_integers_beyond_64_bits_are_422(client: TestClient, store: StoreKeys) -> None:
    response = client.get("/api/v1/advocates", headers=store.auth, params={"offset": 2**63})
    assert response.status_code == 422
    assert error_of(response)["message"] == "offset: is larger than 9223372036854775807"
    response = client.get("/api/v1/advocates", headers=store.auth, params={"offset": 2**62})
    assert response.status_code == 200
    huge = {"order_id": "h1", "email": "a@example.com", "total": 2**64, "currency": "VND"}
    response = client.post("/api/v1/orders", headers=store.auth, json=huge)
    assert response.status_code == 422
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        response = client.post(
            "/api/v1/orders",
            headers={**store.auth, "Content-Type": "application/json"},
            content=b'{"order_id": "h2", "email": "a@example.com", "currency": "VND", "total": '
            + constant
            + b"}",
        )
        assert response.status_code == 400, constant
