"""A small key/value cache with expiry: Redis when configured, process memory otherwise."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Protocol

import redis


class Cache(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def set(self, key: str, value: bytes, ttl: int) -> None: ...
    def delete(self, *keys: str) -> None: ...
    def incr(self, key: str, ttl: int) -> int: ...
    def counter(self, key: str) -> int: ...


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
                self._counters = {k: v for k, v in self._counters.items() if v[0] >= now}
            expires, count = self._counters.get(key, (now + ttl, 0))
            if expires < now:
                expires, count = now + ttl, 0
            self._counters[key] = (expires, count + 1)
            return count + 1

    def counter(self, key: str) -> int:
        """The current value of an ``incr`` counter (0 when absent or expired)."""
        with self._lock:
            expires, count = self._counters.get(key, (0.0, 0))
            return count if expires >= time.monotonic() else 0


class RedisCache:
    def __init__(self, client: redis.Redis, prefix: str = "rc:") -> None:
        self._client = client
        self._prefix = prefix

    def get(self, key: str) -> bytes | None:
        value = self._client.get(self._prefix + key)
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes, ttl: int) -> None:
        self._client.set(self._prefix + key, value, ex=ttl)

    def delete(self, *keys: str) -> None:
        if keys:
            self._client.delete(*(self._prefix + key for key in keys))

    def incr(self, key: str, ttl: int) -> int:
        pipe = self._client.pipeline()
        pipe.incr(self._prefix + key)
        pipe.expire(self._prefix + key, ttl, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def counter(self, key: str) -> int:
        value = self._client.get(self._prefix + key)
        return int(value) if isinstance(value, bytes | str) else 0
