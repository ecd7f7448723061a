"""Redis as a guest: the process's client (short timeouts, no retries) and the circuit breaker
that skips Redis for a few seconds after it failed, so an outage costs one timeout, not one
per request."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)


def connect(url: str, *, timeout: float) -> redis.Redis:
    """A client whose every call, connecting included, gives up after ``timeout`` seconds and
    is never retried (redis-py retries by default, backing off for up to seconds)."""
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
        health_check_interval=30,
    )


class Breaker:
    """After a failure, ``allows()`` is False for ``pause`` seconds: callers skip Redis and
    degrade (a cache miss, a local count) instead of each waiting for a timeout. The first
    failure of an outage is logged as a warning, the recovery once with what was skipped."""

    def __init__(
        self, name: str, pause: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name = name
        self.pause = pause
        self._clock = clock
        self._lock = threading.Lock()
        self._closed_at = 0.0  # monotonic time from which calls are allowed again
        self._down_since: float | None = None
        self._skipped = 0

    @property
    def down(self) -> bool:
        """Whether the last call failed (and none succeeded since)."""
        return self._down_since is not None

    @property
    def skipping(self) -> bool:
        """Whether calls are skipped right now (down, and no probe due yet)."""
        return self._down_since is not None and self._clock() < self._closed_at

    def allows(self) -> bool:
        if self._down_since is None:
            return True
        now = self._clock()
        if now >= self._closed_at:
            with self._lock:
                if now >= self._closed_at:
                    # Half open: this caller probes; the others keep skipping meanwhile.
                    self._closed_at = now + self.pause
                    return True
        self._skipped += 1  # unlocked: a count for the log, approximate under races
        return False

    def failed(self, error: BaseException) -> None:
        now = self._clock()
        with self._lock:
            self._closed_at = now + self.pause
            if self._down_since is not None:
                return
            self._down_since, self._skipped = now, 0
        log.warning(
            "%s is unavailable (%s: %s); degrading without it, trying again every %g s",
            self.name,
            type(error).__name__,
            error,
            self.pause,
        )

    def succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            down_for, skipped = self._clock() - self._down_since, self._skipped
            self._down_since = None
        log.warning(
            "%s is back after %.1f s (%d calls skipped meanwhile)", self.name, down_for, skipped
        )
