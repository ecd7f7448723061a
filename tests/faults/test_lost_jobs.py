"""Jobs are never stuck for long: a job whose message Redis lost runs within a minute or so, a
job whose worker was killed runs again within a lease, and a retry waits in the jobs table
(never as a delayed message that the broker delivers again meanwhile). Real worker and beat
processes, PostgreSQL and a private Redis, short leases; the visibility timeout stays at its
default of an hour, so nothing here waits for it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

import tests.support.tasks  # noqa: F401  (registers the tests' jobs here too)
from rcommerce.boot import start_runtime
from rcommerce.jobs import Job, enqueue
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores import service
from rcommerce.stores.models import Store
from rcommerce.worker import CeleryDispatcher, sweep_interval
from tests.support.servers import RedisProcess
from tests.support.worker import BeatProcess, WorkerProcess

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres, pytest.mark.faults]

LEASE = 3  # seconds, for the tests; the default is 60


@pytest.fixture(scope="module")
def settings(distributed: Settings) -> Settings:
    return distributed.with_overrides(job_lease=LEASE)


@pytest.fixture(scope="module")
def beat(settings: Settings) -> Iterator[BeatProcess]:
    """One ``rcommerce beat`` for the module: it sends the sweep every half second."""
    process = BeatProcess(settings)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def web(settings: Settings) -> Iterator[Runtime]:
    """The web process's side: it writes jobs and sends them."""
    runtime = start_runtime(settings)
    assert isinstance(runtime.dispatcher, CeleryDispatcher)
    yield runtime
    runtime.close()


@pytest.fixture
def processes() -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for process in started:
        process.stop()


def start(processes: list[WorkerProcess], process: WorkerProcess) -> WorkerProcess:
    processes.append(process)
    return process.start()


def new_store(runtime: Runtime) -> int:
    with runtime.transaction() as session:
        store_id = service.create_store(session=session, name="Shop", origins=[]).store.id
        assert store_id is not None
        return store_id


def job_state(runtime: Runtime, job_id: str) -> tuple[str, int, str]:
    with runtime.transaction(readonly=True) as session:
        row = session.get(Job, job_id)
        assert row is not None
        store = session.get(Store, row.payload["store_id"])
        assert store is not None
        return row.status, row.attempts, store.name


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)
    return time.monotonic() - started


def rename(
    runtime: Runtime, store_id: int, name: str = "tests.rename_store", **extra: object
) -> str:
    with runtime.transaction() as session:
        return enqueue(session, name, {"store_id": store_id, "suffix": "!", **extra}).id


def test_the_default_settings_meet_the_bounds() -> None:
    """A lost message is sent again within a minute, a dead worker's job within a few."""
    defaults = Settings(database_url="sqlite://", secret_key="x" * 40, data_dir=Path("."))
    sweep = sweep_interval(defaults).total_seconds()
    assert defaults.job_lease / 2 + sweep <= 60
    assert defaults.job_lease + defaults.job_lease / 4 + sweep <= 180


def test_a_job_whose_message_redis_lost_runs_within_two_minutes(
    settings: Settings,
    web: Runtime,
    redis_server: RedisProcess,
    beat: BeatProcess,
    processes: list[WorkerProcess],
) -> None:
    store_id = new_store(web)
    # Sent while no worker runs, then lost: Redis restarts empty (no persistence).
    first = rename(web, store_id)
    redis_server.restart()
    start(processes, WorkerProcess(settings))
    took = wait_until(lambda: job_state(web, first)[0] == "done", 110, "the lost job")
    assert job_state(web, first) == ("done", 1, "Shop!")
    # Never sent: Redis was down when the job was committed.
    redis_server.stop()
    second = rename(web, store_id)
    redis_server.start()
    took = max(took, wait_until(lambda: job_state(web, second)[0] == "done", 110, "the unsent job"))
    assert job_state(web, second) == ("done", 1, "Shop!!")
    assert took < 30  # with these short leases; the bound is two minutes


def test_a_job_whose_worker_was_killed_runs_again_within_a_lease(
    settings: Settings, web: Runtime, beat: BeatProcess, processes: list[WorkerProcess]
) -> None:
    doomed = start(processes, WorkerProcess(settings))
    store_id = new_store(web)
    job_id = rename(web, store_id, sleep_first=60)
    wait_until(lambda: job_state(web, job_id)[:2] == ("running", 1), 30, "the job to start")
    time.sleep(0.5)  # inside the handler's transaction now, sleeping before its commit
    doomed.kill()
    start(processes, WorkerProcess(settings))
    took = wait_until(lambda: job_state(web, job_id)[0] == "done", 60, "the job to run again")
    assert job_state(web, job_id) == ("done", 2, "Shop!")  # once, though it started twice
    assert took < 5 * LEASE


def test_a_retry_later_than_the_visibility_timeout_runs_once_and_on_time(
    settings: Settings, beat: BeatProcess, processes: list[WorkerProcess]
) -> None:
    """A job that always fails, retried 2 s and 4 s after a failure, while the broker
    redelivers unacknowledged messages after 1 s to two worker processes: it runs exactly
    three times, each attempt after its backoff."""
    settings = settings.with_overrides(task_visibility_timeout=1)
    runtime = start_runtime(settings)
    try:
        worker = start(processes, WorkerProcess(settings, "--concurrency", "2"))
        store_id = new_store(runtime)
        job_id = rename(runtime, store_id, "tests.rename_store_later", fail_times=99)
        wait_until(lambda: job_state(runtime, job_id)[0] == "failed", 60, "the job to give up")
        time.sleep(2)  # time for a stray redelivery to show itself
        assert job_state(runtime, job_id) == ("failed", 3, "Shop")
        attempts = [
            datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
            for line in worker.log
            if f"job {job_id} (tests.rename_store_later) attempt" in line
        ]
        assert len(attempts) == 3, attempts
        assert (attempts[1] - attempts[0]).total_seconds() >= 1.8
        assert (attempts[2] - attempts[1]).total_seconds() >= 3.6
    finally:
        runtime.close()
