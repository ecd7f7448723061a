"""Real PostgreSQL and Redis servers for the tests, on loopback.

The machine's own servers are used when they answer (a throwaway database / Redis db number
is made and removed); otherwise a private server is started from the installed binaries in a
temporary folder. The fault tests always start a private Redis (``private_redis``) that they
stop, freeze and restart. Under CI=true a missing server is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true", pytrace=False)
    pytest.skip(f"{what} is not available (run ./scripts/test, which installs it)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@dataclass
class Postgres:
    admin_url: str  # libpq URL of a maintenance database on the server

    def create_database(self) -> str:
        name = f"rcommerce_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def describe(self) -> str:
        with psycopg.connect(self.admin_url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        where = self.admin_url.split("@", 1)[-1].rsplit("/", 1)[0]
        return (
            f"PostgreSQL {row[0] if row else '?'} at {where} (throwaway databases rcommerce_test_*)"
        )

    def url(self, name: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def postgres_server() -> Iterator[Postgres | None]:
    url = os.environ.get(
        "RCOMMERCE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    if _answers(url):
        yield Postgres(url)
        return
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        yield None
        return
    bindir = Path(initdb[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="rcommerce-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as its own user
        pwd.getpwnam("postgres")
        shutil.chown(folder, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run(
        [
            *run_as,
            str(bindir / "initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            *run_as,
            str(bindir / "postgres"),
            "-D",
            str(folder / "data"),
            "-p",
            str(port),
            "-h",
            "127.0.0.1",
            "-k",
            str(folder),
            "-c",
            "fsync=off",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        deadline = time.monotonic() + 20
        while not _answers(admin) and time.monotonic() < deadline:
            time.sleep(0.2)
        yield Postgres(admin)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def describe_redis(url: str) -> str:
    client = redis.Redis.from_url(url)
    try:
        version = client.info("server").get("redis_version", "?")
    finally:
        client.close()
    return f"Redis {version} at {url.split('//', 1)[-1]}"


@contextlib.contextmanager
def redis_server() -> Iterator[str | None]:
    """Yields a redis:// URL with a db number of its own (flushed before and after)."""
    db = int(os.environ.get("RCOMMERCE_TEST_REDIS_DB", "13"))
    url = os.environ.get("RCOMMERCE_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{db}")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        client.close()
        binary = shutil.which("redis-server")
        if binary is None:
            yield None
            return
        port = free_port()
        server = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port)
            yield f"redis://127.0.0.1:{port}/{db}"
        finally:
            server.terminate()
            server.wait(timeout=30)
        return
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


class RedisProcess:
    """A private ``redis-server`` without persistence (no RDB, no AOF) on a port of its own,
    which a test may stop, freeze (SIGSTOP), thaw (SIGCONT) and start again: a restart comes
    back empty, as a production Redis without persistence would."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="rcommerce-redis-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.frozen = False

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisProcess:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        client = redis.Redis.from_url(self.url(), socket_timeout=2)
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    client.ping()
                    break
                except redis.RedisError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        finally:
            client.close()
        return self

    def stop(self) -> None:
        """Kill the server (SIGKILL: what it held is gone, as after a crash)."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGCONT)  # a frozen server must wake up to die
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None
        self.frozen = False

    def restart(self) -> None:
        self.stop()
        self.start()

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)
        self.frozen = False

    def ensure_running(self) -> None:
        """Up and awake, whatever a test left it as."""
        if self.process is None:
            self.start()
        elif self.frozen:
            self.thaw()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def private_redis() -> Iterator[RedisProcess]:
    """A RedisProcess, started; under CI=true a missing redis-server fails the test."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server")
    assert binary is not None
    server = RedisProcess(binary)
    try:
        yield server.start()
    finally:
        server.close()
