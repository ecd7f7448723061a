"""Failed manager sign-ins: a delay for each account and source together, growing with every
failure, and an alert to the manager when failures come in a burst.

Counting per account alone let anyone lock the real manager out with ten wrong passwords;
counting per account and source together slows a guesser down without touching the manager,
whose right password from another place still works at once.
"""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from rcommerce.cache import Cache
from rcommerce.jobs import enqueue
from rcommerce.stores.models import Manager

FREE_FAILURES = 3  # failures from one source before the first delay
FIRST_DELAY = 5  # seconds after the first failure past those, doubling with each further one
MAX_DELAY = 15 * 60  # the longest wait between two attempts from one source (seconds)
REMEMBER = 24 * 3600  # how long a source's failures are remembered
BURST = 10  # failures on one account, from anywhere, that make a burst ...
BURST_WINDOW = 15 * 60  # ... within this many seconds


def delay_after(failures: int) -> int:
    """Seconds a source must wait after its ``failures``-th failure: none for the first
    FREE_FAILURES - 1, then 5, 10, 20, 40 ... up to MAX_DELAY."""
    if failures < FREE_FAILURES:
        return 0
    return int(min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES), MAX_DELAY))


def _pair(account: str, source: str) -> str:
    return f"login-fail:{account}:{source}"


def wait_for(cache: Cache, *, account: str, source: str, now: float) -> int:
    """Seconds this source must still wait before trying this account again (0: go ahead)."""
    raw = cache.get(_pair(account, source))
    if raw is None:
        return 0
    state = json.loads(raw)
    remaining = float(state["t"]) + delay_after(int(state["n"])) - now
    return max(int(remaining + 0.999), 0)


def failed(cache: Cache, *, account: str, source: str, now: float) -> bool:
    """Count a failure of this source on this account; True when it makes the account's
    failures (from all sources) a burst, once per BURST_WINDOW."""
    raw = cache.get(_pair(account, source))
    count = int(json.loads(raw)["n"]) if raw is not None else 0
    state = {"n": count + 1, "t": now}
    cache.set(_pair(account, source), json.dumps(state).encode(), REMEMBER)
    window = int(now // BURST_WINDOW)
    return cache.incr(f"login-burst:{account}:{window}", BURST_WINDOW * 2) == BURST


def succeeded(cache: Cache, *, account: str, source: str) -> None:
    cache.delete(_pair(account, source))


def alert_burst(*, session: Session, email: str, window: int) -> None:
    """Tell the manager (by e-mail, once per window) that their account is being guessed."""
    manager = session.exec(
        select(Manager).where(col(Manager.email) == email.strip().lower())
    ).first()
    if manager is None or manager.id is None:
        return
    enqueue(
        session,
        "stores.login_alert",
        {"manager_id": manager.id},
        store_id=manager.store_id,
        dedupe_key=f"login-alert:{manager.id}:{window}",
    )
