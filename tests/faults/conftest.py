"""Fixtures of the fault scenarios: a private Redis the tests stop, freeze and restart, the
distributed-mode settings that point at it and at PostgreSQL, and a shop to send traffic to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rcommerce.settings import Settings
from tests.support import servers
from tests.support.runtime import TEST_SECRET, empty_tables
from tests.support.servers import RedisProcess


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisProcess]:
    with servers.private_redis() as server:
        yield server


@pytest.fixture(autouse=True)
def redis_running(redis_server: RedisProcess) -> Iterator[None]:
    """Each test starts with the private Redis up and awake, whatever the last one did."""
    redis_server.ensure_running()
    yield
    redis_server.ensure_running()


@pytest.fixture(scope="module")
def distributed(
    postgres_database: str, redis_server: RedisProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """Distributed mode on PostgreSQL and the private Redis, with short timeouts for tests."""
    data_dir: Path = tmp_path_factory.mktemp("distributed")
    yield Settings(
        database_url=postgres_database,
        redis_url=redis_server.url(0),
        secret_key=TEST_SECRET,
        data_dir=data_dir,
        base_url="http://127.0.0.1",
    )
    empty_tables(postgres_database)
