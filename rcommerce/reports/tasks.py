"""Scheduled roll-ups and the weekly e-mail digest to managers.

- every 10 minutes the current and previous local day of every store are rolled up again
  (clicks reach the database from their buffer within seconds, orders arrive all day);
- every night the last ``WINDOW_DAYS`` days are rebuilt, which picks up what changes later:
  refunds inside the returns window, held conversions decided, reviews moderated or replied to;
- a manager action in the dashboard (moderating, replying, deciding a conversion) enqueues a
  rebuild of the day it touched; ``rcommerce reports rebuild`` rebuilds any range.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from rcommerce.jobs import JobContext, enqueue, job, periodic
from rcommerce.mail import Mail
from rcommerce.reports import digest, service
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Manager, Store

log = logging.getLogger(__name__)
WINDOW_DAYS = 60
REBUILD_WINDOW_SECONDS = 600


def local_today(store: Store, now: datetime) -> date:
    return now.astimezone(ZoneInfo(store.timezone)).date()


def _store_ids(runtime: Runtime) -> list[int]:
    with runtime.transaction(readonly=True) as session:
        return [int(i) for i in session.exec(select(Store.id).order_by(col(Store.id))) if i]


def refresh_store(runtime: Runtime, store_id: int, days_back: int) -> None:
    with runtime.transaction() as session:
        store = session.get(Store, store_id)
        if store is None:
            return
        today = local_today(store, runtime.now())
        service.refresh(
            session=session,
            settings=runtime.settings,
            store=store,
            first=today - timedelta(days=days_back),
            last=today,
            now=runtime.now(),
        )


def _each_store(runtime: Runtime, days_back: int) -> None:
    for store_id in _store_ids(runtime):
        try:
            refresh_store(runtime, store_id, days_back)
        except Exception:
            # One store's failure must not stop the others; the next run tries it again.
            log.exception("roll-up of store %s failed", store_id)


@periodic("reports.refresh_recent", every=timedelta(minutes=10))
def refresh_recent(runtime: Runtime) -> None:
    """Today and yesterday of every store."""
    _each_store(runtime, 1)


@periodic("reports.rebuild_window", every=timedelta(days=1))
def rebuild_window(runtime: Runtime) -> None:
    """The last WINDOW_DAYS days of every store (late refunds, decisions, replies)."""
    _each_store(runtime, WINDOW_DAYS)


@job("reports.rebuild", max_attempts=5)
def rebuild(ctx: JobContext, *, store_id: int, first: str, last: str) -> None:
    store = ctx.session.get(Store, store_id)
    if store is None:
        return
    service.refresh(
        session=ctx.session,
        settings=ctx.runtime.settings,
        store=store,
        first=date.fromisoformat(first),
        last=date.fromisoformat(last),
        now=ctx.now(),
    )


def rebuild_later(session: Session, store: Store, day: date, now: datetime) -> None:
    """Enqueue a rebuild of ``day`` (after a change to something that happened that day).

    Days of the last 2 are already refreshed every 10 minutes; older ones need this. One
    rebuild per day touched per ten-minute window, run when the window ends, so that it sees
    every change made in it (a rebuild run at once would miss a later change of the same
    window, which the dedupe key folds into it)."""
    if (local_today(store, now) - day).days <= 1:
        return
    assert store.id is not None
    window = int(now.timestamp() // REBUILD_WINDOW_SECONDS)
    enqueue(
        session,
        "reports.rebuild",
        {"store_id": store.id, "first": day.isoformat(), "last": day.isoformat()},
        store_id=store.id,
        run_at=datetime.fromtimestamp((window + 1) * REBUILD_WINDOW_SECONDS, UTC),
        dedupe_key=f"reports.rebuild:{store.id}:{day.isoformat()}:{window}",
    )


# ---- weekly digest -------------------------------------------------------------------------


def last_full_week(store: Store, now: datetime) -> tuple[date, date]:
    """Monday to Sunday of the last week that has ended in the store's time zone."""
    today = local_today(store, now)
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(days=7), this_monday - timedelta(days=1)


@periodic("reports.weekly_digest", every=timedelta(hours=1))
def weekly_digest(runtime: Runtime) -> None:
    """Once per store and week: enqueue the digest of the week that just ended."""
    now = runtime.now()
    with runtime.transaction() as session:
        managed = select(Store).where(col(Store.id).in_(select(Manager.store_id)))
        for store in session.exec(managed):
            first, last = last_full_week(store, now)
            if store.created_at.astimezone(ZoneInfo(store.timezone)).date() > last:
                continue  # the store did not exist during that week
            enqueue(
                session,
                "reports.digest",
                {"store_id": store.id, "first": first.isoformat()},
                store_id=store.id,
                dedupe_key=f"reports.digest:{store.id}:{first.isoformat()}",
            )


@job("reports.digest", max_attempts=6)
def send_digest(ctx: JobContext, *, store_id: int, first: str) -> None:
    store = ctx.session.get(Store, store_id)
    if store is None:
        return
    start = date.fromisoformat(first)
    mails = digest.compose(
        session=ctx.session,
        settings=ctx.runtime.settings,
        store=store,
        first=start,
        now=ctx.now(),
        job_id=ctx.job.id,
    )
    for mail in mails:
        ctx.runtime.mailer.send(mail)


def digest_preview(runtime: Runtime, store_id: int) -> list[Mail]:
    """The digest of the last full week as it would be sent now (CLI --dry-run)."""
    with runtime.transaction() as session:
        store = session.get(Store, store_id)
        if store is None:
            return []
        first, _ = last_full_week(store, runtime.now())
        return digest.compose(
            session=session,
            settings=runtime.settings,
            store=store,
            first=first,
            now=runtime.now(),
            job_id="preview",
        )
