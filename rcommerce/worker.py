"""Distributed mode's jobs: the Celery application (the same Settings as the web app, tasks
from every domain's jobs), the dispatcher that hands committed jobs to it through Redis, and
the sweep that sends due, lost and abandoned jobs again."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery import Celery
from celery.signals import worker_process_shutdown
from kombu.exceptions import ChannelError

from rcommerce import domains
from rcommerce.jobs import (
    REGISTRY,
    RetryLater,
    due_jobs,
    execute,
    lease_of,
    periodic,
    requeue_abandoned,
)
from rcommerce.runner import PeriodicThread
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings

log = logging.getLogger(__name__)
_runtimes: dict[int, Runtime] = {}
QUEUE = "rcommerce"
# A web process gives up on Redis quickly when it sends a job: the job is in its table, and the
# sweep sends it if this message never left.
PUBLISH_TIMEOUT = 1.0
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# While the queue holds messages, a job sent but not started may just be waiting its turn:
# it is sent again only after this many leases (instead of half of one).
BACKLOG_LEASES = 10


def create_celery(settings: Settings, *, runtime: Runtime | None = None) -> Celery:
    """Build the Celery app. ``runtime`` is given by a web process that only sends tasks."""
    domains.load_all()
    app = Celery("rcommerce", broker=settings.redis_url or "memory://", set_as_current=False)
    publisher = runtime is not None
    timeouts = (
        {"socket_timeout": PUBLISH_TIMEOUT, "socket_connect_timeout": PUBLISH_TIMEOUT}
        if publisher
        else {"socket_connect_timeout": 10}
    )
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_default_queue=QUEUE,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        # A worker (and beat) waits for Redis as long as it is down; a web process does not.
        broker_connection_max_retries=1 if publisher else None,
        broker_transport_options={
            "visibility_timeout": settings.task_visibility_timeout,
            # Look for messages of dead workers every few seconds (kombu's default is ~100 s).
            "unacked_restore_interval": min(10, max(1, settings.task_visibility_timeout // 2)),
            "unacked_restore_throttle": 1,
            "global_keyprefix": "rcommerce:",
            **timeouts,
        },
        broker_connection_timeout=PUBLISH_TIMEOUT if publisher else 4,
        timezone="UTC",
        enable_utc=True,
        worker_hijack_root_logger=False,
        **({"task_publish_retry_policy": PUBLISH_RETRY} if publisher else {}),
        beat_schedule={
            spec.name: {"task": spec.name, "schedule": spec.interval(settings)}
            for spec in REGISTRY.periodic.values()
            if not spec.local
        },
    )

    def current_runtime() -> Runtime:
        if runtime is not None:
            return runtime
        # One runtime per Celery app in each worker process, built on first use
        # (after the pool forks, so no connection is shared across processes).
        key = id(app)
        if key not in _runtimes:
            _runtimes[key] = Runtime(settings, dispatcher=lambda rt: CeleryDispatcher(rt, app))
        return _runtimes[key]

    for spec in REGISTRY.jobs.values():
        _register_job_task(app, spec.name, current_runtime)
    REGISTRY.listeners.append(lambda name: _register_job_task(app, name, current_runtime))
    for pspec in REGISTRY.periodic.values():
        _register_periodic_task(app, pspec.name, current_runtime)
    return app


def _register_job_task(app: Celery, name: str, current_runtime: Any) -> None:
    @app.task(name=name, acks_late=True)
    def run(job_id: str) -> str:
        try:
            return execute(current_runtime(), job_id)
        except RetryLater:
            return "retry"  # the job's row says when; the sweep sends it then


def _register_periodic_task(app: Celery, name: str, current_runtime: Any) -> None:
    @app.task(name=name, acks_late=True, ignore_result=True)
    def run() -> None:
        REGISTRY.periodic[name].fn(current_runtime())


@worker_process_shutdown.connect
def _close_runtimes(**_: Any) -> None:
    for runtime in _runtimes.values():
        runtime.close()
    _runtimes.clear()


class CeleryDispatcher:
    """Distributed mode: hand each committed job to Celery through Redis. In a web process it
    also runs the local periodic work (copying this process's spooled clicks)."""

    def __init__(self, runtime: Runtime, celery: Celery | None = None) -> None:
        self.runtime = runtime
        self._celery = celery
        self._own = celery is None
        self._local = PeriodicThread(
            runtime, [spec for spec in REGISTRY.periodic.values() if spec.local]
        )

    @property
    def celery(self) -> Celery:
        if self._celery is None:
            self._celery = create_celery(self.runtime.settings, runtime=self.runtime)
        return self._celery

    def notify(self, job_id: str, name: str, run_at: datetime) -> None:
        if run_at > self.runtime.now():
            return  # later jobs are sent by the jobs.sweep periodic task when they fall due
        breaker = self.runtime.redis_breaker
        if not breaker.allows():
            return  # Redis is unavailable: the sweep sends the job once it is back
        try:
            self.celery.send_task(name, args=[job_id], task_id=job_id)
        except Exception as exc:  # kombu's and redis's errors: the job waits in its table
            breaker.failed(exc)
        else:
            breaker.succeeded()

    def queue_depth(self) -> int | None:
        """Messages waiting in the broker's queue (None when Redis cannot tell)."""
        try:
            with self.celery.connection_for_read() as connection:
                channel: Any = connection.default_channel
                declared = channel.queue_declare(queue=QUEUE, passive=True)
                return int(declared.message_count)
        except ChannelError:  # no such queue: it is empty
            return 0
        except Exception:
            log.warning("cannot read the depth of the job queue", exc_info=True)
            return None

    def sweep(self) -> int:
        """Send due jobs that were never sent, whose message was lost, or whose worker died."""
        lease = lease_of(self.runtime.settings)
        now = self.runtime.now()
        # A message still waiting in a long queue is not lost: resend after many leases then.
        waiting = lease * (0.5 if self.queue_depth() == 0 else BACKLOG_LEASES)
        requeue_abandoned(self.runtime)
        with self.runtime.transaction() as session:
            rows = due_jobs(session, now, resend_before=now - waiting)
            for row in rows:
                row.dispatched_at = now
            due = [(row.id, row.name) for row in rows]
        for job_id, name in due:
            self.celery.send_task(name, args=[job_id], task_id=job_id)
        return len(due)

    def start(self) -> None:
        self._local.start()

    def stop(self) -> None:
        self._local.stop()
        if self._own and self._celery is not None:
            self._celery.close()


def sweep_interval(settings: Settings) -> timedelta:
    """A sixth of the job lease (10 s by default): a lost message is sent again within about
    two thirds of a lease, a dead worker's job within a lease and a sixth."""
    return timedelta(seconds=settings.job_lease / 6)


@periodic("jobs.sweep", every=sweep_interval)
def sweep_jobs(runtime: Runtime) -> None:
    """Send jobs that fell due (delayed ones and retries), were lost, or lost their worker."""
    if isinstance(runtime.dispatcher, CeleryDispatcher):
        runtime.dispatcher.sweep()
