"""Cached widget reads answered again by read_replay.py: the same bytes the app sent, and only
while the app would still send them (new reviews, origins, read limits)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from starlette.testclient import TestClient

from rcommerce.reviews import widget_cache
from rcommerce.reviews.read_replay import ReadReplay
from rcommerce.runtime import Runtime
from tests.support.reviews import ORIGIN, Submit, reviews_of
from tests.support.runtime import StoreKeys

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def raw_get(app: Any, path: str, query: bytes = b"", **headers: str) -> Answer:
    """GET through the ASGI app itself: the status, headers and body bytes exactly as sent."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("203.0.113.7", 50000),
        "server": ("testserver", 80),
        "app": app,
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # A thread of its own: a browser test earlier in the run may leave its event loop running
    # in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start, *bodies = sent
    return start["status"], list(start["headers"]), b"".join(b.get("body", b"") for b in bodies)


def replay_layer(app: Any) -> ReadReplay:
    layer = app.middleware_stack
    while not isinstance(layer, ReadReplay):
        layer = layer.app
    return layer


@pytest.fixture
def built(client: TestClient) -> Any:
    client.get("/healthz")  # builds the middleware stack
    return client.app


SHAPES = {
    "browser, gzip": {"origin": ORIGIN, "accept_encoding": "gzip, deflate, br"},
    "browser, no gzip": {"origin": ORIGIN},
    "no origin (server side)": {"accept_encoding": "gzip"},
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_replayed_read_is_the_apps_answer_byte_for_byte(
    built: Any, shop: StoreKeys, runtime: Runtime, submit: Submit, shape: str
) -> None:
    submit(body="Vải mát, form đẹp, giao hàng nhanh. " * 8)  # long enough to be compressed
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    path = f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews"
    layer = replay_layer(built)
    first = raw_get(built, path, **SHAPES[shape])
    assert first[0] == 200 and len(layer.kept) == 1  # the app answered; its answer is kept
    again = raw_get(built, path, **SHAPES[shape])
    assert again == first
    etag = dict(first[1])[b"etag"].decode()
    not_modified = raw_get(built, path, if_none_match=etag, **SHAPES[shape])
    assert not_modified[0] == 304 and len(layer.kept) == 2
    assert raw_get(built, path, if_none_match=etag, **SHAPES[shape]) == not_modified
    other_query = raw_get(built, path, b"sort=lowest", **SHAPES[shape])
    assert other_query[0] == 200 and len(layer.kept) == 3  # a query of its own
    assert raw_get(built, path, b"sort=lowest", **SHAPES[shape]) == other_query


def test_a_new_review_shows_at_once(
    client: TestClient, shop: StoreKeys, runtime: Runtime, submit: Submit
) -> None:
    submit()
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(reviews_of(client, shop.publishable_key)["reviews"]) == 1
    assert len(reviews_of(client, shop.publishable_key)["reviews"]) == 1  # replayed
    submit(email="hoa@example.com", name="Hoa", body="Áo dày dặn, đáng tiền.")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(reviews_of(client, shop.publishable_key)["reviews"]) == 2


def test_an_origin_the_store_no_longer_allows_gets_no_replay(
    client: TestClient, built: Any, shop: StoreKeys
) -> None:
    path = f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews"
    assert raw_get(built, path, origin=ORIGIN)[0] == 200
    assert raw_get(built, path, origin=ORIGIN)[0] == 200  # replayed
    moved = client.patch(
        "/api/v1/store", headers=shop.auth, json={"allowed_origins": ["https://new.example"]}
    )
    assert moved.status_code == 200, moved.text
    status, headers, _ = raw_get(built, path, origin=ORIGIN)
    assert status == 403 and (b"access-control-allow-origin", ORIGIN.encode()) not in headers


def test_replays_count_against_the_read_limit(built: Any, shop: StoreKeys) -> None:
    path = f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews"
    limit, _ = widget_cache.READS_PER_IP
    answers = [raw_get(built, path, origin=ORIGIN)[0] for _ in range(limit)]
    assert answers == [200] * limit  # one answered by the app, the others replayed
    status, headers, _ = raw_get(built, path, origin=ORIGIN)
    assert status == 429 and dict(headers)[b"access-control-allow-origin"] == ORIGIN.encode()
    assert b"retry-after" in dict(headers)
