"""Distributed mode's near copies (rcommerce.cache_near): two caches stand for two web
processes on one private Redis. A copy is served without Redis only while it is current: a
write in one process retires the other's copy, and when Redis stops or freezes the copies are
no longer trusted, so nothing stale outlives the outage."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator

import pytest

from rcommerce import cache_near, ratelimit
from rcommerce.cache import RedisCache
from rcommerce.errors import RateLimited
from rcommerce.redis_client import Breaker, connect
from tests.support.servers import RedisProcess

pytestmark = [pytest.mark.redis, pytest.mark.faults]


def until(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture
def pair(redis_server: RedisProcess) -> Iterator[tuple[RedisCache, RedisCache]]:
    """Two processes' caches on one Redis, subscribed and ready."""
    prefix = f"rc-near-{uuid.uuid4().hex[:8]}:"
    caches = tuple(
        RedisCache(connect(redis_server.url(0), timeout=1.0), Breaker("Redis", 0.5), prefix)
        for _ in range(2)
    )
    for cache in caches:
        cache.local("origins:warm-up")  # starts the listener
        assert until(lambda c=cache: c.near.live), "the listener did not subscribe"  # type: ignore[misc]
    yield caches  # type: ignore[misc]
    for cache in caches:
        cache.close()


def test_a_copy_is_served_from_memory_until_another_process_changes_it(
    pair: tuple[RedisCache, RedisCache],
) -> None:
    writer, reader = pair
    writer.set("origins:pk_a", b'[1, ["https://shop.example"]]', 60)
    assert reader.local("origins:pk_a") is None  # not read yet: only Redis can tell
    # Read once, then served from memory (a read that crossed the write's announcement is
    # not kept, so the copy may take a second read).
    assert until(lambda: held(reader, "origins:pk_a") == b'[1, ["https://shop.example"]]')

    writer.set("origins:pk_a", b'[1, ["https://new.example"]]', 60)
    assert until(lambda: reader.local("origins:pk_a") is None), "the copy outlived the write"
    assert reader.get("origins:pk_a") == b'[1, ["https://new.example"]]'

    writer.delete("origins:pk_a")
    assert until(lambda: reader.local("origins:pk_a") is None)
    assert reader.get("origins:pk_a") is None


def test_a_version_bump_retires_the_copies_at_once_in_the_writer_and_soon_elsewhere(
    pair: tuple[RedisCache, RedisCache],
) -> None:
    writer, reader = pair
    key = "reviews:v:1:abc"
    writer.set(key, b"v1", 60)
    for cache in pair:
        assert cache.get(key) == b"v1"
    writer.delete(key)
    assert writer.local(key) is None  # the writer's own copy goes with the write
    assert until(lambda: reader.local(key) is None)


def test_a_copy_read_while_its_key_was_announced_is_not_kept(
    pair: tuple[RedisCache, RedisCache],
) -> None:
    _, reader = pair
    generation = reader.near.generation
    reader.near.drop(["origins:pk_b"])  # an announcement lands between the read and the keep
    reader.near.keep("origins:pk_b", b"stale", generation)
    assert reader.local("origins:pk_b") is None


def test_pages_named_by_their_version_are_kept_but_not_announced(
    pair: tuple[RedisCache, RedisCache],
) -> None:
    writer, reader = pair
    assert cache_near.covered("reviews:c:1:v1:d") and not cache_near.announced("reviews:c:1:v1:d")
    writer.set("reviews:c:1:v1:d", b"page", 60)
    assert writer.local("reviews:c:1:v1:d") == b"page"
    assert reader.get("reviews:c:1:v1:d") == b"page"
    assert reader.local("reviews:c:1:v1:d") == b"page"


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_copies_are_not_trusted_while_redis_is_away(
    pair: tuple[RedisCache, RedisCache], redis_server: RedisProcess, outage: str
) -> None:
    _, reader = pair
    reader.set("origins:pk_c", b"[2, []]", 60)
    time.sleep(0.3)  # the write's own announcement has come back by now, and changed nothing
    assert reader.local("origins:pk_c") == b"[2, []]"
    if outage == "stopped":
        redis_server.stop()
    else:
        redis_server.freeze()
    # A write made elsewhere now could not be announced: the copy must stop being served.
    assert until(lambda: reader.local("origins:pk_c") is None, cache_near.SILENCE + 3)
    redis_server.ensure_running()
    if outage == "stopped":  # restarted empty: the copy is gone with Redis's entry
        assert until(lambda: reader.near.live, 10)
        assert reader.get("origins:pk_c") is None


def test_soon_counts_add_up_across_processes(pair: tuple[RedisCache, RedisCache]) -> None:
    one, other = pair
    key = f"rl:read:{uuid.uuid4().hex}:1"
    for _ in range(3):
        one.count_soon(key, 60)
    for _ in range(4):
        other.count_soon(key, 60)
    # Each knows Redis's total as of its own last batch: whichever sent last knows both.
    assert until(lambda: max(one.soon_count(key), other.soon_count(key)) == 7, 3)
    one.count_soon(key, 60)
    assert until(lambda: one.soon_count(key) == 8, 3)  # its next batch brings the total back


def test_an_open_limit_holds_across_processes_without_waiting_for_redis(
    pair: tuple[RedisCache, RedisCache],
) -> None:
    one, other = pair
    client = uuid.uuid4().hex
    for _ in range(5):
        ratelimit.hit_now(one, "read", client, limit=10, window=3600, when_down="open")
    # Redis must have taken a batch before the counts apply (until then the limit is open).
    assert until(lambda: one._soon.healthy and one.soon_count(_bucket_key(client)) == 5, 3)
    for _ in range(5):
        ratelimit.hit_now(other, "read", client, limit=10, window=3600, when_down="open")
    assert until(lambda: other._soon.healthy and other.soon_count(_bucket_key(client)) == 10, 3)
    with pytest.raises(RateLimited):
        ratelimit.hit_now(other, "read", client, limit=10, window=3600, when_down="open")


def held(cache: RedisCache, key: str) -> bytes | None:
    """Read ``key``, then what the process holds of it."""
    cache.get(key)
    return cache.local(key)


def _bucket_key(client: str) -> str:
    return f"rl:read:{client}:{int(time.time() // 3600)}"
