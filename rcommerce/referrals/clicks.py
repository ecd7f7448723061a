"""Clicks that can be trusted (bot filtering is rcommerce.referrals.bots): recording that never
loses a click nor makes the redirect wait for the database or Redis.

Each web process appends each click to a local spool file of its own (written before the 302
is sent, fsync'd in small groups); a periodic job in that process copies the spool into the
``click`` table, idempotently (the click id is the key), and deletes a file only once the
database holds all of it. See docs/referrals.md for the measurements behind this choice.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import math
import os
import random
import re
import threading
import time
import uuid
import weakref
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import redis
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from rcommerce.advocates.models import Advocate
from rcommerce.privacy import keyed_hash_with
from rcommerce.referrals import visitors
from rcommerce.referrals.models import ClickSpool
from rcommerce.settings import Settings

if TYPE_CHECKING:
    from rcommerce.runtime import Runtime

log = logging.getLogger(__name__)

CHANNELS = ("zalo", "facebook", "messenger", "whatsapp", "sms", "email", "qr", "copy", "direct")
# Releases before the spool in distributed mode pushed clicks to this Redis list: the drain
# still copies what they left there.
REDIS_LIST = "rc:clicks"
REDIS_LOCK = "rc:clicks:drain-lock"
REDIS_BATCH = 500  # lines per read: well within the short Redis timeout
SPOOL_ROTATE_BYTES = 4 * 1024 * 1024
FSYNC_INTERVAL = 0.2  # seconds: the most a power cut can take, as SQLite's synchronous=NORMAL
SPOOL_SUFFIX = ".spool"  # a spool being written; renamed .closed when its writer is done


def ua_hash(settings: Settings, user_agent: str) -> str:
    """The short keyed hash of a user agent that self-referral checks compare (the redirect,
    the widget's join and the order must all use this one). Few distinct user agents carry
    most clicks, so each is hashed once (remembered by secret, not by the settings object,
    whose hash covers every field)."""
    return _ua_hash(settings.secret_key, user_agent)


@functools.lru_cache(maxsize=8192)
def _ua_hash(secret: str, user_agent: str) -> str:
    return keyed_hash_with(secret, "ua", user_agent)[:8]


def new_click_id(at: float) -> str:
    """A click id: the millisecond it happened (12 hex digits) then 64 random bits. Ids in time
    order keep the click table's primary-key index appending at its end, where random ids
    would scatter every insert across it (the drain's main cost on a large table).

    The bits only have to be unique, not secret (the id travels inside a signed token and
    grants nothing), so they come from the process's seeded generator (``random`` reseeds
    it in a forked child) rather than a getrandom system call per click."""
    return f"{int(at * 1000):012x}{_random_bits(64):016x}"


_random_bits = random.getrandbits


def channel_of(value: str | None) -> str:
    value = (value or "").strip().lower()
    return value if value in CHANNELS else "direct"


class SpoolRecorder:
    """Appends clicks to ``<data_dir>/clicks/<pid>-<id>.spool``; every write reaches the
    kernel before the redirect is answered, and a flusher thread fsyncs in groups."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._dirty = threading.Event()
        self._closed = False
        self._fd = -1
        self._name = ""
        self._size = 0
        self._open()
        self._flusher = threading.Thread(
            target=self._flush_loop, name="rc-click-fsync", daemon=True
        )
        self._flusher.start()

    def _open(self) -> None:
        self._name = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._fd = os.open(
            self.folder / f"{self._name}{SPOOL_SUFFIX}",
            os.O_WRONLY | os.O_CREAT | os.O_APPEND,
            0o600,
        )
        self._size = 0

    def write(self, line: str) -> None:
        data = (line + "\n").encode()
        with self._lock:
            if self._closed:
                raise RuntimeError("click spool is closed")
            os.write(self._fd, data)
            self._size += len(data)
            if self._size >= SPOOL_ROTATE_BYTES:
                self._rotate()
        if not self._dirty.is_set():  # set() takes a lock and notifies; most clicks need neither
            self._dirty.set()

    def _rotate(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)
        path = self.folder / f"{self._name}{SPOOL_SUFFIX}"
        path.rename(path.with_suffix(".closed"))
        self._open()

    def _flush_loop(self) -> None:
        while not self._closed:
            self._dirty.wait()
            self._dirty.clear()
            with self._lock:
                if self._closed:
                    return
                fd = os.dup(self._fd)  # fsync outside the lock: writers never wait for the disk
            try:
                os.fsync(fd)
            except OSError:
                log.exception("fsync of the click spool failed")
            finally:
                os.close(fd)
            time.sleep(FSYNC_INTERVAL)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            os.fsync(self._fd)
            os.close(self._fd)
            path = self.folder / f"{self._name}{SPOOL_SUFFIX}"
            with contextlib.suppress(OSError):
                path.rename(path.with_suffix(".closed"))
        self._dirty.set()


_recorders: weakref.WeakKeyDictionary[Runtime, SpoolRecorder] = weakref.WeakKeyDictionary()
_recorders_lock = threading.Lock()


def spool_folder(runtime: Runtime) -> Path:
    return runtime.settings.data_dir / "clicks"


def spool_of(runtime: Runtime) -> SpoolRecorder:
    recorder = _recorders.get(runtime)
    if recorder is None:
        with _recorders_lock:
            recorder = _recorders.get(runtime)
            if recorder is None:
                recorder = SpoolRecorder(spool_folder(runtime))
                _recorders[runtime] = recorder
                weakref.finalize(runtime, recorder.close)
    return recorder


# The spool's own line format: tab-separated, read by the web process's own drain, where its
# parsing cost is the redirect's cost (about a third of JSON's). A spool line starts with its
# format tag; older spool lines and the Redis list of older releases, JSON, are still read.
SPOOL_TAG = "c2"
_SPOOL_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPOOL_UNESCAPE = re.compile(r"\\(.)")
_SPOOL_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def spool_prefix(store_id: int, advocate_id: int, campaign_id: int | None) -> str:
    """The part of a click's spool line that is the same for every click on one link."""
    campaign = "" if campaign_id is None else int(campaign_id)
    return f"{int(store_id)}\t{int(advocate_id)}\t{campaign}\t"


_UNIQUE_FIELD = {True: "1", False: "0", None: ""}
_UNIQUE_VALUE = {"1": True, "0": False, "": None}


def spool_line(
    prefix: str,
    click_id: str,
    channel: str,
    unique: bool | None,
    ip_hash: str | None,
    user_agent: str,
    at: float,
) -> str:
    """A click as one spool line: tag, id, store, advocate, campaign, channel, unique (1, 0, or
    empty when unknown), IP hash, time, user agent (backslash, tab and line breaks escaped):
    the click table's columns. ``prefix`` is the link's ``spool_prefix``."""
    if "\t" in user_agent or "\\" in user_agent or "\n" in user_agent or "\r" in user_agent:
        user_agent = user_agent.translate(_SPOOL_ESCAPES)
    return (
        f"{SPOOL_TAG}\t{click_id}\t{prefix}{channel}\t{_UNIQUE_FIELD[unique]}\t{ip_hash or ''}\t"
        f"{float(at)!r}\t{user_agent}"
    )


def record_click(
    runtime: Runtime,
    spool_start: str,
    click_id: str,
    channel: str,
    unique: bool | None,
    ip_hash: str | None,
    user_agent: str,
    at: float,
) -> None:
    """Keep one click durably before the redirect is answered: in this process's spool file,
    in both modes (no network, no lock shared with the database; the periodic copy takes it
    from there). ``spool_start`` is the link's ``spool_prefix``; ``unique`` None when the
    unique-visitor counter could not tell (the copy decides)."""
    spool_of(runtime).write(
        spool_line(spool_start, click_id, channel, unique, ip_hash, user_agent, at)
    )


_INSERT_PG = (
    'INSERT INTO click (id, store_id, advocate_id, campaign_id, channel, "unique", ip_hash, '
    "user_agent, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (id) DO NOTHING"
)
_INSERT_SQLITE = (
    'INSERT OR IGNORE INTO click (id, store_id, advocate_id, campaign_id, channel, "unique", '
    "ip_hash, user_agent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def insert_clicks(session: Session, clicks: Iterable[dict[str, Any]]) -> int:
    """Insert clicks (dicts) whose advocate still exists; a click already copied is skipped."""
    postgres = session.connection().dialect.name == "postgresql"
    return insert_rows(session, [_row(c, as_text=not postgres) for c in clicks])


def insert_rows(session: Session, rows: list[tuple[Any, ...]]) -> int:
    """Insert click rows (``_row``'s tuples, times as text on SQLite) whose advocate still
    exists; a click already copied is skipped.

    Plain DB-API statements (the drain's cost is what a busy embedded server pays per click, so
    it stays near the driver's speed)."""
    if not rows:
        return 0
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    known = set(session.exec(select(Advocate.id).where(col(Advocate.id).in_({r[2] for r in rows}))))
    rows = [r for r in rows if r[2] in known]
    if not rows:
        return 0
    rows = visitors.decide(session, rows)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if postgres:
            cursor.executemany(_INSERT_PG, rows)
            inserted = int(cursor.rowcount)
            return inserted if inserted >= 0 else len(rows)
        # SQLite: a few hundred rows per statement. executemany steps once per row, and the
        # driver lets go of the GIL around every step: in the web process that is a thread
        # switch per click against the event loop.
        inserted = 0
        for start in range(0, len(rows), _SQLITE_ROWS_PER_INSERT):
            chunk = rows[start : start + _SQLITE_ROWS_PER_INSERT]
            cursor.execute(_sqlite_insert(len(chunk)), [v for row in chunk for v in row])
            inserted += int(cursor.rowcount)
        return inserted
    finally:
        cursor.close()


_SQLITE_ROWS_PER_INSERT = 500  # 4,500 parameters, under SQLite's 32,766


@functools.lru_cache(maxsize=8)
def _sqlite_insert(rows: int) -> str:
    return _INSERT_SQLITE + ", (?, ?, ?, ?, ?, ?, ?, ?, ?)" * (rows - 1)


def _row(click: dict[str, Any], *, as_text: bool) -> tuple[Any, ...]:
    at = float(click["at"])
    unique = click.get("q", True)
    return (
        str(click["id"]),
        int(click["s"]),
        int(click["a"]),
        click.get("c"),
        str(click.get("ch", "direct")),
        None if unique is None else bool(unique),
        click.get("ih"),
        (click.get("ua") or "")[:300] or None,
        sqlite_time(at) if as_text else _naive_utc(at),
    )


def spool_rows(lines: list[bytes], *, as_text: bool) -> list[tuple[Any, ...]]:
    """Spool lines as click rows (``_row``'s tuples): tab-separated lines (``spool_line``),
    and JSON lines of spools written before that format. An unreadable line is logged and
    dropped; the others are kept."""
    rows: list[tuple[Any, ...]] = []
    older: list[bytes] = []
    tag = SPOOL_TAG.encode() + b"\t"
    for line in lines:
        if not line.startswith(tag):
            older.append(line)
            continue
        try:
            _, click_id, store, advocate, campaign, channel, unique, ip_hash, at, agent = (
                line.decode().split("\t")
            )
            moment = float(at)
            row = (
                click_id,
                int(store),
                int(advocate),
                int(campaign) if campaign else None,
                channel,
                _UNIQUE_VALUE[unique],
                ip_hash or None,
                _unescape(agent)[:300] or None,
                sqlite_time(moment) if as_text else _naive_utc(moment),
            )
        except (ValueError, OverflowError, KeyError):  # UnicodeDecodeError is a ValueError
            log.error("dropping an unreadable click record: %r", line[:200])
            continue
        rows.append(row)
    if older:
        rows.extend(_row(click, as_text=as_text) for click in parse_lines(older))
    return rows


def _unescape(agent: str) -> str:
    if "\\" not in agent:
        return agent
    return _SPOOL_UNESCAPE.sub(lambda m: _SPOOL_UNESCAPES.get(m.group(1), m.group(1)), agent)


def _naive_utc(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC).replace(tzinfo=None)


def sqlite_time(at: float) -> str:
    """POSIX seconds as the text SQLAlchemy's DateTime writes on SQLite for the same instant in
    naive UTC (UTCDateTime): "%Y-%m-%d %H:%M:%S.%f", microseconds rounded half to even as
    ``datetime.fromtimestamp`` rounds them. The date and time of day are formatted once a
    second: a busy drain copies thousands of clicks from the same few seconds."""
    fraction, second = math.modf(at)
    micro = round(fraction * 1e6)
    if micro >= 1_000_000:
        second, micro = second + 1, micro - 1_000_000
    return f"{_second_text(int(second))}.{micro:06d}"


@functools.lru_cache(maxsize=1024)
def _second_text(second: int) -> str:
    return datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%d %H:%M:%S")


def drain(runtime: Runtime) -> int:
    """Copy spooled clicks into the database; safe to run from several processes at once."""
    copied = _drain_spool(runtime)
    if runtime.redis is not None and runtime.redis_breaker.allows():
        try:
            copied += _drain_redis(runtime, runtime.redis)
        except redis.RedisError as exc:
            runtime.redis_breaker.failed(exc)  # what is left there waits for the next drain
        else:
            runtime.redis_breaker.succeeded()
    return copied


def _drain_redis(runtime: Runtime, client: redis.Redis) -> int:
    """Clicks that releases before the spool left on the Redis list."""
    if not client.exists(REDIS_LIST):
        return 0
    token = uuid.uuid4().hex
    if not client.set(REDIS_LOCK, token, nx=True, ex=300):
        return 0  # another process is draining; the list is FIFO so nothing waits long
    copied = 0
    try:
        while True:
            raw = client.lrange(REDIS_LIST, 0, REDIS_BATCH - 1)
            if not raw:
                break
            items = [item if isinstance(item, bytes) else item.encode() for item in raw]
            clicks = parse_lines(items)
            with runtime.transaction() as session:
                copied += insert_clicks(session, clicks)
            # Trim only after the commit: a crash in between re-copies, and the insert skips.
            client.ltrim(REDIS_LIST, len(items), -1)
            if len(items) < REDIS_BATCH:
                break
    finally:
        if client.get(REDIS_LOCK) == token.encode():
            client.delete(REDIS_LOCK)
    return copied


def parse_lines(lines: list[bytes]) -> list[dict[str, Any]]:
    """Spooled or queued click lines as dicts. The batch is read as one JSON array (well under
    the cost of a document per line, and the drain runs in the web process in embedded mode);
    a batch with an unreadable line is read line by line, dropping and logging only that one."""
    try:
        values = json.loads(b"[" + b",".join(lines) + b"]")
    except ValueError:
        values = None
    if (
        isinstance(values, list)
        and len(values) == len(lines)
        and all(isinstance(v, dict) for v in values)
    ):
        return values
    return [c for c in (_parse(line) for line in lines) if c is not None]


def _parse(raw: bytes | str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        log.error("dropping an unreadable click record: %r", raw[:200])
        return None
    return value if isinstance(value, dict) else None


def _drain_spool(runtime: Runtime) -> int:
    folder = spool_folder(runtime)
    if not folder.is_dir():
        return 0
    copied = 0
    for path in sorted(folder.iterdir()):
        if path.suffix not in (SPOOL_SUFFIX, ".jsonl", ".closed"):  # .jsonl: older releases
            continue
        copied += _drain_file(runtime, path)
    return copied


def _drain_file(runtime: Runtime, path: Path) -> int:
    name = path.stem
    copied = 0
    while True:
        with runtime.transaction() as session:
            dialect = session.get_bind().dialect.name
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            session.execute(insert(ClickSpool).values(name=name, offset=0).on_conflict_do_nothing())
            mark = session.exec(
                select(ClickSpool).where(ClickSpool.name == name).with_for_update()
            ).first()
            if mark is None:  # another process copied the file to its end and deleted it
                return copied
            try:
                with path.open("rb") as handle:
                    handle.seek(mark.offset)
                    chunk = handle.read(1024 * 1024)
                    size = os.fstat(handle.fileno()).st_size
            except FileNotFoundError:
                session.delete(mark)
                return copied
            end = chunk.rfind(b"\n") + 1
            if end > 0:
                lines = [line for line in chunk[: end - 1].split(b"\n") if line]
                copied += insert_rows(session, spool_rows(lines, as_text=dialect != "postgresql"))
                mark.offset += end
                mark.updated_at = runtime.now()
                session.add(mark)
            finished = mark.offset >= size and _writer_gone(path)
            if finished:
                session.delete(mark)
        if finished:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            return copied
        if len(chunk) < 1024 * 1024:  # read to the end of what was written
            return copied


def _writer_gone(path: Path) -> bool:
    if path.suffix == ".closed":
        return True
    pid = int(path.stem.split("-", 1)[0])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
