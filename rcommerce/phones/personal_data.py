"""A person's part of the phones package: whether their phone opted out of the store's
messages. Erasing the person removes the opt-out with the rest of their data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from rcommerce.identity import Person
from rcommerce.phones.models import PhoneOptOut
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


def person_data(
    *, session: Session, settings: Settings, store: Store, person: Person
) -> dict[str, Any]:
    """The ``phone_opt_outs`` section: the phone's opt-out, when it has one."""
    if not person.phone:
        return {"phone_opt_outs": []}
    rows = session.exec(
        select(PhoneOptOut).where(
            PhoneOptOut.store_id == store.id, PhoneOptOut.phone == person.phone
        )
    )
    return {
        "phone_opt_outs": [
            {"phone": row.phone, "source": row.source, "created_at": row.created_at.isoformat()}
            for row in rows
        ]
    }


def forget_person(
    *, session: Session, settings: Settings, store: Store, person: Person, now: datetime
) -> dict[str, int]:
    if not person.phone:
        return {"phone_opt_outs": 0}
    removed = session.execute(
        delete(PhoneOptOut).where(
            col(PhoneOptOut.store_id) == store.id, col(PhoneOptOut.phone) == person.phone
        )
    )
    return {"phone_opt_outs": int(removed.rowcount or 0)}  # type: ignore[attr-defined]
