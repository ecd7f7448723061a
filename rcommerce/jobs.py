"""Durable background jobs: a job row is written in the caller's transaction, then run once.

The row is the source of truth (an outbox): after commit it is handed to Celery through Redis
(distributed mode) or to the in-process runner (embedded mode). Execution is idempotent: the
handler's writes and the row's ``done`` mark commit together, so a redelivered job (worker
killed, message restored) applies its effect exactly once.

A run holds a lease on its row, renewed by a heartbeat while the handler works: a job whose
worker died is found by its stale heartbeat and run again (``requeue_abandoned``), a job sent
but never started is sent again (``due_jobs``), and a failed attempt's retry waits in the
table for its due time, never in a broker message.

A job registered with ``batch`` > 1 takes along the other jobs of its name that are due (up
to ``batch`` in all, claimed as the first one is): one handler call and one transaction for
all of them, which commits their ``done`` marks with their effects. A batch that fails puts
the others back and is run again as its first job alone, so one job that cannot succeed
never holds the others back.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, and_, bindparam, func, insert, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import configure_mappers
from sqlmodel import Field, Session, SQLModel, col, select

from rcommerce.db import after_commit
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.timestamps import UTCDateTime, utcnow

log = logging.getLogger(__name__)


class Job(SQLModel, table=True):
    # The due jobs: queued, by due time (the runner's next job, the sweep, the backlog).
    __table_args__ = (Index("ix_job_status_run_at", "status", "run_at"),)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    name: str = Field(max_length=100, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    store_id: int | None = Field(
        default=None, foreign_key="store.id", index=True, ondelete="CASCADE"
    )
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    status: str = Field(default="queued", max_length=16)  # queued|running|done|failed
    run_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    attempts: int = 0
    dispatched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


@dataclass
class JobContext:
    """What a handler gets: the runtime and the session whose commit marks the job done."""

    runtime: Runtime
    session: Session
    job: Job

    def now(self) -> datetime:
        return self.runtime.now()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A separate read-only transaction, for loading data before slow network I/O."""
        with self.runtime.transaction(readonly=True) as session:
            yield session


@dataclass(frozen=True)
class JobSpec:
    name: str
    fn: Callable[..., None]
    max_attempts: int = 8
    base_backoff: float = 10.0
    # Jobs of this name run together, up to this many: ``fn(ctx, payloads)``.
    batch: int = 1

    def backoff(self, attempts: int) -> float:
        """Exponential backoff: 10 s, 20 s, 40 s, ... capped at six hours."""
        return float(min(self.base_backoff * (2 ** max(attempts - 1, 0)), 6 * 3600))


@dataclass(frozen=True)
class PeriodicSpec:
    name: str
    fn: Callable[[Runtime], None]
    every: timedelta | Callable[[Settings], timedelta]
    # Runs in every web process, on what that process holds (its click spool), instead of
    # once for the whole installation (Celery beat).
    local: bool = False

    def interval(self, settings: Settings) -> float:
        every = self.every if isinstance(self.every, timedelta) else self.every(settings)
        return every.total_seconds()


@dataclass
class Registry:
    jobs: dict[str, JobSpec] = field(default_factory=dict)
    periodic: dict[str, PeriodicSpec] = field(default_factory=dict)
    # Called with each job name registered later (modules a Celery worker imports with -I).
    listeners: list[Callable[[str], None]] = field(default_factory=list)

    def add_job(self, spec: JobSpec) -> None:
        self.jobs[spec.name] = spec
        for listener in self.listeners:
            listener(spec.name)


REGISTRY = Registry()


def job(
    name: str, *, max_attempts: int = 8, base_backoff: float = 10.0, batch: int = 1
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register ``fn(ctx, **payload)`` as the handler of jobs called ``name``; with ``batch``
    > 1, ``fn(ctx, payloads)`` with the payloads of up to ``batch`` due jobs of that name (the
    first is ``ctx.job``'s), which it must handle in ``ctx.session``."""

    def register(fn: Callable[..., None]) -> Callable[..., None]:
        REGISTRY.add_job(JobSpec(name, fn, max_attempts, base_backoff, max(batch, 1)))
        return fn

    return register


def periodic(
    name: str, *, every: timedelta | Callable[[Settings], timedelta], local: bool = False
) -> Callable[[Callable[[Runtime], None]], Callable[[Runtime], None]]:
    """Register ``fn(runtime)`` to run on a schedule (Celery beat, or the in-process runner;
    ``local``: in each web process). ``every`` may depend on the settings."""

    def register(fn: Callable[[Runtime], None]) -> Callable[[Runtime], None]:
        REGISTRY.periodic[name] = PeriodicSpec(name, fn, every, local)
        return fn

    return register


_JOB_TABLE = Job.metadata.tables["job"]
_JOB_COLUMNS = tuple(column.name for column in _JOB_TABLE.columns)
_INSERT_JOB = insert(_JOB_TABLE).values({column: bindparam(column) for column in _JOB_COLUMNS})


def enqueue(
    session: Session,
    name: str,
    payload: dict[str, Any] | None = None,
    *,
    store_id: int | None = None,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
) -> Job:
    """Write a job in the caller's transaction; it is dispatched only once that commits. The
    returned row is not attached to the session (read it back with ``session.get``)."""
    if name not in REGISTRY.jobs:
        raise KeyError(f"no job handler registered as {name!r}")
    runtime: Runtime = session.info["runtime"]
    now = runtime.now()
    due = run_at if run_at is not None else now
    values: dict[str, Any] = dict.fromkeys(_JOB_COLUMNS)
    values.update(
        id=uuid.uuid4().hex,
        name=name,
        payload=payload or {},
        store_id=store_id,
        dedupe_key=dedupe_key,
        status="queued",
        run_at=due,
        attempts=0,
        dispatched_at=now if due <= now else None,
        created_at=utcnow(),
    )
    # A statement built once, run on the transaction's connection: no ORM object to validate
    # and flush, nor the session's pending changes to flush first (they cost more than the
    # insert itself, and some callers queue a job per request or per review).
    connection = session.connection()
    if dedupe_key is None:
        connection.execute(_INSERT_JOB, values)
    else:
        written = connection.execute(_insert_once(connection.dialect.name), values)
        if written.rowcount == 0:
            existing = session.exec(select(Job).where(Job.dedupe_key == dedupe_key)).first()
            assert existing is not None
            return existing
    row = Job.model_construct(**values)
    job_id = row.id
    after_commit(session, lambda: runtime.dispatcher.notify(job_id, name, due))
    return row


@functools.cache
def _insert_once(dialect: str) -> Any:
    """The job insert that does nothing when a job with its dedupe key exists."""
    insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(_JOB_TABLE)
        .values({column: bindparam(column) for column in _JOB_COLUMNS})
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )


class AlreadyDone(Exception):
    """Another delivery of the same job committed first."""


class _BatchFailed(Exception):
    """The handler of a batch failed: its jobs are back in the queue, untouched."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class RetryLater(Exception):
    def __init__(self, countdown: float, error: str) -> None:
        super().__init__(error)
        self.countdown = countdown


# A message may reach a worker a little before the job's due time by the worker's clock.
CLOCK_SKEW = timedelta(seconds=5)


def lease_of(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.job_lease)


def execute(runtime: Runtime, job_id: str) -> str:
    """Run one job to completion. Returns done, duplicate, missing, failed, skipped (finished
    already), busy (another worker holds a live lease on it) or stale (a message for an attempt
    that was not sent: a duplicate that arrived after a failure scheduled the next attempt,
    which the runner or the sweep sends when it is due).

    Raises RetryLater when the handler failed and the job should be tried again; the row then
    carries the due time of the next attempt.
    """
    now = runtime.now()
    lease = lease_of(runtime.settings)
    with runtime.transaction() as session:
        # The claim is one conditional update: of two deliveries of a job, one runs it, and
        # only once the job was sent (so a retry never runs before its backoff). It returns
        # the row as claimed (Core, on the transaction's connection: no ORM round).
        claimed = (
            session.connection()
            .execute(
                _claim_statement(),
                {"job_id": job_id, "due": now + CLOCK_SKEW, "stale": now - lease, "now": now},
            )
            .first()
        )
        if claimed is None:
            found = session.get(Job, job_id)
            if found is None:
                return "missing"
            if found.status in ("done", "failed"):
                return "skipped"
            return "busy" if found.status == "running" else "stale"
        row = Job.model_construct(**claimed._mapping)
    # The handler's own transaction starts at its first query, not before: a handler that
    # reads with ctx.read() and then waits on the network holds no write lock meanwhile (it
    # matters on SQLite).
    snapshot, name, attempts = row, row.name, row.attempts
    spec = REGISTRY.jobs.get(name)
    if spec is None:
        _record_failure(runtime, job_id, f"no handler registered for {name}", final=True)
        return "failed"
    try:
        try:
            _run(runtime, spec, snapshot, together=spec.batch > 1)
        except _BatchFailed as failed:
            log.warning(
                "job %s (%s): its batch failed (%s); running it alone", job_id, name, failed.error
            )
            _run(runtime, spec, snapshot, together=False)
    except AlreadyDone:
        return "duplicate"
    except Exception as exc:
        final = attempts >= spec.max_attempts
        error = f"{type(exc).__name__}: {exc}"
        log.warning("job %s (%s) attempt %d failed: %s", job_id, name, attempts, error)
        countdown = spec.backoff(attempts)
        _record_failure(runtime, job_id, error, final=final, retry_in=countdown)
        if final:
            return "failed"
        raise RetryLater(countdown, error) from exc
    return "done"


@functools.cache
def _claim_statement() -> Any:
    """The claim of ``execute`` (built once): the job, if it is due and was sent, or its lease
    ran out; it returns the row as claimed."""
    # The claimed row becomes a Job without an ORM query: the mappers must be set up first
    # (a worker's first job may come before any query of its process).
    configure_mappers()
    job = _JOB_TABLE.c
    stamp = job.run_at.type
    now = bindparam("now", type_=stamp)
    sent = (job.status == "queued") & job.dispatched_at.is_not(None)
    return (
        update(_JOB_TABLE)
        .where(
            job.id == bindparam("job_id"),
            job.run_at <= bindparam("due", type_=stamp),
            or_(sent, _abandoned(bindparam("stale", type_=stamp))),
        )
        .values(status="running", attempts=job.attempts + 1, started_at=now, heartbeat_at=now)
        .returning(*_JOB_TABLE.c)
    )


def _run(runtime: Runtime, spec: JobSpec, row: Job, *, together: bool) -> None:
    """The handler of ``row`` (claimed) in one transaction that marks it done; ``together``:
    with the other due jobs of its name, up to the spec's batch, claimed first in a short
    transaction of their own (_BatchFailed when the handler of more than one job fails: the
    others are then put back as they were)."""
    job_id = row.id
    others = _claim_along(runtime, spec, job_id) if together else []
    with contextlib.ExitStack() as leases:
        for held in [job_id, *(o.id for o in others)]:
            leases.enter_context(_leases(runtime).holding(held))
        try:
            _run_claimed(runtime, spec, row, others)
        except AlreadyDone:
            _release(runtime, others)
            raise
        except Exception as exc:
            if others:
                _release(runtime, others)
                raise _BatchFailed(f"{type(exc).__name__}: {exc}") from exc
            raise


def _run_claimed(runtime: Runtime, spec: JobSpec, row: Job, others: list[Job]) -> None:
    job_id = row.id
    with runtime.transaction() as session:
        # The transaction begins at its first statement: a handler that loads with
        # ctx.read() and then waits on the network (an e-mail) holds no write lock meanwhile.
        context = JobContext(runtime, session, row)
        if others:
            spec.fn(context, [row.payload, *(o.payload for o in others)])
        elif spec.batch > 1:
            spec.fn(context, [row.payload])
        else:
            spec.fn(context, **row.payload)
        now = runtime.now()
        session.flush()  # what the handler left pending, before the mark on the connection
        marked = session.connection().execute(
            update(_JOB_TABLE)
            .where(_JOB_TABLE.c.id == job_id, _JOB_TABLE.c.status != "done")
            .values(status="done", finished_at=now, last_error=None)
        )
        if marked.rowcount == 0:
            raise AlreadyDone(job_id)
        if others:
            session.execute(
                update(Job)
                .where(col(Job.id).in_([o.id for o in others]), col(Job.status) == "running")
                .values(status="done", finished_at=now, last_error=None)
                .execution_options(synchronize_session=False)
            )


def _claim_along(runtime: Runtime, spec: JobSpec, job_id: str) -> list[Job]:
    """Up to ``spec.batch - 1`` other jobs of the spec's name that are due and sent, oldest
    first, claimed as ``execute`` claims one (running, an attempt more, a lease) in a short
    transaction: no lock is held for them while the handler runs (PostgreSQL skips those
    another worker is claiming). A worker that dies with them leaves them to
    ``requeue_abandoned``, as it would the first."""
    now = runtime.now()
    with runtime.transaction() as session:
        others = list(
            session.exec(
                select(Job)
                .where(
                    col(Job.name) == spec.name,
                    col(Job.status) == "queued",
                    col(Job.dispatched_at).is_not(None),
                    col(Job.run_at) <= now,
                    col(Job.id) != job_id,
                )
                .order_by(col(Job.run_at))
                .limit(spec.batch - 1)
                .with_for_update(skip_locked=True)
            )
        )
        if others:
            session.execute(
                update(Job)
                .where(col(Job.id).in_([o.id for o in others]))
                .values(
                    status="running",
                    attempts=col(Job.attempts) + 1,
                    started_at=now,
                    heartbeat_at=now,
                )
                .execution_options(synchronize_session=False)
            )
        for other in others:
            session.expunge(other)
    return others


def _release(runtime: Runtime, others: list[Job]) -> None:
    """Jobs claimed with a batch that failed, back in the queue as they were (the attempt
    they were claimed for not counted): the next run takes them along again."""
    if not others:
        return
    with runtime.transaction() as session:
        session.execute(
            update(Job)
            .where(col(Job.id).in_([o.id for o in others]), col(Job.status) == "running")
            .values(status="queued", attempts=col(Job.attempts) - 1)
            .execution_options(synchronize_session=False)
        )


class _Leases:
    """The leases of the jobs a process runs, renewed four times per lease from one thread per
    runtime (a thread per job cost more than many short jobs themselves). The thread ends
    when no job has been held for a whole period, and starts again with the next one."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @contextmanager
    def holding(self, job_id: str) -> Iterator[None]:
        with self._lock:
            self._held[job_id] = self._held.get(job_id, 0) + 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._renew, name="rc-job-leases", daemon=True
                )
                self._thread.start()
        try:
            yield
        finally:
            with self._lock:
                left = self._held.pop(job_id) - 1
                if left:
                    self._held[job_id] = left

    def _renew(self) -> None:
        every = self.runtime.settings.job_lease / 4
        idle = threading.Event()
        while True:
            idle.wait(every)
            with self._lock:
                held = list(self._held)
                if not held:
                    self._thread = None
                    return
            try:
                with self.runtime.transaction() as session:
                    session.execute(
                        update(Job)
                        .where(col(Job.id).in_(held), col(Job.status) == "running")
                        .values(heartbeat_at=self.runtime.now())
                        .execution_options(synchronize_session=False)
                    )
            except Exception:
                log.exception("renewing the lease of jobs %s failed", ", ".join(held))


_LEASES: weakref.WeakKeyDictionary[Runtime, _Leases] = weakref.WeakKeyDictionary()
_LEASES_LOCK = threading.Lock()


def _leases(runtime: Runtime) -> _Leases:
    with _LEASES_LOCK:
        leases = _LEASES.get(runtime)
        if leases is None:
            leases = _LEASES[runtime] = _Leases(runtime)
        return leases


def _abandoned(stale: Any) -> Any:
    """Running, with a lease that ran out before ``stale``: its worker is gone."""
    heartbeat, started = col(Job.heartbeat_at), col(Job.started_at)
    return and_(
        col(Job.status) == "running",
        or_(heartbeat <= stale, heartbeat.is_(None) & (started <= stale)),
    )


def _record_failure(
    runtime: Runtime, job_id: str, error: str, *, final: bool, retry_in: float = 0.0
) -> None:
    with runtime.transaction() as session:
        row = session.get(Job, job_id)
        if row is None or row.status == "done":
            return
        row.last_error = error[:4000]
        now = runtime.now()
        if final:
            row.status, row.finished_at = "failed", now
        else:
            # The retry waits here, in the table, until it is due: then the runner or the
            # sweep sends it (never a delayed broker message a worker holds meanwhile).
            row.status = "queued"
            row.run_at = now + timedelta(seconds=retry_in)
            row.dispatched_at = None


def requeue_abandoned(runtime: Runtime) -> int:
    """Put back in the queue the running jobs whose worker stopped renewing their lease (a
    read first: the write, and SQLite's write lock, only when there are some)."""
    stale = runtime.now() - lease_of(runtime.settings)
    with runtime.transaction(readonly=True) as session:
        if session.exec(select(Job.id).where(_abandoned(stale)).limit(1)).first() is None:
            return 0
    with runtime.transaction() as session:
        result = session.execute(
            update(Job).where(_abandoned(stale)).values(status="queued", dispatched_at=None)
        )
        count = int(result.rowcount)  # type: ignore[attr-defined]
    if count:
        log.warning("%d running jobs lost their worker; they will run again", count)
    return count


def due_jobs(
    session: Session, now: datetime, *, resend_before: datetime, limit: int = 500
) -> list[Job]:
    """Jobs to send now: due and never sent, or sent before ``resend_before`` and never
    started (their message was lost)."""
    dispatched = col(Job.dispatched_at)
    query = (
        select(Job)
        .where(col(Job.status) == "queued", col(Job.run_at) <= now)
        .where(or_(dispatched.is_(None), dispatched <= resend_before))
        .order_by(col(Job.run_at))
        .limit(limit)
    )
    return list(session.exec(query))


@dataclass(frozen=True)
class Backlog:
    """What to watch in the jobs table (``/healthz``, ``rcommerce jobs status``)."""

    due: int  # queued jobs whose time has come
    oldest_due_seconds: float  # how long the oldest of them has waited (0 when none)
    running: int
    abandoned: int  # running, but their worker stopped renewing the lease
    retrying: int  # queued again after a failed attempt
    failed_last_day: int  # gave up after their last attempt, in the last 24 hours
    failing: dict[str, int]  # job name -> jobs retrying or failed in the last 24 hours


def backlog(session: Session, now: datetime, *, lease: timedelta, detail: bool = True) -> Backlog:
    status, run_at = col(Job.status), col(Job.run_at)
    due, oldest = session.exec(
        select(func.count(), func.min(run_at)).where(status == "queued", run_at <= now)
    ).one()
    waited = (now - oldest).total_seconds() if oldest is not None else 0.0
    if not detail:
        return Backlog(int(due), max(waited, 0.0), 0, 0, 0, 0, {})

    def count(*where: Any) -> int:
        return int(session.exec(select(func.count()).select_from(Job).where(*where)).one())

    day_ago = now - timedelta(days=1)
    failed_recently = (status == "failed") & (col(Job.finished_at) >= day_ago)
    retrying = (status == "queued") & (col(Job.attempts) > 0)
    failing = session.exec(
        select(Job.name, func.count()).where(or_(retrying, failed_recently)).group_by(Job.name)
    )
    return Backlog(
        due=int(due),
        oldest_due_seconds=max(waited, 0.0),
        running=count(status == "running"),
        abandoned=count(_abandoned(now - lease)),
        retrying=count(retrying),
        failed_last_day=count(failed_recently),
        failing={name: int(n) for name, n in failing},
    )
