"""What most tests share: the secret key of test installations, a movable clock, a job runner the
test drives, a store's keys, and emptying a PostgreSQL test database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import create_engine, inspect, text

from rcommerce.runner import InProcessRunner
from rcommerce.timestamps import utcnow

TEST_SECRET = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def empty_tables(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
        if names:
            conn.execute(
                text(
                    f"TRUNCATE {', '.join(chr(34) + n + chr(34) for n in names)} RESTART IDENTITY CASCADE"
                )
            )
    engine.dispose()


class Clock:
    """The runtime's clock, moved by tests (hold periods, expiry) without sleeping."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


class ManualRunner(InProcessRunner):
    """The in-process runner without its thread: ``drain()`` runs due jobs in the test, at
    once (a test's jobs are all young: no gathering)."""

    gather_seconds = 0.0

    def start(self) -> None:
        pass


@dataclass
class StoreKeys:
    store_id: int
    secret_key: str
    publishable_key: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret_key}"}
