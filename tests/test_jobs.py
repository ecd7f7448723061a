"""The job machinery in embedded mode: after commit, once, retried with backoff from the table,
run again when the process that held it died (its lease ran out), and what to monitor."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

import tests.support.tasks  # noqa: F401  (registers tests.rename_store)
from rcommerce.jobs import Job, enqueue
from rcommerce.runner import InProcessRunner
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores.models import Store
from tests.support.runtime import Clock, ManualRunner, StoreKeys


def store_name(runtime: Runtime, store_id: int) -> str:
    with runtime.transaction(readonly=True) as session:
        store = session.get(Store, store_id)
        assert store is not None
        return store.name


def renamed(runtime: Runtime, store_id: int, seconds: float = 10) -> None:
    """Wait (at most ``seconds``) until a background job renamed the store "Shop"."""
    deadline = time.monotonic() + seconds
    while store_name(runtime, store_id) == "Shop" and time.monotonic() < deadline:
        time.sleep(0.05)


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


def test_the_background_runner_writes_after_the_requests_waiting(
    runtime: Runtime, store: StoreKeys
) -> None:
    """Its write turns are background ones (rcommerce.db.FairLock): a request's write never
    queues behind the backlog of jobs; a request's own thread writes in the foreground."""
    runner = InProcessRunner(runtime, poll_seconds=0.2)
    runtime.dispatcher = runner
    runner.start()
    try:
        with runtime.transaction() as session:
            enqueue(session, "tests.rename_store_noting_turn", {"store_id": store.store_id})
        renamed(runtime, store.store_id)
    finally:
        runner.stop()
    assert store_name(runtime, store.store_id) == "Shop (background)"
    runtime.dispatcher = ManualRunner(runtime)
    with runtime.transaction() as session:
        enqueue(session, "tests.rename_store_noting_turn", {"store_id": store.store_id})
    runtime.dispatcher.drain()
    assert store_name(runtime, store.store_id) == "Shop (background) (foreground)"


def _mark_running(runtime: Runtime, job_id: str, heartbeat_ago: float) -> None:
    """As if a process took the job and then stopped renewing its lease ``heartbeat_ago`` s ago."""
    from datetime import timedelta

    with runtime.transaction() as session:
        row = session.get(Job, job_id)
        assert row is not None
        beat = runtime.now() - timedelta(seconds=heartbeat_ago)
        row.status, row.attempts, row.started_at, row.heartbeat_at = "running", 1, beat, beat
        session.add(row)


def test_a_job_whose_process_died_runs_again_once_its_lease_ran_out(
    runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    with runtime.transaction() as session:
        job_id = enqueue(
            session, "tests.rename_store", {"store_id": store.store_id, "suffix": "!"}
        ).id
    lease = runtime.settings.job_lease
    _mark_running(runtime, job_id, heartbeat_ago=lease / 2)  # alive: its worker renews it
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert store_name(runtime, store.store_id) == "Shop"
    clock.advance(seconds=lease)  # no heartbeat since: the worker is gone
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert store_name(runtime, store.store_id) == "Shop!"
    with runtime.transaction(readonly=True) as session:
        row = session.get(Job, job_id)
        assert row is not None and (row.status, row.attempts) == ("done", 2)


def test_a_second_delivery_never_runs_a_job_another_worker_holds(
    runtime: Runtime, store: StoreKeys
) -> None:
    from rcommerce.jobs import execute

    with runtime.transaction() as session:
        job_id = enqueue(
            session, "tests.rename_store", {"store_id": store.store_id, "suffix": "!"}
        ).id
    _mark_running(runtime, job_id, heartbeat_ago=1)
    assert execute(runtime, job_id) == "busy"
    assert store_name(runtime, store.store_id) == "Shop"


def test_a_running_job_renews_its_lease(settings: Settings) -> None:
    from datetime import timedelta

    from rcommerce.boot import start_runtime
    from rcommerce.jobs import execute
    from tests.support.runtime import ManualRunner

    runtime = start_runtime(settings.with_overrides(job_lease=1), dispatcher=ManualRunner)
    try:
        with runtime.transaction() as session:
            job_id = enqueue(session, "tests.wait", {"seconds": 1.2}).id
        assert execute(runtime, job_id) == "done"
        with runtime.transaction(readonly=True) as session:
            row = session.get(Job, job_id)
            assert row is not None and row.started_at and row.heartbeat_at
            assert row.heartbeat_at - row.started_at >= timedelta(seconds=0.5)
    finally:
        runtime.close()


def test_jobs_of_a_batch_name_run_together_and_a_failing_one_runs_alone(
    runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    """Up to ``batch`` due jobs of the name in one handler call and one transaction; a batch
    that fails is run again as its first job alone, so the one that cannot succeed waits
    for its retry and holds back no other."""
    ids = {}
    for suffix in "abcde":
        with runtime.transaction() as session:
            payload = {"store_id": store.store_id, "suffix": suffix, "fail": suffix == "b"}
            ids[suffix] = enqueue(session, "tests.rename_store_together", payload).id
        clock.advance(seconds=1)  # queued in this order
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    # a, b, c failed together; a alone; b alone failed; c, d, e together.
    assert store_name(runtime, store.store_id) == "Shopa|1cde|3"
    with runtime.transaction(readonly=True) as session:
        rows = {s: session.get(Job, job_id) for s, job_id in ids.items()}
    failed = rows.pop("b")
    assert failed is not None and failed.status == "queued" and failed.attempts == 1
    assert failed.run_at > runtime.now() and "failing on purpose" in (failed.last_error or "")
    for row in rows.values():
        assert row is not None and row.status == "done" and row.attempts == 1
        assert row.finished_at is not None


def test_the_background_runner_gathers_young_jobs_of_a_batch_name(
    runtime: Runtime, store: StoreKeys
) -> None:
    """A batched job queued moments ago waits until it is ``gather_seconds`` old and then runs
    with those of its name queued meanwhile: one transaction for a burst, not one each."""
    runner = InProcessRunner(runtime, poll_seconds=0.2)
    runner.gather_seconds = 1.0
    runtime.dispatcher = runner
    runner.start()
    try:
        for suffix in "abc":
            with runtime.transaction() as session:
                payload = {"store_id": store.store_id, "suffix": suffix}
                enqueue(session, "tests.rename_store_together", payload)
            time.sleep(0.05)
        renamed(runtime, store.store_id)
    finally:
        runner.stop()
    assert store_name(runtime, store.store_id) == "Shopabc|3"


def test_a_retry_waits_in_the_table_unsent(runtime: Runtime, store: StoreKeys) -> None:
    """A failed attempt leaves the job queued, due later and not yet sent: the runner or the
    sweep sends it when due (never a delayed message held meanwhile)."""
    with runtime.transaction() as session:
        job_id = enqueue(
            session,
            "tests.rename_store",
            {"store_id": store.store_id, "fail_times": 1, "suffix": "!"},
        ).id
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    with runtime.transaction(readonly=True) as session:
        row = session.get(Job, job_id)
        assert row is not None
        assert (row.status, row.dispatched_at) == ("queued", None) and row.run_at > runtime.now()
    # A second message of the first attempt (a redelivery) arrives now: it does not run the
    # retry before its backoff.
    from rcommerce.jobs import execute

    assert execute(runtime, job_id) == "stale"
    assert store_name(runtime, store.store_id) == "Shop"


def test_the_sweep_resends_lost_messages_sooner_when_the_queue_is_empty(
    runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    from datetime import timedelta

    from rcommerce.jobs import due_jobs

    with runtime.transaction() as session:
        job_id = enqueue(
            session, "tests.rename_store", {"store_id": store.store_id, "suffix": "!"}
        ).id
    sent_at = runtime.now()
    clock.advance(seconds=40)
    now = runtime.now()
    with runtime.transaction(readonly=True) as session:
        assert [
            j.id for j in due_jobs(session, now, resend_before=now - timedelta(seconds=30))
        ] == [job_id]
        assert due_jobs(session, now, resend_before=now - timedelta(seconds=600)) == []
    assert sent_at < now


def test_the_backlog_says_what_waits_and_what_fails(
    runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    from datetime import timedelta

    from rcommerce.jobs import backlog

    with runtime.transaction() as session:
        enqueue(session, "tests.rename_store", {"store_id": store.store_id, "suffix": "!"})
        enqueue(
            session,
            "tests.rename_store",
            {"store_id": store.store_id, "suffix": "?", "fail_times": 99},
            run_at=runtime.now() - timedelta(minutes=2),
        )
    lease = timedelta(seconds=runtime.settings.job_lease)
    with runtime.transaction(readonly=True) as session:
        waiting = backlog(session, runtime.now(), lease=lease)
    assert waiting.due == 2 and waiting.oldest_due_seconds >= 120
    for _ in range(4):
        runtime.dispatcher.drain()  # type: ignore[attr-defined]
        clock.advance(hours=1)
    with runtime.transaction(readonly=True) as session:
        after = backlog(session, runtime.now(), lease=lease)
    assert (after.due, after.failed_last_day, after.failing) == (0, 1, {"tests.rename_store": 1})
