"""read_replay.py in distributed mode: with Redis, a repeated widget read is answered from the
process's near copies (rcommerce.cache_near) without the app and without a Redis round trip,
and still only while the app would give the same answer."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from rcommerce.cache import RedisCache
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.reviews.test_read_replay import raw_get, replay_layer
from tests.support.reviews import ORIGIN, Submit
from tests.support.runtime import TEST_SECRET, StoreKeys

pytestmark = pytest.mark.redis


@pytest.fixture
def settings(database_url: str, tmp_path: Path, redis_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        secret_key=TEST_SECRET,
        data_dir=tmp_path,
        base_url="http://testserver",
    )


@pytest.fixture
def counted(client: TestClient, runtime: Runtime) -> tuple[Any, list[str]]:
    """The app, with a count of the reads that went past the replay layer."""
    client.get("/healthz")
    layer = replay_layer(client.app)
    inner, calls = layer.app, []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["method"] == "GET":
            calls.append(scope["path"])
        await inner(scope, receive, send)

    layer.app = app
    cache = runtime.cache
    assert isinstance(cache, RedisCache)
    cache.local("origins:warm-up")  # starts the listener
    deadline = time.monotonic() + 5
    while not cache.near.live and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.near.live
    return client.app, calls


def test_a_repeated_read_is_answered_from_memory_until_a_review_changes_it(
    counted: tuple[Any, list[str]], shop: StoreKeys, runtime: Runtime, submit: Submit
) -> None:
    app, calls = counted
    submit()
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    path = f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews"
    first = raw_get(app, path, origin=ORIGIN, accept_encoding="gzip")
    assert first[0] == 200 and b'"count":1' in first[2]
    seen = len(calls)
    for _ in range(3):
        assert raw_get(app, path, origin=ORIGIN, accept_encoding="gzip") == first
    assert len(calls) == seen  # answered by the replay layer, the app never asked

    submit(email="hoa@example.com", name="Hoa", body="Áo dày dặn, đáng tiền.")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    after = raw_get(app, path, origin=ORIGIN, accept_encoding="gzip")
    assert after[0] == 200 and b'"count":2' in after[2]  # at once: the bump retired the copy
    assert len(calls) == seen + 1


def test_an_origin_taken_away_is_refused_at_once(
    counted: tuple[Any, list[str]], client: TestClient, shop: StoreKeys
) -> None:
    app, calls = counted
    path = f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews"
    assert raw_get(app, path, origin=ORIGIN)[0] == 200
    assert raw_get(app, path, origin=ORIGIN)[0] == 200
    seen = len(calls)
    moved = client.patch(
        "/api/v1/store", headers=shop.auth, json={"allowed_origins": ["https://new.example"]}
    )
    assert moved.status_code == 200, moved.text
    assert raw_get(app, path, origin=ORIGIN)[0] == 403
    assert len(calls) == seen + 1
