"""Database engine, transactions with after-commit hooks, and Alembic migrations."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine

from rcommerce.settings import Settings

T = TypeVar("T")
log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_POOL_SIZE = 48


def make_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        path = settings.database_url.removeprefix("sqlite:///")
        on_disk = bool(path) and path != ":memory:" and path != settings.database_url
        if on_disk:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Enough pooled connections for every thread that may hold one at once (the server's
        # 40 request threads, the job runner, the periodic thread): a connection made on
        # demand and closed after one request costs a new SQLite connection, its pragmas and
        # a fresh read of the schema, each time. (An in-memory database keeps SQLAlchemy's
        # one connection per thread.)
        pool = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": 10} if on_disk else {}
        engine = create_engine(
            settings.database_url,
            connect_args={"check_same_thread": False, "timeout": 30},
            **pool,
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        turns = WriterTurns()
        event.listen(engine, "begin", turns.begin)
        event.listen(engine, "commit", turns.end)
        event.listen(engine, "rollback", turns.end)
        return engine
    # A server that does not answer fails the connection after a few seconds (libpq would wait
    # forever), the pool hands out a connection within 10 s or fails: requests get a 503.
    connect_args = {} if "connect_timeout=" in settings.database_url else {"connect_timeout": 5}
    return create_engine(
        settings.database_url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=10,
        connect_args=connect_args,
    )


def _sqlite_on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy emit BEGIN itself (see WriterTurns.begin) instead of pysqlite's
    # deferred transactions, so that a write transaction holds the lock from its start.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class FairLock:
    """A reentrant lock handed to its waiters in the order they came (``threading.RLock`` lets
    a newcomer overtake threads that have waited long), except that a ``background`` waiter
    (the job runner) lets every foreground one (a request) go first."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[tuple[int, threading.Event]] = deque()
        self._background: deque[tuple[int, threading.Event]] = deque()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self, timeout: float, *, background: bool = False) -> bool:
        me = threading.get_ident()
        with self._mutex:
            if self._owner == me:
                self._depth += 1
                return True
            if self._owner is None and not self._waiters and not self._background:
                self._owner, self._depth = me, 1
                return True
            turn = (me, threading.Event())
            queue = self._background if background else self._waiters
            queue.append(turn)
        if turn[1].wait(timeout):
            return True  # release() made this thread the owner
        with self._mutex:
            if self._owner == me:  # handed over just as the wait timed out
                return True
            queue.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            self._depth -= 1
            if self._depth:
                return
            queue = self._waiters or self._background
            if queue:
                self._owner, ready = queue.popleft()
                self._depth = 1
                ready.set()
            else:
                self._owner = None


_background = threading.local()


@contextmanager
def background_writes() -> Iterator[None]:
    """SQLite write transactions begun in this thread inside the block wait for the foreground
    ones (requests) queued with them: a webhook's acknowledgement never queues behind the
    backlog of jobs it feeds, only behind the one job being written."""
    before = getattr(_background, "on", False)
    _background.on = True
    try:
        yield
    finally:
        _background.on = before


class WriterTurns:
    """SQLite write transactions of one process take turns, in the order they asked.

    IMMEDIATE takes SQLite's write lock up front: read-then-write transactions (balances,
    idempotency keys) serialise instead of failing with "database is locked" on upgrade.
    Read-only units of work opt out and run concurrently under WAL. SQLite makes a writer that
    finds its lock taken sleep and poll (1, 2, 5 ... 100 ms), so under load some would wait
    for seconds while newcomers went first; the threads of this process queue on a FairLock
    instead and reach SQLite's lock as it comes free. Other processes (a CLI command) still
    meet SQLite's busy timeout. A turn never handed back is given up after ``TIMEOUT`` s.
    """

    TIMEOUT = 30.0

    def __init__(self) -> None:
        self._lock = FairLock()

    def begin(self, connection: Any) -> None:
        if connection.get_execution_options().get("rc_readonly"):
            connection.exec_driver_sql("BEGIN")
            return
        held = self._lock.acquire(self.TIMEOUT, background=getattr(_background, "on", False))
        if not held:
            log.warning("an SQLite write turn was not handed back; going ahead without it")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if held:
                self._lock.release()
            raise
        connection.info["rc_write_turn"] = held

    def end(self, connection: Any) -> None:
        if connection.info.pop("rc_write_turn", False):
            self._lock.release()


class _Unit:
    """One caller's unit of work waiting in a ``GroupCommit``."""

    __slots__ = ("done", "error", "fn", "lead", "ready", "value")

    def __init__(self, fn: Callable[[Session], Any]) -> None:
        self.fn = fn
        self.ready = threading.Event()  # set when done, or when this caller is to lead
        self.lead = False
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None


class GroupCommit:
    """Units of work from many threads committed together, on SQLite.

    Each SQLite write transaction pays for its begin, its write turn and its commit, which
    writes every page it changed (the table's and each index's) to the log: writers of the
    same table, one transaction each, write the same pages over and over. Here the first
    caller with nobody ahead of it runs its unit at once, alone. Callers that arrive while a
    transaction is being written wait, and the next of them runs all the units queued by then
    (up to ``limit``) in one transaction, then hands over to the first that came after. Under
    load the groups grow with the queue; without load a unit never waits for company.

    Every unit is answered only after the transaction holding it committed. When a unit fails
    (its own error, or a constraint) or the commit does, the whole transaction rolls back and
    each of its units is run again alone, so that each gets the outcome it would have had by
    itself. So a unit must do nothing but database work (and its after-commit and
    after-rollback hooks): it may run twice."""

    def __init__(
        self, transaction: Callable[[], AbstractContextManager[Session]], limit: int = 32
    ) -> None:
        self._transaction = transaction
        self._limit = limit
        self._lock = threading.Lock()
        self._queue: deque[_Unit] = deque()
        self._leading = False

    @property
    def waiting(self) -> int:
        """Units queued behind the transaction being written."""
        with self._lock:
            return len(self._queue)

    def run(self, fn: Callable[[Session], T]) -> T:
        """``fn(session)`` committed (with others); returns its value or raises its error."""
        unit = _Unit(fn)
        with self._lock:
            self._queue.append(unit)
            if not self._leading:
                self._leading = unit.lead = True
        while not unit.done:
            if unit.lead:
                unit.lead = False
                unit.ready.clear()
                self._lead()
            else:
                unit.ready.wait()
        if unit.error is not None:
            raise unit.error
        value: T = unit.value
        return value

    def _lead(self) -> None:
        with self._lock:
            group = [self._queue.popleft() for _ in range(min(self._limit, len(self._queue)))]
        try:
            self._commit(group)
        finally:
            with self._lock:
                following = self._queue[0] if self._queue else None
                if following is not None:
                    following.lead = True
                else:
                    self._leading = False
            for unit in group:
                if not unit.done:  # an error other than an Exception stopped the group
                    unit.error = unit.error or RuntimeError("the unit of work was interrupted")
                    unit.done = True
                unit.ready.set()
            if following is not None:
                following.ready.set()

    def _commit(self, group: list[_Unit]) -> None:
        if len(group) > 1:
            try:
                with self._transaction() as session:
                    values = [unit.fn(session) for unit in group]
            except Exception:
                log.debug("a group of %d units of work failed; each runs alone", len(group))
            else:
                for unit, value in zip(group, values, strict=True):
                    unit.value, unit.done = value, True
                return
        for unit in group:
            try:
                with self._transaction() as session:
                    unit.value = unit.fn(session)
            except Exception as error:
                unit.error = error
            unit.done = True


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's transaction has committed (never on rollback)."""
    session.info.setdefault("after_commit", []).append(callback)


def after_rollback(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` if the session's transaction rolls back (never on commit): it undoes
    what the unit of work did outside the database, such as a file it wrote."""
    session.info.setdefault("after_rollback", []).append(callback)


@contextmanager
def transaction(engine: Engine, *, readonly: bool = False) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error, then run the hooks of the
    outcome (after-commit or after-rollback)."""
    bind = engine.execution_options(rc_readonly=True) if readonly else engine
    session = Session(bind, expire_on_commit=False)
    committed = False
    try:
        yield session
        session.commit()
        committed = True
    except BaseException:
        session.rollback()
        raise
    finally:
        callbacks: list[Callable[[], None]] = session.info.pop("after_commit", [])
        undo: list[Callable[[], None]] = session.info.pop("after_rollback", [])
        session.close()
        if not committed:
            _run_hooks(undo, "after-rollback")
    _run_hooks(callbacks, "after-commit")


def _run_hooks(callbacks: list[Callable[[], None]], kind: str) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:
            # The outcome is settled: a failed hook is logged, never raised over it (a lost
            # job notification is recovered by the job sweeper).
            log.exception("%s hook failed", kind)


def run_in_transaction(engine: Engine, fn: Callable[[Session], T], *, readonly: bool = False) -> T:
    with transaction(engine, readonly=readonly) as session:
        return fn(session)


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    config.attributes["settings"] = settings
    return config


def migrate(settings: Settings, revision: str = "heads") -> None:
    """Bring the database to the current schema."""
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            config = alembic_config(settings)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
