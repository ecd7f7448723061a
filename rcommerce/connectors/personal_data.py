"""A person's data in the connectors: the reward coupons sent to a shop platform restricted to
their e-mail (WooCommerce's ``email_restrictions``). Raw webhook deliveries, which carry buyers
as the platform sent them, are deleted after ``tasks.DELIVERY_RETENTION`` whatever is asked.

This package's part of ``/api/v1/privacy/*`` (``rcommerce.data_requests`` gathers every
package's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from rcommerce.connectors.models import ConnectorCoupon
from rcommerce.identity import Person
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

# Why a coupon still waiting to be created was not: it would have gone out without its
# restriction to an address that no longer exists here.
ERASED = "not created: the person it was for asked to be forgotten"


def _coupons(session: Session, store: Store, person: Person) -> list[ConnectorCoupon]:
    if not person.email:
        return []
    return list(
        session.exec(
            select(ConnectorCoupon)
            .where(
                ConnectorCoupon.store_id == store.id,
                ConnectorCoupon.email == person.email.strip().lower(),
            )
            .order_by(col(ConnectorCoupon.id))
        )
    )


def person_data(
    *, session: Session, settings: Settings, store: Store, person: Person
) -> dict[str, Any]:
    """The ``connector_coupons`` section: coupons sent to a platform for the e-mail."""
    return {
        "connector_coupons": [
            {
                "platform": c.platform,
                "code": c.code,
                "recipient": c.recipient,
                "email": c.email,
                "status": c.status,
                "created_at": c.created_at.isoformat(),
                "synced_at": c.synced_at.isoformat() if c.synced_at else None,
            }
            for c in _coupons(session, store, person)
        ]
    }


def forget_person(
    *, session: Session, settings: Settings, store: Store, person: Person, now: datetime
) -> dict[str, int]:
    """Remove the e-mail from those coupons; one still waiting to be created is not created."""
    coupons = _coupons(session, store, person)
    for coupon in coupons:
        coupon.email = None
        if coupon.status == "pending":
            coupon.status, coupon.last_error = "failed", ERASED
        coupon.updated_at = now
        session.add(coupon)
    return {"connector_coupons": len(coupons)}
