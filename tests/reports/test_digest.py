from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import select

from rcommerce.jobs import Job
from rcommerce.reports.tasks import last_full_week, weekly_digest
from rcommerce.runtime import Runtime
from rcommerce.stores import service
from rcommerce.stores.models import Store
from tests.reports.seed import seed
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import Inbox, SMTPServer


def test_weekly_digest_reaches_each_manager_once_in_their_language(
    smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys, clock: Clock
) -> None:
    runtime = smtp_runtime
    with runtime.transaction() as session:
        row = session.get(Store, store.store_id)
        assert row is not None
        row.created_at = runtime.now() - timedelta(days=30)
        service.create_manager(
            session=session, store=row, email="vi@shop.example", password="x" * 12
        )
        english = service.create_manager(
            session=session, store=row, email="en@shop.example", password="y" * 12
        )
        english.locale = "en"
        first, last = last_full_week(row, runtime.now())
        seed(session, store.store_id, random.Random(1), first, last)
    weekly_digest(runtime)
    weekly_digest(runtime)  # the hourly check again: still one digest per week
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    messages = smtp_server.inbox.wait_for(2)
    by_to = {m["To"]: m for m in messages}
    assert set(by_to) == {"vi@shop.example", "en@shop.example"}
    assert "truyền miệng" in by_to["vi@shop.example"]["Subject"]
    assert "word of mouth" in by_to["en@shop.example"]["Subject"]
    text = Inbox.text_of(by_to["en@shop.example"])
    assert "Referred orders" in text and f"from={first.isoformat()}&to" in text
    with runtime.transaction() as session:
        jobs = session.exec(Job.__table__.select().where(Job.name == "reports.digest")).all()  # type: ignore[attr-defined]
        assert len(jobs) == 1
    clock.advance(days=7)
    weekly_digest(runtime)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(smtp_server.inbox.wait_for(4)) == 4  # next week: one more each


def test_weekly_digest_skips_stores_without_a_manager(
    runtime: Runtime, make_store: Callable[..., StoreKeys]
) -> None:
    lonely, managed = make_store(name="Lonely"), make_store(name="Managed")
    with runtime.transaction() as session:
        for keys in (lonely, managed):
            row = session.get(Store, keys.store_id)
            assert row is not None
            row.created_at = runtime.now() - timedelta(days=30)
        shop = session.get(Store, managed.store_id)
        assert shop is not None
        service.create_manager(
            session=session, store=shop, email="boss@shop.example", password="x" * 12
        )
    weekly_digest(runtime)
    with runtime.transaction(readonly=True) as session:
        jobs = session.exec(select(Job).where(Job.name == "reports.digest")).all()
    assert [job.store_id for job in jobs] == [managed.store_id]
