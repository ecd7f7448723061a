"""Distributed mode's process-local layer in front of Redis, for the hot public reads.

A widget read or a referral redirect must not wait for Redis round trips: in distributed mode
each web process keeps

- **near copies** of the shared-cache entries that change rarely and are read on every widget
  request (a store's allowed origins, a product's cache version, a cached page). Every write of
  such an entry publishes its key on a Redis pub/sub channel, and each process's listener drops
  its copy when the key is announced. A copy is used only while the listener is subscribed and
  has heard from Redis within ``SILENCE`` seconds (it pings it every second): when the
  subscription breaks or Redis stops answering (stopped, frozen, partitioned), the copies are
  dropped and reads go to Redis again, which then answers or fails as before. A slow answer to
  a request's own Redis call (the process's breaker) does not drop them: while the listener
  hears every announcement, a copy is exactly as current as Redis's entry. A copy read from
  Redis is kept only if no key was announced meanwhile (a generation count), so a late copy
  never outlives the write that retired it;
- **soon counts**: counters added up in process memory and sent to Redis in one pipeline every
  ``FLUSH_EVERY`` seconds (the per-address widget read limit). A request is judged on the last
  total Redis returned plus what this process counted since, so the limit holds across
  processes to within one flush interval. The counts apply only while Redis took the last
  batch: until it first answers, and while it is unavailable, the counts are dropped and those
  limits are open, as they were before (they are the ``"open"`` limits).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid

import redis

log = logging.getLogger(__name__)

NEAR_PREFIXES = ("origins:", "reviews:v:", "reviews:c:")
# Written once under a key that names its content (the product's version is in the key): a new
# write is the same page, so it retires nothing and is not announced.
UNANNOUNCED_PREFIXES = ("reviews:c:",)
CHANNEL = "near-cache"
COPY_TTL = 60.0  # seconds a copy lives at most, announcements or not
MAX_COPIES = 20_000
PING_EVERY = 1.0
SILENCE = 3.0  # seconds without a word from Redis after which copies are not trusted
FLUSH_EVERY = 0.05
MAX_KNOWN = 100_000


def covered(key: str) -> bool:
    return key.startswith(NEAR_PREFIXES)


def announced(key: str) -> bool:
    return key.startswith(NEAR_PREFIXES) and not key.startswith(UNANNOUNCED_PREFIXES)


def background_client(client: redis.Redis) -> redis.Redis:
    """A client of its own for a background thread (a subscribed connection serves nothing
    else), with the same address as ``client`` and longer timeouts."""
    pool = client.connection_pool
    kwargs = dict(pool.connection_kwargs)
    kwargs["health_check_interval"] = 0  # the listener pings on its own schedule
    # Off the request path: a busy process may take a while to read an answer, and the
    # listener's own SILENCE check decides when Redis is gone.
    kwargs["socket_timeout"] = kwargs["socket_connect_timeout"] = SILENCE / 2
    return redis.Redis(
        connection_pool=redis.ConnectionPool(connection_class=pool.connection_class, **kwargs)
    )


class NearCopies:
    """Copies of announced entries, trusted only while the listener hears Redis."""

    def __init__(self, client: redis.Redis, channel: str) -> None:
        self._client = client
        self.channel = channel
        # Announcements name their sender: a process applies its own writes to its copies at
        # once, so it skips their echo.
        self.sender = uuid.uuid4().hex[:12]
        self._items: dict[str, tuple[float, bytes]] = {}
        self._lock = threading.Lock()
        self.generation = 0
        self._live = False
        self._heard = 0.0  # monotonic time of the listener's last word from Redis
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()

    @property
    def live(self) -> bool:
        return self._live and time.monotonic() - self._heard < SILENCE

    def peek(self, key: str) -> bytes | None:
        """The copy of ``key``, when one is held and may be trusted now."""
        if self._thread is None:
            self._start()
        if not self.live:
            return None
        hit = self._items.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def keep(self, key: str, value: bytes, generation: int) -> None:
        """Hold ``value`` (read or written when the generation was ``generation``)."""
        with self._lock:
            if not self._live or generation != self.generation:
                return
            if len(self._items) >= MAX_COPIES:
                self._items.clear()
            self._items[key] = (time.monotonic() + COPY_TTL, value)

    def announcement(self, keys: list[str]) -> str:
        return "\n".join([self.sender, *keys])

    def drop(self, keys: list[str]) -> None:
        with self._lock:
            self.generation += 1
            for key in keys:
                self._items.pop(key, None)

    def close(self) -> None:
        self._closed.set()

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(
                target=self._listen, name="rcommerce-near-cache", daemon=True
            )
            self._thread.start()

    def _dark(self) -> None:
        with self._lock:
            self._live = False
            self.generation += 1
            self._items.clear()

    def _listen(self) -> None:
        client = background_client(self._client)
        while not self._closed.is_set():
            pubsub = client.pubsub()
            try:
                self._follow(pubsub)
            except (redis.RedisError, OSError, ValueError) as exc:
                if self._live:
                    log.warning("near cache: lost Redis (%s); reading through to it", exc)
            finally:
                self._dark()
                with contextlib.suppress(redis.RedisError, OSError):
                    pubsub.close()
            self._closed.wait(PING_EVERY)
        client.close()

    def _follow(self, pubsub: redis.client.PubSub) -> None:
        pubsub.subscribe(self.channel)
        pinged = time.monotonic()
        while not self._closed.is_set():
            now = time.monotonic()
            if now - pinged >= PING_EVERY:
                pubsub.ping()
                pinged = now
            if self._live and now - self._heard >= SILENCE:
                raise redis.TimeoutError(f"no answer from Redis for {SILENCE:g} s")
            message = pubsub.get_message(timeout=PING_EVERY / 2)
            if message is None:
                continue
            self._heard = time.monotonic()
            kind = message["type"]
            if kind == "subscribe":
                with self._lock:
                    self._items.clear()
                    self.generation += 1
                    self._live = True
            elif kind == "message":
                data = message["data"]
                sender, *keys = (data.decode() if isinstance(data, bytes) else str(data)).split(
                    "\n"
                )
                if sender != self.sender:
                    self.drop(keys)


class SoonCounts:
    """Counters counted here and added to Redis in batches by a background thread."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = background_client(client)
        self._prefix = prefix
        self._pending: dict[str, list[int]] = {}  # key -> [count, ttl]
        self._known: dict[str, tuple[float, int]] = {}  # key -> (expires, Redis's total)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()
        self.healthy = False  # whether Redis took the last batch

    def count(self, key: str) -> int:
        """The count as known now: Redis's last total plus what is not sent yet (0 while Redis
        does not take the counts)."""
        if not self.healthy:
            return 0
        known = self._known.get(key)
        total = known[1] if known is not None and known[0] >= time.monotonic() else 0
        pending = self._pending.get(key)
        return total + (pending[0] if pending is not None else 0)

    def add(self, key: str, ttl: int) -> None:
        with self._lock:
            pending = self._pending.get(key)
            if pending is None:
                self._pending[key] = [1, ttl]
            else:
                pending[0] += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._flushing, name="rcommerce-soon-counts", daemon=True
                )
                self._thread.start()

    def flush(self) -> None:
        """Send what was counted; Redis's totals become the known counts."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if not pending:
            return
        keys = list(pending)
        pipe = self._client.pipeline(transaction=False)
        for key in keys:
            count, ttl = pending[key]
            pipe.incrby(self._prefix + key, count)
            pipe.expire(self._prefix + key, ttl, nx=True)
        try:
            replies = pipe.execute()
        except redis.RedisError:
            self.healthy = False  # dropped: while Redis is away these limits are open
            return
        self.healthy = True
        now = time.monotonic()
        with self._lock:
            if len(self._known) > MAX_KNOWN:
                self._known = {k: v for k, v in self._known.items() if v[0] >= now}
            for key, total in zip(keys, replies[::2], strict=True):
                self._known[key] = (now + pending[key][1], int(total))

    def close(self) -> None:
        self._closed.set()

    def _flushing(self) -> None:
        while not self._closed.wait(FLUSH_EVERY):
            try:
                self.flush()
            except Exception:  # the thread must outlive any surprise; counts are best effort
                log.exception("near cache: could not send counts to Redis")
