"""Shared fixtures: settings on SQLite and PostgreSQL, a runtime with an injectable clock,
the app and a client, stores, and real Redis / PostgreSQL servers on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from rcommerce import db
from rcommerce.app import create_app
from rcommerce.boot import start_runtime
from rcommerce.mail import SMTPMailer
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores import service
from tests.support import browser as browser_support
from tests.support import servers
from tests.support.runtime import TEST_SECRET, Clock, ManualRunner, StoreKeys, empty_tables
from tests.support.smtp import SMTPServer

SERVICES_USED: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say which real servers this run used, and how many tests passed against each."""
    passed = [r for r in terminalreporter.stats.get("passed", []) if r.when == "call"]
    counts = {
        "PostgreSQL": sum("postgres" in r.nodeid for r in passed),
        "SQLite": sum("sqlite" in r.nodeid for r in passed),
        "a Celery worker process": sum("worker" in r.keywords for r in passed),
        "a server stopped, frozen or restarted (faults)": sum(
            "faults" in r.keywords for r in passed
        ),
        "Debian Chromium (playwright)": sum("browser" in r.keywords for r in passed),
    }
    terminalreporter.section("real services used")
    from tests.support.web import STARTED as WEB_STARTED
    from tests.support.worker import STARTED

    if STARTED:
        SERVICES_USED["Celery worker"] = (
            f"`rcommerce worker` / `beat` started {len(STARTED)} times, pids {STARTED}"
        )
    if WEB_STARTED:
        SERVICES_USED["web process"] = (
            f"`rcommerce serve` started {len(WEB_STARTED)} times, pids {WEB_STARTED}"
        )
    for name, detail in SERVICES_USED.items():
        terminalreporter.line(f"{name}: {detail}")
    for name, count in counts.items():
        terminalreporter.line(f"tests passed against {name}: {count}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[servers.Postgres | None]:
    with servers.postgres_server() as server:
        if server is not None:
            SERVICES_USED["PostgreSQL"] = server.describe()
        yield server


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with servers.redis_server() as url:
        if url is None:
            servers.missing("Redis")
        assert url is not None
        SERVICES_USED["Redis"] = servers.describe_redis(url)
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sqlite-template")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'template.db'}", secret_key=TEST_SECRET, data_dir=folder
    )
    db.migrate(settings)
    return folder / "template.db"


@pytest.fixture(scope="session")
def postgres_database(postgres: servers.Postgres | None) -> Iterator[str]:
    """One migrated throwaway database for the session; tables are emptied after each test."""
    if postgres is None:
        servers.missing("PostgreSQL")
    assert postgres is not None
    name = postgres.create_database()
    url = postgres.url(name)
    db.migrate(Settings(database_url=url, secret_key=TEST_SECRET, data_dir=Path("/tmp")))
    try:
        yield url
    finally:
        postgres.drop_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """Each database test runs twice: on SQLite (WAL) and on PostgreSQL."""
    if request.param == "sqlite":
        target = tmp_path / "rcommerce.db"
        shutil.copy(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    url = request.getfixturevalue("postgres_database")
    try:
        yield url
    finally:
        empty_tables(url)


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    target = tmp_path / "rcommerce.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        data_dir=tmp_path,
        base_url="http://testserver",
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(settings: Settings, clock: Clock) -> Iterator[Runtime]:
    """Embedded-mode runtime; jobs run when a test calls ``runtime.dispatcher.drain()``."""
    rt = start_runtime(settings, clock=clock, dispatcher=ManualRunner)
    yield rt
    rt.close()


@pytest.fixture
def app(settings: Settings, runtime: Runtime) -> Any:
    return create_app(settings, runtime=runtime)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(
        app, base_url="http://testserver", raise_server_exceptions=False
    ) as test_client:
        yield test_client


@pytest.fixture
def make_store(runtime: Runtime) -> Callable[..., StoreKeys]:
    def make(
        name: str = "Shop", origins: tuple[str, ...] = ("https://shop.example",), **kw: Any
    ) -> StoreKeys:
        with runtime.transaction() as session:
            created = service.create_store(session=session, name=name, origins=list(origins), **kw)
            assert created.store.id is not None
            return StoreKeys(created.store.id, created.secret_key, created.store.publishable_key)

    return make


@pytest.fixture
def store(make_store: Callable[..., StoreKeys]) -> StoreKeys:
    return make_store()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium, shared by every browser test of the run."""
    yield from browser_support.launch()


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """A real SMTP server on loopback; point a runtime at it with ``smtp_runtime``."""
    with SMTPServer() as server:
        yield server


@pytest.fixture
def smtp_runtime(runtime: Runtime, smtp_server: SMTPServer) -> Runtime:
    """The test runtime, sending its e-mail to the real SMTP server ``smtp_server``."""
    runtime.mailer = SMTPMailer(smtp_server.url, runtime.settings.mail_from)
    return runtime
