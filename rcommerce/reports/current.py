"""The report with today's figures current: today is recomputed from the raw events when it is
read (past days come from their roll-ups), for pages that show "today" such as the overview."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from rcommerce.reports.report import Group, word_of_mouth
from rcommerce.reports.service import refresh
from rcommerce.reports.tasks import local_today
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


def word_of_mouth_current(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    first: date,
    last: date,
    group: Group = "day",
    now: datetime,
) -> dict[str, Any]:
    """``word_of_mouth`` with today's roll-up rebuilt first, in this (writing) transaction.

    The scheduled roll-up runs every ten minutes; a manager who just saw an order arrive
    expects it on the overview at once. One day's events are cheap to count again."""
    today = local_today(store, now)
    if first <= today <= last:
        refresh(session=session, settings=settings, store=store, first=today, last=today, now=now)
    return word_of_mouth(
        session=session,
        settings=settings,
        store=store,
        first=first,
        last=last,
        group=group,
        now=now,
    )
