"""Running jobs and periodic work inside a process: the embedded mode's job runner (a daemon
thread in the web process runs due jobs and the periodic schedule, with no broker), and the
thread that runs a distributed web process's local periodic work."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import col, select, update

from rcommerce import db
from rcommerce.jobs import (
    REGISTRY,
    Job,
    PeriodicSpec,
    RetryLater,
    execute,
    requeue_abandoned,
)
from rcommerce.runtime import Runtime

log = logging.getLogger(__name__)

_JOB = Job.metadata.tables["job"].c
# The next job due: built once (ix_job_status_run_at finds it).
_NEXT_DUE = (
    select(_JOB.id, _JOB.dispatched_at, _JOB.name, _JOB.run_at)
    .where(_JOB.status == "queued", _JOB.run_at <= bindparam("now", type_=_JOB.run_at.type))
    .order_by(_JOB.run_at)
    .limit(1)
)


class PeriodicThread:
    """Runs periodic specs on their schedule in a daemon thread (``start``/``stop``), or when
    asked (``run_due``)."""

    def __init__(self, runtime: Runtime, specs: Iterable[PeriodicSpec]) -> None:
        self.runtime = runtime
        self.specs = list(specs)
        self._next: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_due(self, *, force: bool = False) -> None:
        now = time.monotonic()
        for spec in self.specs:
            if not force and self._next.get(spec.name, 0.0) > now:
                continue
            self._next[spec.name] = now + spec.interval(self.runtime.settings)
            try:
                spec.fn(self.runtime)
            except Exception:
                log.exception("periodic task %s failed", spec.name)

    def start(self) -> None:
        if self._thread is None and self.specs:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="rc-periodic", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
            self.run_due(force=True)  # what this process holds goes to the database first

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_due()
            upcoming = min(self._next.values(), default=time.monotonic() + 1.0)
            self._stop.wait(max(0.05, upcoming - time.monotonic()))


class InProcessRunner:
    """Embedded mode: a daemon thread runs due jobs and the periodic schedule, no broker.

    A job of a batched kind (``@job(batch=N)``: moderation, scoring, thank-yous) that was
    queued less than ``gather_seconds`` ago is run once it is that old, with the others of its
    kind queued meanwhile: under a burst of submissions the runner moderates twenty reviews
    in one transaction instead of one or two, and a review waits at most that long more.
    Jobs already older (a backlog) run at once."""

    gather_seconds = 0.1

    def __init__(self, runtime: Runtime, poll_seconds: float = 2.0) -> None:
        self.runtime = runtime
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread: threading.Thread | None = None
        self._periodic = PeriodicThread(runtime, REGISTRY.periodic.values())

    def notify(self, job_id: str, name: str, run_at: datetime) -> None:
        self._idle.clear()
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
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
        """Claim and run due jobs until none is left; returns how many ran. Jobs of a process
        that died while running them (their lease ran out) are due again."""
        requeue_abandoned(self.runtime)
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
        self._periodic.run_due(force=force)

    def _claim(self) -> str | None:
        """The next due job, marked sent if it was not (a retry whose time came): ``execute``
        claims it. A read first: a job queued already due was marked sent as it was written,
        and then no write (nor SQLite's write lock) is needed here."""
        now = self.runtime.now()
        with self.runtime.transaction(readonly=True) as session:
            candidate = session.connection().execute(_NEXT_DUE, {"now": now}).first()
        if candidate is None:
            return None
        job_id, dispatched_at, name, run_at = candidate
        self._gather(name, run_at, now)
        if dispatched_at is not None:
            return str(job_id)
        with self.runtime.transaction() as session:
            # The conditional update is the claim: two runners never take the same job.
            claimed = session.execute(
                update(Job)
                .where(col(Job.id) == job_id, col(Job.status) == "queued")
                .values(dispatched_at=now)
            )
            return str(job_id) if claimed.rowcount else None  # type: ignore[attr-defined]

    def _gather(self, name: str, run_at: datetime, now: datetime) -> None:
        """Wait until a young job of a batched kind is ``gather_seconds`` old (see above)."""
        spec = REGISTRY.jobs.get(name)
        if spec is None or spec.batch <= 1 or not self.gather_seconds:
            return
        young = self.gather_seconds - (now - run_at).total_seconds()
        if young > 0:
            self._stop.wait(min(young, self.gather_seconds))

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                with db.background_writes():  # requests write first (see WriterTurns)
                    self.run_periodic()
                    self.run_due()
            except Exception:
                log.exception("in-process job runner step failed")
            self._idle.set()
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
