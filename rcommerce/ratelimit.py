"""Rate limits on public endpoints: a sliding-window counter in Redis or process memory.

Each key counts requests in fixed windows; the estimate is the current window's count plus the
previous window's, weighted by how much of it still overlaps the last ``window`` seconds. Unlike
plain fixed windows, a client cannot double its budget by straddling a window boundary.
"""

from __future__ import annotations

import math
import time

from rcommerce.cache import Cache
from rcommerce.errors import RateLimited


def hit(cache: Cache, scope: str, key: str, *, limit: int, window: int) -> None:
    """Count one request for ``key``; raise RateLimited (429) past ``limit`` per ``window`` s."""
    now = time.time()
    bucket = int(now // window)
    elapsed = (now % window) / window
    prefix = f"rl:{scope}:{key}:"
    previous = cache.counter(f"{prefix}{bucket - 1}") * (1 - elapsed)
    # Refused requests are not counted, so a client that backs off gets its budget back as
    # the window slides (concurrent requests may overshoot by a few, which is acceptable).
    if cache.counter(f"{prefix}{bucket}") + 1 + previous > limit:
        retry_after = math.ceil(window - now % window)
        raise RateLimited("Too many requests; try again shortly.", retry_after=max(retry_after, 1))
    cache.incr(f"{prefix}{bucket}", window * 2)
