"""The segments job: every six hours each store's customers are put in their segments again
(and soon after a store changes its thresholds)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import col, select

from rcommerce.customers import service
from rcommerce.jobs import JobContext, job, periodic
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store

log = logging.getLogger(__name__)


def compute_store(runtime: Runtime, store_id: int) -> dict[str, int] | None:
    with runtime.transaction() as session:
        store = session.get(Store, store_id)
        if store is None:
            return None
        return service.compute(session=session, store=store, now=runtime.now())


@periodic("customers.segments_all", every=timedelta(hours=6))
def segments_all(runtime: Runtime) -> None:
    with runtime.transaction(readonly=True) as session:
        ids = [int(i) for i in session.exec(select(Store.id).order_by(col(Store.id))) if i]
    for store_id in ids:
        try:
            compute_store(runtime, store_id)
        except Exception:
            # One store's failure must not stop the others; the next run tries it again.
            log.exception("segments of store %s failed", store_id)


@job(service.RUN_JOB, max_attempts=5)
def segments_of_store(ctx: JobContext, *, store_id: int) -> None:
    store = ctx.session.get(Store, store_id)
    if store is not None:
        service.compute(session=ctx.session, store=store, now=ctx.now())
