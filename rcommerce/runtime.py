"""The per-process runtime: engine, cache, Redis, mailer, clock and the job dispatcher.

Built once by the web app's lifespan, by the Celery worker at start, or by a CLI command
(through ``rcommerce.boot.start_runtime``, which loads the domains and attaches the dispatcher
of the mode); never at import time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Protocol, TypeVar

import redis
from sqlalchemy.engine import Engine
from sqlmodel import Session

from rcommerce import db
from rcommerce.cache import Cache, MemoryCache, RedisCache
from rcommerce.mail import Mailer, make_mailer
from rcommerce.redis_client import Breaker, connect
from rcommerce.settings import Settings
from rcommerce.timestamps import utcnow

T = TypeVar("T")

log = logging.getLogger(__name__)


class Dispatcher(Protocol):
    """Hands committed jobs to whatever runs them (rcommerce.runner, rcommerce.worker)."""

    def notify(self, job_id: str, name: str, run_at: datetime) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...


class Unattached:
    """The dispatcher of a runtime built without one: jobs stay in their table (the source of
    truth) until a runner or the distributed sweep takes them."""

    def notify(self, job_id: str, name: str, run_at: datetime) -> None:
        log.debug("job %s (%s) waits for a runner: no dispatcher attached", job_id, name)

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


class Runtime:
    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        clock: Callable[[], datetime] = utcnow,
        mailer: Mailer | None = None,
        dispatcher: Callable[[Runtime], Dispatcher] | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine or db.make_engine(settings)
        self.clock = clock
        self.mailer = mailer or make_mailer(
            settings.smtp_url, settings.mail_from, demo=settings.demo
        )
        self.redis: redis.Redis | None = None
        # Shared by every use of Redis in the process: one failure makes them all skip it.
        self.redis_breaker = Breaker("Redis", settings.redis_pause)
        self.cache: Cache
        if settings.redis_url:
            self.redis = connect(settings.redis_url, timeout=settings.redis_timeout)
            self.cache = RedisCache(self.redis, self.redis_breaker)
        else:
            self.cache = MemoryCache()
        self.dispatcher: Dispatcher = dispatcher(self) if dispatcher is not None else Unattached()
        # SQLite writes one transaction at a time: the hot writes are committed in groups.
        self._group = db.GroupCommit(self.transaction) if settings.is_sqlite else None

    def now(self) -> datetime:
        return self.clock()

    def timestamp(self) -> float:
        """``now()`` as POSIX seconds; the real clock skips building a datetime."""
        return time.time() if self.clock is utcnow else self.clock().timestamp()

    @contextmanager
    def transaction(self, *, readonly: bool = False) -> Iterator[Session]:
        with db.transaction(self.engine, readonly=readonly) as session:
            session.info["runtime"] = self
            yield session

    def grouped_transaction(self, fn: Callable[[Session], T]) -> T:
        """``fn(session)`` in a committed unit of work, which on SQLite may be committed in one
        transaction with others that arrive meanwhile (``db.GroupCommit``: ``fn`` does nothing
        but database work, and may run twice). Blocks: call it off the event loop."""
        if self._group is None:
            with self.transaction() as session:
                return fn(session)
        return self._group.run(fn)

    def close(self) -> None:
        self.dispatcher.stop()
        self.cache.close()
        if self.redis is not None:
            self.redis.close()
        self.engine.dispose()
