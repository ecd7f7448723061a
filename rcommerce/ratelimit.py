"""Rate limits on public endpoints: a sliding-window counter in Redis or process memory.

Each key counts requests in fixed windows; the estimate is the current window's count plus the
previous window's, weighted by how much of it still overlaps the last ``window`` seconds. Unlike
plain fixed windows, a client cannot double its budget by straddling a window boundary.

While Redis is unavailable a limit does what its caller chose (``when_down``): ``"open"`` lets
requests through (reads: nothing to abuse), ``"local"`` counts in this process's memory instead
(logins, submissions, e-mails: still limited, each web process applying the limit on its own).
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
    await cache.call(hit_now, cache, scope, key, limit=limit, window=window, when_down=when_down)


def hit_now(
    cache: Cache, scope: str, key: str, *, limit: int, window: int, when_down: WhenDown
) -> None:
    """``hit`` for synchronous code (it may wait for Redis: never call it on the event loop)."""
    if _counted(cache, scope, key, limit, window) or when_down == "open":
        return
    _counted(_LOCAL, scope, key, limit, window)


def _counted(cache: Cache, scope: str, key: str, limit: int, window: int) -> bool:
    """Count the request in ``cache``; False when the cache could not tell the counts."""
    now = time.time()
    bucket = int(now // window)
    elapsed = (now % window) / window
    prefix = f"rl:{scope}:{key}:"
    previous = cache.counter(f"{prefix}{bucket - 1}")
    current = cache.counter(f"{prefix}{bucket}") if previous is not None else None
    if previous is None or current is None:
        return False
    # Refused requests are not counted, so a client that backs off gets its budget back as
    # the window slides (concurrent requests may overshoot by a few, which is acceptable).
    if current + 1 + previous * (1 - elapsed) > limit:
        retry_after = math.ceil(window - now % window)
        raise RateLimited("Too many requests; try again shortly.", retry_after=max(retry_after, 1))
    cache.incr(f"{prefix}{bucket}", window * 2)
    return True
