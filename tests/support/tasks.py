"""Jobs used only by the tests of the job machinery (imported by the test worker with -I)."""

from __future__ import annotations

import time

from rcommerce import db
from rcommerce.jobs import JobContext, job
from rcommerce.stores.models import Store


@job("tests.rename_store", max_attempts=3, base_backoff=1.0)
def rename_store(
    ctx: JobContext, *, store_id: int, suffix: str, sleep_first: float = 0.0, fail_times: int = 0
) -> None:
    """Appends ``suffix`` to the store's name: applied twice, the name shows it twice."""
    store = ctx.session.get(Store, store_id)
    assert store is not None
    store.name += suffix
    ctx.session.add(store)
    ctx.session.flush()
    if ctx.job.attempts <= fail_times:
        raise RuntimeError(f"failing on purpose (attempt {ctx.job.attempts})")
    if ctx.job.attempts == 1 and sleep_first:
        time.sleep(sleep_first)  # the test kills the worker while it sleeps, before the commit


@job("tests.rename_store_later", max_attempts=3, base_backoff=2.0)
def rename_store_later(ctx: JobContext, *, store_id: int, suffix: str, fail_times: int = 0) -> None:
    """``tests.rename_store`` with retries 2 s and 4 s after a failure."""
    rename_store(ctx, store_id=store_id, suffix=suffix, fail_times=fail_times)


@job("tests.wait")
def wait(ctx: JobContext, *, seconds: float) -> None:
    """Waits without holding a database lock, as a handler waiting on the network does."""
    time.sleep(seconds)


@job("tests.rename_store_noting_turn")
def rename_store_noting_turn(ctx: JobContext, *, store_id: int) -> None:
    """``tests.rename_store``, the suffix saying whether its write turn was a background one."""
    background = bool(getattr(db._background, "on", False))
    rename_store(ctx, store_id=store_id, suffix=" (background)" if background else " (foreground)")


@job("tests.rename_store_together", max_attempts=3, batch=3)
def rename_store_together(ctx: JobContext, payloads: list[dict[str, object]]) -> None:
    """Appends the suffixes of the jobs run together, then how many they were ("ab|2"); a
    payload with ``fail`` fails the whole call (and its partial write is undone)."""
    store = ctx.session.get(Store, payloads[0]["store_id"])
    assert store is not None
    store.name += "".join(str(p["suffix"]) for p in payloads) + f"|{len(payloads)}"
    ctx.session.add(store)
    ctx.session.flush()
    if any(p.get("fail") for p in payloads):
        raise RuntimeError("failing on purpose")
