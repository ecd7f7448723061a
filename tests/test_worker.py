"""Distributed mode: jobs go through a real Redis to a real Celery worker process."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import tests.support.tasks  # noqa: F401  (registers tests.rename_store here too)
from rcommerce.boot import start_runtime
from rcommerce.jobs import Job, enqueue
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores import service
from rcommerce.stores.models import Store
from rcommerce.worker import CeleryDispatcher
from tests.support.runtime import TEST_SECRET, empty_tables
from tests.support.worker import WorkerProcess

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture
def distributed(postgres_database: str, redis_url: str, tmp_path: Path) -> Iterator[Settings]:
    settings = Settings(
        database_url=postgres_database,
        redis_url=redis_url,
        secret_key=TEST_SECRET,
        data_dir=tmp_path,
        task_visibility_timeout=4,
        job_lease=3,
    )
    yield settings
    empty_tables(postgres_database)


@pytest.fixture
def web(distributed: Settings) -> Iterator[Runtime]:
    """The web process's side: it only writes jobs and sends them."""
    runtime = start_runtime(distributed)
    assert isinstance(runtime.dispatcher, CeleryDispatcher)
    yield runtime
    runtime.close()


@pytest.fixture
def worker(distributed: Settings) -> Iterator[WorkerProcess]:
    process = WorkerProcess(distributed)
    yield process
    process.stop()


def new_store(runtime: Runtime) -> int:
    with runtime.transaction() as session:
        store_id = service.create_store(session=session, name="Shop", origins=[]).store.id
        assert store_id is not None
        return store_id


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def job_state(runtime: Runtime, job_id: str) -> tuple[str, int, str]:
    with runtime.transaction(readonly=True) as session:
        row = session.get(Job, job_id)
        assert row is not None
        store = session.get(Store, row.payload["store_id"])
        assert store is not None
        return row.status, row.attempts, store.name


def test_a_job_sent_in_distributed_mode_runs_in_the_worker(
    web: Runtime, worker: WorkerProcess
) -> None:
    worker.start()
    store_id = new_store(web)
    with web.transaction() as session:
        job_id = enqueue(session, "tests.rename_store", {"store_id": store_id, "suffix": "!"}).id
    wait_until(lambda: job_state(web, job_id)[0] == "done", 30, "the worker to run the job")
    assert job_state(web, job_id) == ("done", 1, "Shop!")
    assert any("tests.rename_store" in line and job_id in line for line in worker.log)


def test_a_worker_killed_mid_task_completes_it_exactly_once_after_restart(
    web: Runtime, worker: WorkerProcess
) -> None:
    worker.start()
    store_id = new_store(web)
    with web.transaction() as session:
        job_id = enqueue(
            session, "tests.rename_store", {"store_id": store_id, "suffix": "!", "sleep_first": 60}
        ).id
    wait_until(lambda: job_state(web, job_id)[:2] == ("running", 1), 30, "the job to start")
    time.sleep(0.5)  # inside the handler's transaction now, sleeping before its commit
    worker.kill()
    assert job_state(web, job_id) == ("running", 1, "Shop")  # nothing of the attempt committed
    worker.start()
    # Its lease runs out (no heartbeat from the dead worker): the sweep, or the message that
    # comes back after the visibility timeout, runs it again.
    wait_until(lambda: job_state(web, job_id)[0] == "done", 60, "the redelivered job")
    assert job_state(web, job_id) == ("done", 2, "Shop!")


def test_the_sweeper_sends_delayed_and_lost_jobs(web: Runtime, worker: WorkerProcess) -> None:
    from datetime import timedelta

    worker.start()
    store_id = new_store(web)
    with web.transaction() as session:
        job_id = enqueue(
            session,
            "tests.rename_store",
            {"store_id": store_id, "suffix": "!"},
            run_at=web.now() + timedelta(seconds=1),
        ).id
    time.sleep(1.5)
    assert job_state(web, job_id)[0] == "queued"  # not sent: it was not due at commit time
    dispatcher = web.dispatcher
    assert isinstance(dispatcher, CeleryDispatcher)
    assert dispatcher.sweep() == 1
    wait_until(lambda: job_state(web, job_id)[0] == "done", 30, "the swept job")
    assert dispatcher.sweep() == 0
