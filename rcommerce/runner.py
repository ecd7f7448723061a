"""Embedded mode's job runner: a daemon thread in the web process runs due jobs and the
periodic schedule, with no broker."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from sqlmodel import col, select, update

from rcommerce.jobs import REGISTRY, Job, RetryLater, execute
from rcommerce.runtime import Runtime

log = logging.getLogger(__name__)


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
