from __future__ import annotations

import random
from datetime import timedelta

from rcommerce.jobs import Job
from rcommerce.models import Store
from rcommerce.reports.tasks import last_full_week, weekly_digest
from rcommerce.runtime import Runtime
from rcommerce.stores import service
from tests.conftest import Clock, StoreKeys
from tests.reports.seed import seed
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
