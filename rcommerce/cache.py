"""A small key/value cache with expiry: Redis when configured, process memory otherwise.

The cache is never the source of truth, so it never fails its caller: while Redis is
unavailable a read misses, a write is skipped, a delete is remembered and replayed once Redis
answers again, and a counter answers None (unknown) for the caller to decide what that means
(rcommerce.ratelimit, unique visitors). Async code goes through ``call``, which keeps Redis's
network I/O off the event loop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, Protocol, TypeVar

import redis
from starlette.concurrency import run_in_threadpool

from rcommerce import cache_near
from rcommerce.redis_client import Breaker

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


class Cache(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def set(self, key: str, value: bytes, ttl: int) -> None: ...
    def delete(self, *keys: str) -> None: ...
    def incr(self, key: str, ttl: int) -> int | None: ...
    def counter(self, key: str) -> int | None: ...
    def local(self, key: str) -> bytes | None:
        """``get`` answered from this process's memory alone: None when that would need the
        network (the caller then takes the slow path)."""
        ...

    def soon_count(self, key: str) -> int:
        """A ``count_soon`` counter as this process knows it now, without the network."""
        ...

    def count_soon(self, key: str, ttl: int) -> None:
        """Add one to a counter without waiting for the network (the shared total follows
        within moments; while Redis is unavailable such counts are dropped)."""
        ...

    def close(self) -> None:
        """Stop the cache's background threads, if it has any."""
        ...

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` (which uses this cache) from async code, off the event loop when the
        cache does network I/O."""
        ...


class MemoryCache:
    """Bounded LRU with per-key expiry; thread-safe (the in-process runner shares it)."""

    def __init__(self, max_items: int = 50_000) -> None:
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._counters: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()
        self._max = max_items

    def get(self, key: str) -> bytes | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            if hit[0] < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return hit[1]

    def set(self, key: str, value: bytes, ttl: int) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def delete(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._items.pop(key, None)
                self._counters.pop(key, None)

    def incr(self, key: str, ttl: int) -> int:
        now = time.monotonic()
        with self._lock:
            if len(self._counters) > self._max:
                self._prune_counters(now)
            expires, count = self._counters.get(key, (now + ttl, 0))
            if expires < now:
                expires, count = now + ttl, 0
            self._counters[key] = (expires, count + 1)
            return count + 1

    def _prune_counters(self, now: float) -> None:
        """Drop the expired counters and, when more than nine tenths of the bound are still
        live (more unique visitors within an hour than the bound), the oldest ones down to
        that: the next prune is then a tenth of the bound away, not at the next ``incr``."""
        live = {k: v for k, v in self._counters.items() if v[0] >= now}
        keep = self._max * 9 // 10
        if len(live) > keep:
            live = dict(list(live.items())[len(live) - keep :])
        self._counters = live

    def counter(self, key: str) -> int:
        """The current value of an ``incr`` counter (0 when absent or expired)."""
        with self._lock:
            expires, count = self._counters.get(key, (0.0, 0))
            return count if expires >= time.monotonic() else 0

    def local(self, key: str) -> bytes | None:
        return self.get(key)

    def soon_count(self, key: str) -> int:
        return self.counter(key)

    def count_soon(self, key: str, ttl: int) -> None:
        self.incr(key, ttl)

    def close(self) -> None:
        pass

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return fn(*args, **kwargs)  # process memory: nothing to wait for


MAX_PENDING_DELETES = 10_000
# Set while ``call`` runs a function on the event loop because Redis is being skipped: no call
# there may become the one that tries Redis again (and waits for it on the loop).
_ON_THE_LOOP: ContextVar[bool] = ContextVar("rc_cache_on_the_loop", default=False)


class RedisCache:
    """The shared cache. Every call goes through the breaker: an error or a timeout opens it,
    and for its pause the cache answers as if empty without touching the network. Entries the
    hot reads need on every request are also copied in the process (rcommerce.cache_near)."""

    def __init__(self, client: redis.Redis, breaker: Breaker, prefix: str = "rc:") -> None:
        self._client = client
        self._breaker = breaker
        self._prefix = prefix
        self.near = cache_near.NearCopies(client, prefix + cache_near.CHANNEL)
        self._soon = cache_near.SoonCounts(client, prefix)
        self._lock = threading.Lock()
        self._pending_deletes: set[str] = set()  # prefixed keys a delete could not reach
        self._overflowed = False

    def _run(self, op: Callable[[redis.Redis], T], default: T) -> tuple[bool, T]:
        if _ON_THE_LOOP.get() or not self._breaker.allows():
            return False, default
        try:
            result = op(self._client)
        except redis.RedisError as exc:
            self._breaker.failed(exc)
            return False, default
        self._breaker.succeeded()
        if self._pending_deletes:
            self._replay_deletes()
        return True, result

    def get(self, key: str) -> bytes | None:
        if not cache_near.covered(key):
            _, value = self._run(lambda c: c.get(self._prefix + key), None)
            return value if isinstance(value, bytes) else None
        copy = self.local(key)
        if copy is not None:
            return copy
        generation = self.near.generation
        _, value = self._run(lambda c: c.get(self._prefix + key), None)
        if not isinstance(value, bytes):
            return None
        self.near.keep(key, value, generation)
        return value

    def local(self, key: str) -> bytes | None:
        if not cache_near.covered(key):
            return None
        return self.near.peek(key)

    def set(self, key: str, value: bytes, ttl: int) -> None:
        name = self._prefix + key
        if not cache_near.covered(key):
            self._run(lambda c: c.set(name, value, ex=ttl), None)
            return
        generation = self.near.generation
        if cache_near.announced(key):
            done, _ = self._run(lambda c: self._announcing(c, [key], write=(name, value, ttl)), 0)
            self.near.drop([key])
            generation = self.near.generation
        else:
            done, _ = self._run(lambda c: c.set(name, value, ex=ttl), None)
        if done:
            self.near.keep(key, value, generation)

    def delete(self, *keys: str) -> None:
        """Forget entries; one that Redis cannot be told about now is forgotten when it answers
        again (until then nobody reads it: reads miss while Redis is unavailable)."""
        if not keys:
            return
        names = [self._prefix + key for key in keys]
        told = [key for key in keys if cache_near.announced(key)]
        if told:
            self.near.drop(list(keys))
            done, _ = self._run(lambda c: self._announcing(c, told, delete=names), 0)
        else:
            done, _ = self._run(lambda c: c.delete(*names), 0)
        if not done:
            self._remember(names)

    def _announcing(
        self,
        client: redis.Redis,
        keys: list[str],
        *,
        write: tuple[str, bytes, int] | None = None,
        delete: list[str] | None = None,
    ) -> int:
        """Write, and announce ``keys`` to every process's near copies in the same step."""
        pipe = client.pipeline(transaction=True)
        if write is not None:
            pipe.set(write[0], write[1], ex=write[2])
        if delete:
            pipe.delete(*delete)
        pipe.publish(self.near.channel, self.near.announcement(keys))
        pipe.execute()
        return 1

    def incr(self, key: str, ttl: int) -> int | None:
        def count(client: redis.Redis) -> int:
            pipe = client.pipeline()
            pipe.incr(self._prefix + key)
            pipe.expire(self._prefix + key, ttl, nx=True)
            value, _ = pipe.execute()
            return int(value)

        return self._run(count, None)[1]

    def counter(self, key: str) -> int | None:
        done, value = self._run(lambda c: c.get(self._prefix + key), None)
        if not done:
            return None
        return int(value) if isinstance(value, bytes | str) else 0

    def soon_count(self, key: str) -> int:
        return self._soon.count(key)

    def count_soon(self, key: str, ttl: int) -> None:
        self._soon.add(key, ttl)

    def close(self) -> None:
        self.near.close()
        self._soon.close()

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._breaker.skipping:  # every call answers at once without Redis: no thread
            token = _ON_THE_LOOP.set(True)
            try:
                return fn(*args, **kwargs)
            finally:
                _ON_THE_LOOP.reset(token)
        return await run_in_threadpool(fn, *args, **kwargs)

    def _remember(self, names: list[str]) -> None:
        with self._lock:
            room = MAX_PENDING_DELETES - len(self._pending_deletes)
            self._pending_deletes.update(names[: max(room, 0)])
            if room < len(names) and not self._overflowed:
                self._overflowed = True
                log.warning(
                    "more than %d cache deletes wait for Redis: the others' entries may be "
                    "served stale until they expire",
                    MAX_PENDING_DELETES,
                )

    def _replay_deletes(self) -> None:
        with self._lock:
            names, self._pending_deletes, self._overflowed = self._pending_deletes, set(), False
        if not names:
            return
        told = [name[len(self._prefix) :] for name in names]
        told = [key for key in told if cache_near.announced(key)]
        try:
            if told:
                self._announcing(self._client, told, delete=list(names))
            else:
                self._client.delete(*names)
        except redis.RedisError as exc:
            self._breaker.failed(exc)
            self._remember(list(names))
