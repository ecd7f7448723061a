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
