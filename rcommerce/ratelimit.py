"""Fixed-window rate limits on public endpoints, counted in Redis or process memory."""

from __future__ import annotations

import time

from rcommerce.cache import Cache
from rcommerce.errors import RateLimited


def hit(cache: Cache, scope: str, key: str, *, limit: int, window: int) -> None:
    """Count one request for ``key``; raise RateLimited (429) past ``limit`` per ``window`` s."""
    bucket = int(time.time() // window)
    count = cache.incr(f"rl:{scope}:{key}:{bucket}", window + 1)
    if count > limit:
        retry_after = window - int(time.time() % window)
        raise RateLimited("Too many requests; try again shortly.", retry_after=max(retry_after, 1))
