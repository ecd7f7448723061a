"""Rate limits on public endpoints: a sliding-window counter in Redis or process memory.

Each key counts requests in fixed windows; the estimate is the current window's count plus the
previous window's, weighted by how much of it still overlaps the last ``window`` seconds. Unlike
plain fixed windows, a client cannot double its budget by straddling a window boundary.

While Redis is unavailable a limit does what its caller chose (``when_down``): ``"open"`` lets
requests through (reads: nothing to abuse), ``"local"`` counts in this process's memory instead
(logins, submissions, e-mails: still limited, each web process applying the limit on its own).
An ``"open"`` limit guards the hottest public reads, so it never waits for Redis: it counts in
the process and the counts reach Redis in batches (``Cache.count_soon``), which lets a client
overshoot by what the other web processes counted in the last fraction of a second.
"""

from __future__ import annotations

import math
import time
from typing import Literal

from rcommerce.cache import Cache, MemoryCache
from rcommerce.errors import RateLimited

WhenDown = Literal["open", "local"]

# The counts of "local" limits while the shared cache cannot count.
_LOCAL = MemoryCache()


async def hit(
    cache: Cache, scope: str, key: str, *, limit: int, window: int, when_down: WhenDown
) -> None:
    """Count one request for ``key``; raise RateLimited (429) past ``limit`` per ``window`` s."""
    if when_down == "open":
        _counted_soon(cache, scope, key, limit, window)
        return
    await cache.call(hit_now, cache, scope, key, limit=limit, window=window, when_down=when_down)


def hit_now(
    cache: Cache, scope: str, key: str, *, limit: int, window: int, when_down: WhenDown
) -> None:
    """``hit`` for synchronous code (it may wait for Redis: never call it on the event loop,
    unless ``when_down`` is ``"open"``: those limits never wait)."""
    if when_down == "open":
        _counted_soon(cache, scope, key, limit, window)
        return
    if _counted(cache, scope, key, limit, window):
        return
    _counted(_LOCAL, scope, key, limit, window)


def _counted(cache: Cache, scope: str, key: str, limit: int, window: int) -> bool:
    """Count the request in ``cache``; False when the cache could not tell the counts."""
    now = time.time()
    bucket = int(now // window)
    prefix = f"rl:{scope}:{key}:"
    previous = cache.counter(f"{prefix}{bucket - 1}")
    current = cache.counter(f"{prefix}{bucket}") if previous is not None else None
    if previous is None or current is None:
        return False
    _judge(now, current, previous, limit, window)
    cache.incr(f"{prefix}{bucket}", window * 2)
    return True


def _counted_soon(cache: Cache, scope: str, key: str, limit: int, window: int) -> None:
    """``_counted`` on the counts this process knows now, without waiting for the network."""
    now = time.time()
    bucket = int(now // window)
    prefix = f"rl:{scope}:{key}:"
    previous = cache.soon_count(f"{prefix}{bucket - 1}")
    _judge(now, cache.soon_count(f"{prefix}{bucket}"), previous, limit, window)
    cache.count_soon(f"{prefix}{bucket}", window * 2)


def _judge(now: float, current: int, previous: int, limit: int, window: int) -> None:
    # Refused requests are not counted, so a client that backs off gets its budget back as
    # the window slides (concurrent requests may overshoot by a few, which is acceptable).
    elapsed = (now % window) / window
    if current + 1 + previous * (1 - elapsed) > limit:
        retry_after = math.ceil(window - now % window)
        raise RateLimited("Too many requests; try again shortly.", retry_after=max(retry_after, 1))
