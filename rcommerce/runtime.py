"""The per-process runtime: engine, cache, Redis, mailer, clock and the job dispatcher.

Built once by the web app's lifespan, by the Celery worker at start, or by a CLI command;
never at import time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

import redis
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select, update

from rcommerce import db, domains
from rcommerce.cache import Cache, MemoryCache, RedisCache
from rcommerce.jobs import REGISTRY, Job, RetryLater, due_jobs, execute, periodic
from rcommerce.mail import Mailer, make_mailer
from rcommerce.settings import Settings
from rcommerce.types import utcnow

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger(__name__)


class Dispatcher(Protocol):
    def notify(self, job_id: str, name: str, run_at: datetime) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...


class Runtime:
    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        clock: Callable[[], datetime] = utcnow,
        mailer: Mailer | None = None,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        domains.load("models")
        domains.load("tasks")
        self.settings = settings
        self.engine = engine or db.make_engine(settings)
        self.clock = clock
        self.mailer = mailer or make_mailer(settings.smtp_url, settings.mail_from)
        self.redis: redis.Redis | None = None
        self.cache: Cache
        if settings.redis_url:
            self.redis = redis.Redis.from_url(settings.redis_url, health_check_interval=30)
            self.cache = RedisCache(self.redis)
        else:
            self.cache = MemoryCache()
        self.dispatcher: Dispatcher = dispatcher or (
            CeleryDispatcher(self) if settings.distributed else InProcessRunner(self)
        )

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

    def close(self) -> None:
        self.dispatcher.stop()
        if self.redis is not None:
            self.redis.close()
        self.engine.dispose()


class InProcessRunner:
    """Embedded mode: a daemon thread runs due jobs and the periodic schedule, no broker."""

    def __init__(self, runtime: Runtime, poll_seconds: float = 2.0) -> None:
        self.runtime = runtime
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_periodic: dict[str, float] = {}

    def notify(self, job_id: str, name: str, run_at: datetime) -> None:
        self._idle.clear()
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            # Embedded mode has one process: a job left running belongs to a process that died.
            with self.runtime.transaction() as session:
                session.execute(
                    update(Job).where(col(Job.status) == "running").values(status="queued")
                )
            self._thread = threading.Thread(target=self._loop, name="rcommerce-jobs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def drain(self, timeout: float = 30.0) -> None:
        """Run every job that is due now, in this thread (tests, CLI) or wait for the runner."""
        if self._thread is None:
            self.run_due()
            return
        self._idle.clear()
        self._wake.set()
        if not self._idle.wait(timeout):
            raise TimeoutError("background jobs did not finish in time")

    def run_due(self) -> int:
        """Claim and run due jobs until none is left; returns how many ran."""
        ran = 0
        while not self._stop.is_set():
            job_id = self._claim()
            if job_id is None:
                return ran
            ran += 1
            try:
                execute(self.runtime, job_id)
            except RetryLater:
                pass  # the row carries the new run_at
            except Exception:
                log.exception("job %s crashed the runner step", job_id)
        return ran

    def run_periodic(self, *, force: bool = False) -> None:
        now = time.monotonic()
        for spec in REGISTRY.periodic.values():
            if not force and self._next_periodic.get(spec.name, 0.0) > now:
                continue
            self._next_periodic[spec.name] = now + spec.every.total_seconds()
            try:
                spec.fn(self.runtime)
            except Exception:
                log.exception("periodic task %s failed", spec.name)

    def _claim(self) -> str | None:
        now = self.runtime.now()
        with self.runtime.transaction() as session:
            candidate = session.exec(
                select(Job.id)
                .where(col(Job.status) == "queued", col(Job.run_at) <= now)
                .order_by(col(Job.run_at))
                .limit(1)
            ).first()
            if candidate is None:
                return None
            # The conditional update is the claim: two runners never take the same job.
            claimed = session.execute(
                update(Job)
                .where(col(Job.id) == candidate, col(Job.status) == "queued")
                .values(dispatched_at=now)
            )
            return candidate if claimed.rowcount else None  # type: ignore[attr-defined]

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_periodic()
                self.run_due()
            except Exception:
                log.exception("in-process job runner step failed")
            self._idle.set()
            self._wake.wait(self.poll_seconds)
            self._wake.clear()


class CeleryDispatcher:
    """Distributed mode: hand each committed job to Celery through Redis."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._celery: Celery | None = None

    @property
    def celery(self) -> Celery:
        if self._celery is None:
            from rcommerce.worker import create_celery

            self._celery = create_celery(self.runtime.settings, runtime=self.runtime)
        return self._celery

    def notify(self, job_id: str, name: str, run_at: datetime) -> None:
        if run_at <= self.runtime.now():
            self.celery.send_task(name, args=[job_id], task_id=job_id)
        # Later jobs are sent by the jobs.sweep periodic task when they fall due.

    def sweep(self) -> int:
        """Send due jobs that were never sent or whose delivery was lost."""
        settings = self.runtime.settings
        now = self.runtime.now()
        redispatch_after = timedelta(seconds=max(settings.task_visibility_timeout, 60) * 2)
        with self.runtime.transaction() as session:
            rows = due_jobs(session, now, redispatch_after=redispatch_after)
            for row in rows:
                row.dispatched_at = now
            due = [(row.id, row.name) for row in rows]
        for job_id, name in due:
            self.celery.send_task(name, args=[job_id], task_id=job_id)
        return len(due)

    def start(self) -> None:
        pass

    def stop(self) -> None:
        if self._celery is not None:
            self._celery.close()


@periodic("jobs.sweep", every=timedelta(seconds=30))
def sweep_jobs(runtime: Runtime) -> None:
    """Send jobs that fell due (delayed ones) or whose message was lost."""
    if isinstance(runtime.dispatcher, CeleryDispatcher):
        runtime.dispatcher.sweep()
