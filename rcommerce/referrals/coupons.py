"""Coupons: codes as typed at checkout, new codes, and the friend's welcome coupon each
advocate hands out (with the offer a referred friend is shown)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rcommerce.advocates import service as advocates
from rcommerce.advocates.models import Advocate
from rcommerce.errors import NotFound
from rcommerce.referrals.campaigns import default_campaign
from rcommerce.referrals.models import Campaign, Coupon
from rcommerce.referrals.tokens import read_token
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

COUPON_ALPHABET = advocates.CODE_ALPHABET


def find_coupon(session: Session, store: Store, code: str) -> Coupon | None:
    """The store's coupon with this code, as typed at checkout (case and spaces forgiven)."""
    return session.exec(
        select(Coupon).where(Coupon.store_id == store.id, Coupon.code == code.strip().upper())
    ).first()


def get_coupon(session: Session, store: Store, code: str) -> Coupon:
    coupon = find_coupon(session, store, code)
    if coupon is None:
        raise NotFound(f"No coupon {code.strip().upper()!r} in this store.")
    return coupon


def new_coupon_code(prefix: str) -> str:
    return prefix + "".join(secrets.choice(COUPON_ALPHABET) for _ in range(8))


def friend_coupon(session: Session, store: Store, advocate: Advocate) -> Coupon:
    """The friend's welcome code of this advocate: one code for the advocate's whole life
    (already shared, it must keep working), carrying the terms of the store's current default
    campaign. A new default campaign moves the code to itself; it never makes a second one."""
    campaign = default_campaign(session, store)
    found = _active_friend_coupon(session, advocate)
    if found is None:
        assert store.id is not None and advocate.id is not None
        prefix = "BAN" if store.locale == "vi" else "FR"
        found = Coupon(
            store_id=store.id,
            code=f"{prefix}{advocate.referral_code}",
            purpose="friend",
            advocate_id=advocate.id,
            campaign_id=campaign.id,
            kind=_friend_kind(campaign),
            value=campaign.friend_reward_value,
        )
        try:
            with session.begin_nested():  # two requests may make it at once: one row
                session.add(found)
                session.flush()
        except IntegrityError:
            found = _active_friend_coupon(session, advocate)
            if found is None:
                raise
    if found.campaign_id != campaign.id:
        found.campaign_id = campaign.id
        found.kind, found.value = _friend_kind(campaign), campaign.friend_reward_value
        session.add(found)
        session.flush()
    return found


def _active_friend_coupon(session: Session, advocate: Advocate) -> Coupon | None:
    return session.exec(
        select(Coupon)
        .where(
            Coupon.advocate_id == advocate.id,
            Coupon.purpose == "friend",
            Coupon.status == "active",
        )
        .order_by(col(Coupon.id).desc())
    ).first()


def _friend_kind(campaign: Campaign) -> str:
    kind = campaign.friend_reward_kind
    return kind if kind.startswith("coupon_") else "coupon_fixed"


@dataclass(frozen=True)
class FriendWelcome:
    """Who referred the friend, the welcome coupon they get and the campaign it is under."""

    advocate: Advocate
    coupon: Coupon
    campaign: Campaign


def friend_welcome(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    rc_ref: str | None,
    code: str | None,
    now: datetime,
) -> FriendWelcome:
    """The welcome offer for a friend who landed with ``rc_ref`` (verified like an order's
    token) or typed an advocate's ``code``; only an active advocate of this store has one."""
    campaign = default_campaign(session, store)
    advocate = None
    if rc_ref:
        token, campaign = read_token(session, settings, store, rc_ref, now=now, default=campaign)
        advocate = advocates.get_advocate(session, store, token.advocate_id)
    elif code:
        advocate = advocates.by_code(session, code)
        if advocate is not None and advocate.store_id != store.id:
            advocate = None
    if advocate is None or advocate.status != "active":
        raise NotFound("No active referral for this link or code.")
    return FriendWelcome(advocate, friend_coupon(session, store, advocate), campaign)
