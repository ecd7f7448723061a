from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from rcommerce import db, domains
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings


def test_migrations_produce_exactly_the_models(settings: Settings) -> None:
    domains.load("models")
    engine = db.make_engine(settings)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata
        )
    engine.dispose()
    assert diff == []


def test_migrate_is_repeatable(settings: Settings) -> None:
    db.migrate(settings)
    db.migrate(settings)


def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_url: str, tmp_path: object) -> None:
    settings = Settings(database_url=sqlite_url, secret_key="x" * 40, data_dir=tmp_path)  # type: ignore[arg-type]
    engine = db.make_engine(settings)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_after_commit_hooks_run_only_on_commit(runtime: Runtime) -> None:
    ran: list[str] = []
    with runtime.transaction() as session:
        db.after_commit(session, lambda: ran.append("committed"))
    try:
        with runtime.transaction() as session:
            db.after_commit(session, lambda: ran.append("rolled back"))
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert ran == ["committed"]


def test_after_rollback_hooks_run_only_on_rollback(runtime: Runtime) -> None:
    ran: list[str] = []
    with runtime.transaction() as session:
        db.after_rollback(session, lambda: ran.append("committed"))
    try:
        with runtime.transaction() as session:
            db.after_rollback(session, lambda: ran.append("first"))
            db.after_rollback(session, lambda: 1 / 0)  # logged; the others still run
            db.after_rollback(session, lambda: ran.append("second"))
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert ran == ["first", "second"]


def test_write_turns_are_taken_in_order_and_reentrant() -> None:
    """SQLite writers of one process queue on a FairLock: first come, first served."""
    import threading
    import time

    from rcommerce.db import FairLock

    lock = FairLock()
    assert lock.acquire(1) and lock.acquire(1)  # the owner may enter again
    order: list[int] = []

    def waiter(number: int) -> None:
        assert lock.acquire(5)
        order.append(number)
        lock.release()

    threads = []
    for number in range(5):
        thread = threading.Thread(target=waiter, args=(number,))
        thread.start()
        threads.append(thread)
        time.sleep(0.02)  # each asks after the one before
    lock.release()
    assert order == []  # still held once
    lock.release()
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3, 4]
    other = threading.Thread(target=lambda: order.append(lock.acquire(0.05)))
    assert lock.acquire(1)
    other.start()
    other.join(5)
    assert order[-1] is False  # a turn not handed back in time is given up
    lock.release()


def test_background_writers_let_waiting_requests_go_first() -> None:
    """The job runner's write turns (background) wait for the requests' queued with them, so a
    webhook's acknowledgement waits for the one job being written, never for the backlog."""
    import threading
    import time

    from rcommerce.db import FairLock

    lock = FairLock()
    assert lock.acquire(1)
    order: list[str] = []

    def waiter(name: str, background: bool) -> None:
        assert lock.acquire(5, background=background)
        order.append(name)
        lock.release()

    threads = []
    for name, background in (("job-1", True), ("job-2", True), ("ack-1", False), ("ack-2", False)):
        thread = threading.Thread(target=waiter, args=(name, background))
        thread.start()
        threads.append(thread)
        time.sleep(0.02)  # each asks after the one before
    lock.release()
    for thread in threads:
        thread.join(5)
    assert order == ["ack-1", "ack-2", "job-1", "job-2"]
    # Nobody waiting: a background writer takes the lock at once.
    assert lock.acquire(0.01, background=True)
    lock.release()


def _group_commit(sqlite_url: str, tmp_path: object) -> tuple[Runtime, list[int]]:
    """A runtime on SQLite whose group commit counts the transactions it opens."""
    settings = Settings(database_url=sqlite_url, secret_key="x" * 40, data_dir=tmp_path)  # type: ignore[arg-type]
    runtime = Runtime(settings)
    with runtime.transaction() as session:
        session.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT UNIQUE)"))
    opened: list[int] = []

    def counted() -> Any:
        opened.append(1)
        return runtime.transaction()

    runtime._group = db.GroupCommit(counted)
    return runtime, opened


def _notes(runtime: Runtime) -> list[str]:
    with runtime.transaction(readonly=True) as session:
        return sorted(session.execute(text("SELECT body FROM note")).scalars())


def _write(body: str, ran: list[str]) -> Callable[[Session], str]:
    def unit(session: Session) -> str:
        session.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": body})
        db.after_commit(session, lambda: ran.append(body))
        return body.upper()

    return unit


def _in_threads(runtime: Runtime, units: list[Callable[[Session], str]]) -> list[Any]:
    """Run the first unit, and the others while it is inside its transaction; each result is
    the unit's value or its error."""
    inside, release = threading.Event(), threading.Event()
    results: list[Any] = [None] * len(units)

    def first(session: Session) -> str:
        inside.set()
        release.wait(10)
        return units[0](session)

    def call(index: int, unit: Callable[[Session], str]) -> None:
        try:
            results[index] = runtime.grouped_transaction(unit)
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=call, args=(0, first))]
    threads[0].start()
    assert inside.wait(10)
    threads += [threading.Thread(target=call, args=(i, u)) for i, u in enumerate(units) if i]
    for thread in threads[1:]:
        thread.start()
    group = runtime._group
    assert group is not None
    deadline = time.monotonic() + 10
    while group.waiting < len(units) - 1 and time.monotonic() < deadline:
        time.sleep(0.01)  # the others queue behind the first
    assert group.waiting == len(units) - 1
    release.set()
    for thread in threads:
        thread.join(10)
    return results


def test_group_commit_writes_waiting_units_in_one_transaction(
    sqlite_url: str, tmp_path: object
) -> None:
    runtime, opened = _group_commit(sqlite_url, tmp_path)
    ran: list[str] = []
    bodies = [f"n{i}" for i in range(12)]
    results = _in_threads(runtime, [_write(body, ran) for body in bodies])
    assert results == [body.upper() for body in bodies]
    assert _notes(runtime) == sorted(bodies)
    assert sorted(ran) == sorted(bodies)  # each unit's after-commit hook, once
    assert len(opened) == 2  # the first alone, then the eleven that waited, together
    runtime.close()


def test_group_commit_gives_a_failing_unit_its_own_error(sqlite_url: str, tmp_path: object) -> None:
    runtime, opened = _group_commit(sqlite_url, tmp_path)
    ran: list[str] = []

    def broken(session: Session) -> str:
        _write("half-done", ran)(session)
        raise ValueError("refused")

    units = [_write("a", ran), _write("b", ran), broken, _write("c", ran), _write("b", ran)]
    results = _in_threads(runtime, units)
    assert results[:2] == ["A", "B"] and results[3] == "C"
    assert isinstance(results[2], ValueError) and str(results[2]) == "refused"
    assert isinstance(results[4], IntegrityError)  # "b" again: the constraint, as alone
    # Nothing of the failed units was kept, nor announced; the others were written once.
    assert _notes(runtime) == ["a", "b", "c"]
    assert sorted(ran) == ["a", "b", "c"]
    assert len(opened) == 1 + 1 + 4  # the first; the group that failed; each of it again
    runtime.close()


def test_group_commit_without_company_runs_at_once(sqlite_url: str, tmp_path: object) -> None:
    runtime, opened = _group_commit(sqlite_url, tmp_path)
    ran: list[str] = []
    assert runtime.grouped_transaction(_write("alone", ran)) == "ALONE"
    with pytest.raises(IntegrityError):
        runtime.grouped_transaction(_write("alone", ran))
    assert _notes(runtime) == ["alone"] and ran == ["alone"] and len(opened) == 2
    runtime.close()
