"""A person's data in customer segments, on request: the segments the last run put them in,
with the rule and figures behind each (profiling is personal data too); erased with them.

This package's part of ``/api/v1/privacy/*`` (``rcommerce.data_requests`` gathers every
package's). The orders' erasure also clears these rows (``BuyerErased``); this part answers
the count and covers a person the orders no longer know.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from rcommerce.customers.models import CustomerSegment
from rcommerce.identity import Person
from rcommerce.orders.service import normalise_email
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


def _keys(person: Person) -> list[str]:
    """How segments name the person: the canonical e-mail and the phone (E.164)."""
    return [k for k in (normalise_email(person.email) if person.email else None, person.phone) if k]


def person_data(
    *, session: Session, settings: Settings, store: Store, person: Person
) -> dict[str, Any]:
    """The ``customer_segments`` section: each membership with its reason."""
    keys = _keys(person)
    rows = (
        session.exec(
            select(CustomerSegment)
            .where(
                CustomerSegment.store_id == store.id,
                col(CustomerSegment.customer).in_(keys),
            )
            .order_by(col(CustomerSegment.segment))
        ).all()
        if keys
        else []
    )
    return {
        "customer_segments": [
            {
                "segment": row.segment,
                "reason": row.reason,
                "computed_at": row.computed_at.isoformat(),
            }
            for row in rows
        ]
    }


def forget_person(
    *, session: Session, settings: Settings, store: Store, person: Person, now: datetime
) -> dict[str, int]:
    """Remove the person's segment memberships; how many there were."""
    keys = _keys(person)
    if not keys:
        return {"customer_segments": 0}
    gone = session.execute(
        delete(CustomerSegment).where(
            col(CustomerSegment.store_id) == store.id,
            col(CustomerSegment.customer).in_(keys),
        )
    )
    return {"customer_segments": int(gone.rowcount)}  # type: ignore[attr-defined]
