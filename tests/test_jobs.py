"""The job machinery in embedded mode: after commit, once, retried with backoff."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

import tests.support.tasks  # noqa: F401  (registers tests.rename_store)
from rcommerce.jobs import Job, enqueue
from rcommerce.runner import InProcessRunner
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.runtime import Clock, StoreKeys


def store_name(runtime: Runtime, store_id: int) -> str:
    with runtime.transaction(readonly=True) as session:
        store = session.get(Store, store_id)
        assert store is not None
        return store.name


def test_a_job_runs_after_commit_and_applies_once(runtime: Runtime, store: StoreKeys) -> None:
    with runtime.transaction() as session:
        job = enqueue(session, "tests.rename_store", {"store_id": store.store_id, "suffix": "!"})
        job_id = job.id
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert store_name(runtime, store.store_id) == "Shop!"
    with runtime.transaction(readonly=True) as session:
        row = session.get(Job, job_id)
        assert row is not None and row.status == "done" and row.attempts == 1


def test_a_rolled_back_transaction_sends_no_job(runtime: Runtime, store: StoreKeys) -> None:
    with pytest.raises(RuntimeError), runtime.transaction() as session:
        enqueue(session, "tests.rename_store", {"store_id": store.store_id, "suffix": "!"})
        raise RuntimeError("the request failed")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert store_name(runtime, store.store_id) == "Shop"
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(Job)).first() is None


def test_a_failing_job_is_retried_with_backoff_and_its_partial_writes_undone(
    runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    with runtime.transaction() as session:
        job_id = enqueue(
            session,
            "tests.rename_store",
            {"store_id": store.store_id, "suffix": "!", "fail_times": 1},
        ).id
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    with runtime.transaction(readonly=True) as session:
        row = session.get(Job, job_id)
        assert row is not None
        assert (row.status, row.attempts) == ("queued", 1)
        assert "failing on purpose" in (row.last_error or "")
        first_retry_at = row.run_at
    assert store_name(runtime, store.store_id) == "Shop"  # the failed attempt's write rolled back
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert store_name(runtime, store.store_id) == "Shop"  # not due yet
    clock.advance(seconds=(first_retry_at - clock()).total_seconds() + 1)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert store_name(runtime, store.store_id) == "Shop!"


def test_a_job_that_keeps_failing_stops_after_max_attempts(
    runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    with runtime.transaction() as session:
        job_id = enqueue(
            session,
            "tests.rename_store",
            {"store_id": store.store_id, "suffix": "!", "fail_times": 99},
        ).id
    for _ in range(5):
        runtime.dispatcher.drain()  # type: ignore[attr-defined]
        clock.advance(hours=1)
    with runtime.transaction(readonly=True) as session:
        row = session.get(Job, job_id)
        assert row is not None and row.status == "failed" and row.attempts == 3


def test_dedupe_key_enqueues_once(runtime: Runtime, store: StoreKeys) -> None:
    for _ in range(3):
        with runtime.transaction() as session:
            enqueue(
                session,
                "tests.rename_store",
                {"store_id": store.store_id, "suffix": "!"},
                dedupe_key=f"rename:{store.store_id}",
            )
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert store_name(runtime, store.store_id) == "Shop!"


def test_delayed_jobs_wait_for_their_time(runtime: Runtime, store: StoreKeys, clock: Clock) -> None:
    from datetime import timedelta

    with runtime.transaction() as session:
        enqueue(
            session,
            "tests.rename_store",
            {"store_id": store.store_id, "suffix": "!"},
            run_at=runtime.now() + timedelta(days=7),
        )
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert store_name(runtime, store.store_id) == "Shop"
    clock.advance(days=7, seconds=1)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert store_name(runtime, store.store_id) == "Shop!"


def test_the_background_runner_runs_jobs_after_commit(runtime: Runtime, store: StoreKeys) -> None:
    runner = InProcessRunner(runtime, poll_seconds=0.2)
    runtime.dispatcher = runner
    runner.start()
    try:
        with runtime.transaction() as session:
            enqueue(session, "tests.rename_store", {"store_id": store.store_id, "suffix": "!"})
        deadline = time.monotonic() + 10
        while store_name(runtime, store.store_id) != "Shop!" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store_name(runtime, store.store_id) == "Shop!"
    finally:
        runner.stop()
