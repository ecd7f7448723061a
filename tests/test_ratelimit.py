from __future__ import annotations

import uuid

import pytest

from rcommerce import ratelimit
from rcommerce.cache import Cache, MemoryCache, RedisCache
from rcommerce.errors import RateLimited

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
            ratelimit.hit(cache, "test", CLIENT, limit=limit, window=60)
            ok += 1
        except RateLimited as exc:
            assert exc.status == 429 and 1 <= exc.extra["retry_after"] <= 60
    return ok


def caches(redis_url: str) -> list[Cache]:
    import redis

    return [MemoryCache(), RedisCache(redis.Redis.from_url(redis_url), prefix="rc-test:")]


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
