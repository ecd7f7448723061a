"""A manager's decision on a conversion the fraud rules held: approve it (it then waits out
the hold period like any other) or reject it (its rewards are voided)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from rcommerce import events
from rcommerce.errors import Conflict, NotFound
from rcommerce.referrals import webhooks
from rcommerce.referrals.events import ConversionDecided
from rcommerce.referrals.models import Conversion
from rcommerce.referrals.read_models import conversion_data
from rcommerce.referrals.rewards import approve_conversion, rewards_of
from rcommerce.stores.models import Store


def get_conversion(session: Session, store: Store, conversion_id: int) -> Conversion:
    conversion = session.get(Conversion, conversion_id)
    if conversion is None or conversion.store_id != store.id:
        raise NotFound(f"No conversion {conversion_id} in this store.")
    return conversion


def decide_conversion(
    *,
    session: Session,
    store: Store,
    conversion_id: int,
    approve: bool,
    decided_by: str,
    note: str | None,
    now: datetime,
) -> Conversion:
    """A manager's decision on a held conversion: approve (it then waits out the hold period
    like any other) or reject (its rewards are voided)."""
    conversion = get_conversion(session, store, conversion_id)
    if conversion.status != "held":
        raise Conflict(f"Conversion {conversion_id} is {conversion.status}, not held.")
    conversion.decided_at, conversion.decided_by, conversion.decision_note = now, decided_by, note
    if approve:
        conversion.status = "pending"
        session.add(conversion)
        session.flush()
        if conversion.approve_after <= now:
            approve_conversion(session=session, store=store, conversion=conversion, now=now)
    else:
        conversion.status = "rejected"
        session.add(conversion)
        for reward in rewards_of(session, conversion, status="pending"):
            reward.status, reward.voided_at = "void", now
            session.add(reward)
        session.flush()
        webhooks.emit(
            session, store, "conversion.rejected", conversion_data(session, conversion), now=now
        )
    events.publish(ConversionDecided(session, store, conversion, now))
    return conversion
