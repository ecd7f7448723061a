"""A person's data on request: export all of it, or erase it (GDPR; Vietnam's Decree 13/2023).

Erasure removes what identifies the person (e-mail, name, visitor id, IP and user-agent
hashes, click user agents) and ends the referral link. Money records stay, anonymised,
because the store must keep its accounts.

``person_data`` and ``forget_person`` are this package's part of ``/api/v1/privacy/*``
(``rcommerce.data_requests`` gathers every package's): the advocates of an e-mail address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, cast, or_, update
from sqlmodel import Session, col, func, select

from rcommerce import events
from rcommerce.advocates import service
from rcommerce.advocates.events import AdvocateChanged
from rcommerce.advocates.models import Advocate, PortalLogin
from rcommerce.identity import Person
from rcommerce.referrals.models import (
    Click,
    Conversion,
    Coupon,
    LedgerEntry,
    PurchasePoints,
    Redemption,
    Reward,
)
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export(session: Session, settings: Settings, store: Store, advocate_id: int) -> dict[str, Any]:
    advocate = service.get_advocate(session, store, advocate_id)
    aid = advocate.id
    return {
        "advocate": {
            "id": aid,
            "email": advocate.email,
            "phone": advocate.phone,
            "name": advocate.name,
            "referral_code": advocate.referral_code,
            "referral_url": service.referral_url(settings, advocate),
            "status": advocate.status,
            "locale": advocate.locale,
            "source": advocate.source,
            "visitor_id": advocate.visitor_id,
            "ip_hash": advocate.ip_hash,
            "emails_opted_out_at": _iso(advocate.emails_opted_out_at),
            "created_at": _iso(advocate.created_at),
        },
        "store": {"id": store.id, "name": store.name},
        "clicks": [
            {
                "id": c.id,
                "channel": c.channel,
                "unique": c.unique,
                "ip_hash": c.ip_hash,
                "user_agent": c.user_agent,
                "created_at": _iso(c.created_at),
            }
            for c in session.exec(
                select(Click).where(Click.advocate_id == aid).order_by(col(Click.created_at))
            )
        ],
        "conversions": [
            {
                "id": c.id,
                "status": c.status,
                "reasons": c.reasons,
                "order_total": str(c.order_total),
                "created_at": _iso(c.created_at),
            }
            for c in session.exec(select(Conversion).where(Conversion.advocate_id == aid))
        ],
        "rewards": [
            {
                "id": r.id,
                "recipient": r.recipient,
                "kind": r.kind,
                "value": str(r.value),
                "status": r.status,
                "coupon_code": r.coupon_code,
                "created_at": _iso(r.created_at),
            }
            for r in session.exec(select(Reward).where(Reward.advocate_id == aid))
        ],
        "ledger": [
            {
                "id": e.id,
                "unit": e.unit,
                "kind": e.kind,
                "amount": str(e.amount),
                "created_at": _iso(e.created_at),
            }
            for e in session.exec(
                select(LedgerEntry)
                .where(LedgerEntry.advocate_id == aid)
                .order_by(col(LedgerEntry.id))
            )
        ],
        "purchase_points": [
            {
                "id": p.id,
                "points": str(p.points),
                "status": p.status,
                "approve_after": _iso(p.approve_after),
                "created_at": _iso(p.created_at),
            }
            for p in session.exec(
                select(PurchasePoints)
                .where(PurchasePoints.advocate_id == aid)
                .order_by(col(PurchasePoints.id))
            )
        ],
        "redemptions": [
            {
                "id": r.id,
                "amount": str(r.amount),
                "succeeded": r.succeeded,
                "created_at": _iso(r.created_at),
            }
            for r in session.exec(select(Redemption).where(Redemption.advocate_id == aid))
        ],
        "coupons": [
            {"code": c.code, "purpose": c.purpose, "status": c.status}
            for c in session.exec(select(Coupon).where(Coupon.advocate_id == aid))
        ],
    }


def erase(*, session: Session, store: Store, advocate_id: int, now: datetime) -> Advocate:
    advocate = service.get_advocate(session, store, advocate_id)
    aid = advocate.id
    advocate.email = f"erased-{aid}@erased.invalid"
    advocate.email_canonical = advocate.email
    advocate.phone = None
    advocate.name = ""
    advocate.visitor_id = None
    advocate.ip_hash = None
    advocate.user_agent_hash = None
    advocate.locale = None
    advocate.status = "erased"
    advocate.erased_at = now
    events.publish(AdvocateChanged(session, advocate))
    advocate.emails_opted_out_at = advocate.emails_opted_out_at or now
    session.add(advocate)
    session.execute(
        update(Click).where(col(Click.advocate_id) == aid).values(ip_hash=None, user_agent=None)
    )
    session.execute(
        update(Coupon)
        .where(col(Coupon.advocate_id) == aid, col(Coupon.status) == "active")
        .values(status="void")
    )
    session.execute(
        update(PortalLogin).where(col(PortalLogin.advocate_id) == aid).values(used_at=now)
    )
    return advocate


def _advocates_of(session: Session, store: Store, person: Person) -> list[Advocate]:
    """The store's advocates who joined with the person's e-mail or phone."""
    known = []
    if person.email:
        known.append(col(Advocate.email) == person.email.strip().lower())
    if person.phone:
        known.append(col(Advocate.phone) == person.phone)
    if not known:
        return []
    return list(
        session.exec(
            select(Advocate)
            .where(Advocate.store_id == store.id, or_(*known), Advocate.status != "erased")
            .order_by(col(Advocate.id))
        )
    )


def _click_counts(session: Session, advocate_id: int) -> dict[str, Any]:
    rows = session.exec(
        select(Click.channel, func.count(), func.sum(cast(col(Click.unique), Integer)))
        .where(Click.advocate_id == advocate_id)
        .group_by(col(Click.channel))
    ).all()
    return {
        "total": sum(int(total) for _, total, _ in rows),
        "unique": sum(int(unique or 0) for _, _, unique in rows),
        "by_channel": {channel: int(total) for channel, total, _ in sorted(rows)},
    }


def person_data(
    *, session: Session, settings: Settings, store: Store, person: Person
) -> dict[str, Any]:
    """The ``advocates`` section: each advocate of the e-mail or phone with their referral code,
    conversions, rewards, ledger, redemptions and coupons, and their clicks counted (each
    click is listed by ``GET /api/v1/advocates/{id}/export``)."""
    found = []
    for advocate in _advocates_of(session, store, person):
        assert advocate.id is not None
        one = export(session, settings, store, advocate.id)
        del one["store"]
        one["clicks"] = _click_counts(session, advocate.id)
        found.append(one)
    return {"advocates": found}


def forget_person(
    *, session: Session, settings: Settings, store: Store, person: Person, now: datetime
) -> dict[str, int]:
    """``erase`` for each advocate of the e-mail or phone; how many there were."""
    advocates = _advocates_of(session, store, person)
    for advocate in advocates:
        assert advocate.id is not None
        erase(session=session, store=store, advocate_id=advocate.id, now=now)
    return {"advocates": len(advocates)}
