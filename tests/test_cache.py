"""The shared cache never fails its caller: against a private Redis that is stopped or frozen,
reads miss, writes are skipped, deletes wait for Redis and counters say "unknown"; after one
failure Redis is skipped for a pause instead of costing every call a timeout."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator

import pytest

from rcommerce.cache import MemoryCache, RedisCache
from rcommerce.redis_client import Breaker, connect
from tests.support import servers
from tests.support.servers import RedisProcess

pytestmark = [pytest.mark.redis, pytest.mark.faults]
TIMEOUT = 0.05


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisProcess]:
    with servers.private_redis() as server:
        yield server


@pytest.fixture
def breaker() -> Breaker:
    return Breaker("Redis", 0.5)


@pytest.fixture
def cache(redis_server: RedisProcess, breaker: Breaker) -> Iterator[RedisCache]:
    redis_server.ensure_running()
    client = connect(redis_server.url(), timeout=TIMEOUT)
    client.flushdb()
    yield RedisCache(client, breaker)
    redis_server.ensure_running()
    client.close()


def test_with_redis_stopped_reads_miss_writes_pass_and_counts_are_unknown(
    redis_server: RedisProcess, cache: RedisCache, breaker: Breaker
) -> None:
    cache.set("k", b"v", 60)
    assert cache.incr("n", 60) == 1 and cache.counter("n") == 1
    redis_server.stop()
    started = time.monotonic()
    assert cache.get("k") is None
    cache.set("k", b"w", 60)
    assert cache.incr("n", 60) is None and cache.counter("n") is None
    assert time.monotonic() - started < 1
    assert breaker.down
    redis_server.start()  # empty: it had no persistence
    time.sleep(0.6)  # the breaker's pause
    assert cache.get("k") is None  # the first call after the pause probes, and succeeds
    assert not breaker.down
    assert cache.incr("n", 60) == 1


def test_a_frozen_redis_costs_one_timeout_then_is_skipped(
    redis_server: RedisProcess, cache: RedisCache, breaker: Breaker
) -> None:
    cache.set("k", b"v", 60)
    redis_server.freeze()
    started = time.monotonic()
    assert cache.get("k") is None
    first = time.monotonic() - started
    assert TIMEOUT * 0.8 <= first < 0.5
    started = time.monotonic()
    for _ in range(200):  # within the pause: no call waits for the frozen server
        assert cache.get("k") is None
    assert time.monotonic() - started < 0.05
    redis_server.thaw()
    time.sleep(0.6)
    assert cache.get("k") == b"v"


def test_a_delete_redis_missed_is_replayed_when_it_answers_again(
    redis_server: RedisProcess, cache: RedisCache
) -> None:
    """An entry forgotten while Redis was frozen (and kept its data) is not served stale
    afterwards."""
    cache.set("origins:pk", b"old", 60)
    redis_server.freeze()
    cache.delete("origins:pk")
    redis_server.thaw()
    time.sleep(0.6)
    cache.get("anything")  # Redis answers again: the missed delete is replayed
    assert cache.get("origins:pk") is None


def test_the_breaker_logs_once_per_outage_and_lets_one_probe_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [100.0]
    breaker = Breaker("Redis", 5.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="rcommerce.redis_client"):
        for _ in range(3):
            breaker.failed(ConnectionError("refused"))
        assert not breaker.allows() and breaker.skipping
        now[0] += 5
        probes = [breaker.allows() for _ in range(10)]
        assert probes == [True] + [False] * 9  # half open: one caller probes
        breaker.failed(ConnectionError("refused"))
        now[0] += 5
        assert breaker.allows()
        breaker.succeeded()
        assert breaker.allows() and not breaker.down
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2, messages
    assert "unavailable" in messages[0] and "back after 10.0 s" in messages[1]


def test_async_callers_wait_for_redis_off_the_event_loop(
    redis_server: RedisProcess, cache: RedisCache, breaker: Breaker
) -> None:
    """``call`` runs Redis's I/O in a worker thread; the memory cache answers on the loop, and
    so does a Redis cache that is skipping Redis, never letting a call there wait for it."""
    cache.set("k", b"v", 60)
    seen: list[str] = []

    def which_thread() -> None:
        seen.append(threading.current_thread().name)

    def pause_ends_meanwhile() -> bytes | None:
        which_thread()
        breaker._closed_at = 0.0  # the next call anywhere else would try Redis again
        return cache.get("k")

    async def main() -> tuple[bytes | None, bytes | None]:
        await cache.call(which_thread)
        await MemoryCache().call(which_thread)
        breaker.failed(ConnectionError("refused"))
        on_the_loop = await cache.call(pause_ends_meanwhile)
        off_the_loop = await cache.call(cache.get, "k")
        return on_the_loop, off_the_loop

    results: list[tuple[bytes | None, bytes | None]] = []
    # A loop of its own, in a thread of its own (another test may leave one running here).
    runner = threading.Thread(target=lambda: results.append(asyncio.run(main())), name="loop")
    runner.start()
    runner.join(10)
    assert seen[0] != "loop" and seen[1:] == ["loop", "loop"]
    assert results == [(None, b"v")]  # the probe waited in a worker thread, and Redis answered
    assert not breaker.down
