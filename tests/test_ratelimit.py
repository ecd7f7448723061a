from __future__ import annotations

import uuid

import pytest

from rcommerce import ratelimit
from rcommerce.cache import Cache, MemoryCache, RedisCache
from rcommerce.errors import RateLimited
from rcommerce.redis_client import Breaker

CLIENT = uuid.uuid4().hex  # a key of this run's own in the shared Redis db


class FakeTime:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def allowed(cache: Cache, count: int, *, limit: int = 10) -> int:
    ok = 0
    for _ in range(count):
        try:
            ratelimit.hit_now(cache, "test", CLIENT, limit=limit, window=60, when_down="local")
            ok += 1
        except RateLimited as exc:
            assert exc.status == 429 and 1 <= exc.extra["retry_after"] <= 60
    return ok


def caches(redis_url: str) -> list[Cache]:
    import redis

    client = redis.Redis.from_url(redis_url)
    return [MemoryCache(), RedisCache(client, Breaker("Redis", 5.0), prefix="rc-test:")]


@pytest.mark.redis
def test_the_limit_holds_within_a_window(monkeypatch: pytest.MonkeyPatch, redis_url: str) -> None:
    for cache in caches(redis_url):
        monkeypatch.setattr(ratelimit.time, "time", FakeTime(6_000_000.0))
        assert allowed(cache, 15) == 10


@pytest.mark.redis
def test_straddling_a_window_boundary_does_not_double_the_budget(
    monkeypatch: pytest.MonkeyPatch, redis_url: str
) -> None:
    for cache in caches(redis_url):
        clock = FakeTime(7_000_020.0 - 1)  # one second before a boundary
        monkeypatch.setattr(ratelimit.time, "time", clock)
        assert allowed(cache, 10) == 10
        clock.now += 2  # one second after it: the last window is still almost all counted
        assert allowed(cache, 10) == 0
        clock.now += 45  # three quarters of the old window have slid out
        assert 6 <= allowed(cache, 10) <= 8
        clock.now += 120  # long after: a fresh budget
        assert allowed(cache, 15) == 10


def test_with_redis_down_reads_go_through_and_abuse_is_still_counted_in_memory() -> None:
    """``when_down="open"`` lets every request through while Redis cannot count; "local"
    keeps the limit, counted in this process's memory."""
    from rcommerce.redis_client import connect
    from tests.support.servers import free_port

    down = RedisCache(
        connect(f"redis://127.0.0.1:{free_port()}/0", timeout=0.05), Breaker("Redis", 5.0)
    )
    key = uuid.uuid4().hex
    for _ in range(30):
        ratelimit.hit_now(down, "read", key, limit=10, window=60, when_down="open")
    allowed = 0
    for _ in range(30):
        try:
            ratelimit.hit_now(down, "login", key, limit=10, window=60, when_down="local")
            allowed += 1
        except RateLimited:
            pass
    assert allowed == 10


def test_memory_counters_stay_bounded_when_every_one_is_live() -> None:
    """More live counters than the bound (unique visitors within the hour): the oldest go,
    down to nine tenths of the bound, so the table neither grows nor is rebuilt on every
    increment; the newest keep counting."""
    cache = MemoryCache(max_items=100)
    for n in range(1000):
        assert cache.incr(f"uv:{n}", 3600) == 1
        assert len(cache._counters) <= 101
    assert cache.counter("uv:999") == 1 and cache.incr("uv:999", 3600) == 2
    assert cache.counter("uv:0") == 0  # the oldest were dropped
