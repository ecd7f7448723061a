"""What the API, portal, dashboard and webhooks show of the programme: conversions and rewards
as data, pages of conversions, the held page, an advocate's summary and detail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from rcommerce import cursors
from rcommerce.advocates import service as advocates
from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order
from rcommerce.referrals.coupons import friend_coupon
from rcommerce.referrals.ledger import balance, debt
from rcommerce.referrals.models import Click, Conversion, LedgerEntry, Reward
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

# Conversions and rewards -------------------------------------------------------------------


def reward_data(reward: Reward) -> dict[str, Any]:
    """A reward as the API, the portal and webhooks show it."""
    return {
        "id": reward.id,
        "conversion_id": reward.conversion_id,
        "advocate_id": reward.advocate_id,
        "recipient": reward.recipient,
        "kind": reward.kind,
        "value": str(reward.value),
        "status": reward.status,
        "coupon_code": reward.coupon_code,
        "created_at": reward.created_at.isoformat(),
        "issued_at": reward.issued_at.isoformat() if reward.issued_at else None,
    }


def conversion_data(session: Session, conversion: Conversion) -> dict[str, Any]:
    """A conversion as the API, the dashboard and webhooks show it (with the store's order id)."""
    order = session.get(Order, conversion.order_pk)
    return _conversion_dict(conversion, order.order_id if order else None)


def conversions_data(session: Session, conversions: Sequence[Conversion]) -> list[dict[str, Any]]:
    """``conversion_data`` of many conversions, their orders' ids read in one query."""
    ids = {c.order_pk for c in conversions}  # the orders' row ids
    order_ids: dict[int | None, str] = (
        dict(session.exec(select(Order.id, Order.order_id).where(col(Order.id).in_(ids))).all())
        if ids
        else {}
    )
    return [_conversion_dict(c, order_ids.get(c.order_pk)) for c in conversions]


def _conversion_dict(conversion: Conversion, order_id: str | None) -> dict[str, Any]:
    return {
        "id": conversion.id,
        "order_id": order_id,
        "advocate_id": conversion.advocate_id,
        "campaign_id": conversion.campaign_id,
        "status": conversion.status,
        "reasons": list(conversion.reasons),
        "attributed_by": conversion.attributed_by,
        "order_total": str(conversion.order_total),
        "created_at": conversion.created_at.isoformat(),
        "approve_after": conversion.approve_after.isoformat(),
    }


def list_conversions(
    *,
    session: Session,
    store: Store,
    status: str | None = None,
    advocate_id: int | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> tuple[list[Conversion], str | None]:
    """A page of the store's conversions, newest first, and the cursor of the next page."""
    query = select(Conversion).where(Conversion.store_id == store.id)
    if status:
        query = query.where(Conversion.status == status)
    if advocate_id is not None:
        query = query.where(Conversion.advocate_id == advocate_id)
    return cursors.newest_first(session, query, Conversion.id, cursor, limit)


def count_conversions(*, session: Session, store: Store, status: str) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Conversion)
            .where(Conversion.store_id == store.id, Conversion.status == status)
        ).one()
    )


# Held conversions, a page at a time --------------------------------------------------------


HELD_PAGE = 50


@dataclass(frozen=True)
class HeldPage:
    """One page of the held conversions, newest first, and where its neighbours start."""

    rows: list[dict[str, Any]]
    total: int  # held conversions in all
    newer: int | None  # ``after`` of the previous page; None on the first page
    older: int | None  # ``before`` of the next page; None on the last page


def held_for_decision(
    *,
    session: Session,
    store: Store,
    before: int | None = None,
    after: int | None = None,
    limit: int = HELD_PAGE,
) -> HeldPage:
    """A page of the held conversions a manager decides on, newest first, each with its
    advocate's name or e-mail under ``advocate`` ("" once the advocate's data was erased).

    Keyset pages by id: the ``limit`` older than ``before``, or newer than ``after``, or the
    newest. Deciding one moves no other onto another page. A page emptied by decisions gives
    way to its neighbour (the last page, or the first).
    """
    held = _held_page(session, store, before=before, after=after, limit=limit)
    if not held and before is not None:  # nothing older is left: the last page
        held = _held_page(session, store, before=None, after=before - 1, limit=limit)
    elif not held and after is not None:  # nothing newer is left: the first page
        held = _held_page(session, store, before=None, after=None, limit=limit)
    ids = {c.advocate_id for c in held}
    people = (
        {
            a.id: a
            for a in session.exec(
                select(Advocate).where(col(Advocate.id).in_(ids), Advocate.store_id == store.id)
            )
        }
        if ids
        else {}
    )
    rows = conversions_data(session, held)
    for row in rows:
        person = people.get(row["advocate_id"])
        erased = person is None or person.status == "erased"
        row["advocate"] = (
            "" if erased or person is None else person.name or person.email or person.phone or ""
        )
    return HeldPage(
        rows=rows,
        total=count_conversions(session=session, store=store, status="held"),
        newer=held[0].id if held and _held_beyond(session, store, held[0], newer=True) else None,
        older=held[-1].id if held and _held_beyond(session, store, held[-1], newer=False) else None,
    )


def _held(store: Store) -> Any:
    return select(Conversion).where(Conversion.store_id == store.id, Conversion.status == "held")


def _held_page(
    session: Session, store: Store, *, before: int | None, after: int | None, limit: int
) -> list[Conversion]:
    if after is not None:  # the oldest ``limit`` newer than ``after``, shown newest first
        query = _held(store).where(col(Conversion.id) > after).order_by(col(Conversion.id))
        return list(reversed(session.exec(query.limit(limit)).all()))
    query = _held(store)
    if before is not None:
        query = query.where(col(Conversion.id) < before)
    return list(session.exec(query.order_by(col(Conversion.id).desc()).limit(limit)))


def _held_beyond(session: Session, store: Store, edge: Conversion, *, newer: bool) -> bool:
    beyond = col(Conversion.id) > edge.id if newer else col(Conversion.id) < edge.id
    return session.exec(_held(store).where(beyond).limit(1)).first() is not None


# Advocates ---------------------------------------------------------------------------------


def click_counts(session: Session, advocate_id: int) -> tuple[int, int]:
    """(raw clicks, unique visitors) copied to the database so far."""
    raw, unique = session.exec(
        select(
            func.count(), func.coalesce(func.sum(case((col(Click.unique), 1), else_=0)), 0)
        ).where(Click.advocate_id == advocate_id)
    ).one()
    return int(raw), int(unique)


def clicks_by_channel(session: Session, advocate_id: int) -> dict[str, int]:
    rows = session.exec(
        select(Click.channel, func.count())
        .where(Click.advocate_id == advocate_id)
        .group_by(Click.channel)
    )
    return {channel: int(count) for channel, count in rows}


def rewards_of_advocate(session: Session, advocate_id: int) -> list[Reward]:
    return list(
        session.exec(
            select(Reward)
            .where(Reward.advocate_id == advocate_id, Reward.recipient == "advocate")
            .order_by(col(Reward.id).desc())
        )
    )


def advocate_data(
    session: Session, settings: Settings, store: Store, advocate: Advocate
) -> dict[str, Any]:
    """A new advocate as the ``advocate.created`` webhook shows it."""
    return {
        "id": advocate.id,
        "email": advocate.email,
        "phone": advocate.phone,
        "name": advocate.name,
        "status": advocate.status,
        "source": advocate.source,
        "referral_code": advocate.referral_code,
        "referral_url": advocates.referral_url(settings, advocate),
        "friend_coupon_code": friend_coupon(session, store, advocate).code,
        "created_at": advocate.created_at.isoformat(),
    }


def advocate_summary(
    session: Session, settings: Settings, store: Store, advocate: Advocate
) -> dict[str, Any]:
    """What GET /api/v1/advocates/{id} answers (the contract's fields and a few more)."""
    assert advocate.id is not None
    raw, unique = click_counts(session, advocate.id)
    conversions = session.exec(
        select(func.count())
        .select_from(Conversion)
        .where(
            Conversion.advocate_id == advocate.id,
            col(Conversion.status).in_(("pending", "held", "approved")),
        )
    ).one()
    return {
        "id": advocate.id,
        "email": advocate.email,
        "phone": advocate.phone,
        "name": advocate.name,
        "status": advocate.status,
        "referral_code": advocate.referral_code,
        "referral_url": advocates.referral_url(settings, advocate),
        "friend_coupon_code": friend_coupon(session, store, advocate).code,
        "clicks": raw,
        "unique_clicks": unique,
        "clicks_by_channel": clicks_by_channel(session, advocate.id),
        "conversions": int(conversions),
        "balance": str(balance(session, advocate.id)),
        "points": str(balance(session, advocate.id, "points")),
        "debt": str(debt(session, advocate.id)),
        "points_debt": str(debt(session, advocate.id, "points")),
        "currency": store.currency,
        "rewards": [reward_data(r) for r in rewards_of_advocate(session, advocate.id)],
        "created_at": advocate.created_at.isoformat(),
    }


def advocate_detail(
    session: Session, settings: Settings, store: Store, advocate_id: int
) -> dict[str, Any]:
    """For the dashboard: the summary plus recent clicks, conversions and ledger entries."""
    advocate = advocates.get_advocate(session, store, advocate_id)
    summary = advocate_summary(session, settings, store, advocate)
    recent = session.exec(
        select(Click)
        .where(Click.advocate_id == advocate_id)
        .order_by(col(Click.created_at).desc())
        .limit(50)
    )
    summary["recent_clicks"] = [
        {
            "id": c.id,
            "channel": c.channel,
            "unique": c.unique,
            "created_at": c.created_at.isoformat(),
        }
        for c in recent
    ]
    latest, _ = list_conversions(session=session, store=store, advocate_id=advocate_id)
    summary["conversion_list"] = conversions_data(session, latest)
    summary["ledger"] = [
        {
            "id": e.id,
            "unit": e.unit,
            "kind": e.kind,
            "amount": str(e.amount),
            "memo": e.memo,
            "created_at": e.created_at.isoformat(),
        }
        for e in session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.advocate_id == advocate_id)
            .order_by(col(LedgerEntry.id))
        )
    ]
    return summary


# Buyers of held conversions ---------------------------------------------------------------


def buyers(session: Session, rows: Sequence[dict[str, Any]]) -> dict[int, dict[str, str]]:
    """The buyer (name, e-mail) of each conversion in ``rows``, by conversion id: a manager
    deciding a held conversion compares the buyer with the advocate."""
    ids = [row["id"] for row in rows if row.get("id") is not None]
    if not ids:
        return {}
    found = session.exec(
        select(Conversion.id, Order.customer_name, Order.email)
        .join(Order, col(Order.id) == Conversion.order_pk)
        .where(col(Conversion.id).in_(ids))
    )
    return {
        cid: {"name": name or "", "email": email or ""}
        for cid, name, email in found
        if cid is not None
    }
