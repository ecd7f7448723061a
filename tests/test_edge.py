"""The app's outer edge: unstorable paths and queries are 400, and server errors are JSON 500s
logged in one line each, rate limited, with a traceback only now and then."""

from __future__ import annotations

import logging

import pytest
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from rcommerce import edge


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def failing(scope: Scope, receive: Receive, send: Send) -> None:
    scope["path_params"] = {"token": "s3cret-magic-token"}  # as the router would set them
    raise RuntimeError("PostgreSQL text fields cannot contain NUL (0x00) bytes\nmore detail")


def test_a_server_error_is_one_json_line(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    errors = edge.ErrorLog(clock)
    app = TestClient(edge.ServerErrors(failing, errors), raise_server_exceptions=True)
    with caplog.at_level(logging.ERROR, logger="rcommerce.errors"):
        first = app.get("/portal/pk/login/s3cret-magic-token")
        second = app.get("/portal/pk/login/s3cret-magic-token")
    assert first.status_code == second.status_code == 500
    assert first.json()["error"]["code"] == "internal"
    lines = [r for r in caplog.records if r.name == "rcommerce.errors"]
    assert [r.getMessage() for r in lines] == [
        "500 GET /portal/pk/login/{token}: RuntimeError: PostgreSQL text fields cannot "
        "contain NUL (0x00) bytes"
    ] * 2
    assert lines[0].exc_info is not None and lines[1].exc_info is None  # one traceback
    assert "s3cret" not in caplog.text
    clock.now += edge.TRACEBACK_EVERY
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="rcommerce.errors"):
        app.get("/portal/pk/login/s3cret-magic-token")
    assert caplog.records[0].exc_info is not None


def test_a_flood_of_server_errors_is_rate_limited(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    errors = edge.ErrorLog(clock)
    app = TestClient(edge.ServerErrors(failing, errors))
    with caplog.at_level(logging.ERROR, logger="rcommerce.errors"):
        for _ in range(edge.LINES_PER_MINUTE + 40):
            assert app.get("/r/x").status_code == 500
        assert len(caplog.records) == edge.LINES_PER_MINUTE
        clock.now += 60
        app.get("/r/x")
    assert len(caplog.records) == edge.LINES_PER_MINUTE + 1
    assert caplog.records[-1].getMessage().endswith("(40 more server errors not logged)")


def test_unstorable_paths_and_queries_never_reach_the_app() -> None:
    reached: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    client = TestClient(edge.RefuseUnstorableInput(app))
    for url in ("/r/AB%00CD", "/r/ok?ch=%00", "/r/ok?ch=a%00b&x=1"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "bad_request"
    assert client.get("/r/ok?ch=zalo&q=kh%C3%B4ng").status_code == 204
    assert reached == ["/r/ok"]
