from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

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
