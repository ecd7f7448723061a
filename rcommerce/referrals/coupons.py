"""Coupons: codes as typed at checkout, new codes, and the friend's welcome coupon each
advocate hands out (with the offer a referred friend is shown and the rules it is used under)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rcommerce.advocates import service as advocates
from rcommerce.advocates.models import Advocate
from rcommerce.errors import NotFound
from rcommerce.events import publish
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order
from rcommerce.referrals.campaigns import default_campaign
from rcommerce.referrals.events import CouponIssued
from rcommerce.referrals.models import Campaign, Click, Conversion, Coupon, Reward
from rcommerce.referrals.segment_offers import friend_terms
from rcommerce.referrals.tokens import ReferralToken, check_token, read_token
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


def announce(session: Session, store: Store, coupon: Coupon, now: datetime | None = None) -> None:
    """Tell subscribers (coupon sync to the connected platforms) that ``coupon`` was just
    made; call it once per new code, in the transaction that made it."""
    if now is None:
        runtime = session.info.get("runtime")
        now = runtime.now() if runtime is not None else coupon.created_at
    publish(CouponIssued(session=session, store=store, coupon=coupon, now=now))


def friend_coupon(session: Session, store: Store, advocate: Advocate) -> Coupon:
    """The friend's welcome code of this advocate: one code for the advocate's whole life
    (already shared, it must keep working), carrying the terms of the store's current default
    campaign (its segment offer when the advocate is in a targeted segment). A new default
    campaign, or the advocate's segments changing, moves the code to the new terms; it never
    makes a second one."""
    campaign = default_campaign(session, store)
    kind, value = friend_terms(session, store, campaign, advocate)
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
            kind=kind,
            value=value,
        )
        try:
            with session.begin_nested():  # two requests may make it at once: one row
                session.add(found)
                session.flush()
        except IntegrityError:
            found = _active_friend_coupon(session, advocate)
            if found is None:
                raise
        else:
            announce(session, store, found)
    if (found.campaign_id, found.kind, found.value) != (campaign.id, kind, value):
        found.campaign_id = campaign.id
        found.kind, found.value = kind, value
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


@dataclass(frozen=True)
class FriendWelcome:
    """Who referred the friend, the welcome coupon they get and the campaign it is under."""

    advocate: Advocate
    coupon: Coupon
    campaign: Campaign
    expires_at: datetime | None = None  # for this friend (from their first click)


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
    advocate = token = None
    if rc_ref:
        token, campaign = read_token(session, settings, store, rc_ref, now=now, default=campaign)
        advocate = advocates.get_advocate(session, store, token.advocate_id)
    elif code:
        advocate = advocates.by_code(session, code)
        if advocate is not None and advocate.store_id != store.id:
            advocate = None
    if advocate is None or advocate.status != "active":
        raise NotFound("No active referral for this link or code.")
    coupon = friend_coupon(session, store, advocate)
    expires_at = friend_coupon_expiry(session, coupon, token)
    if expires_at is not None and now >= expires_at:
        raise NotFound("This friend's welcome offer has expired.")
    return FriendWelcome(advocate, coupon, campaign, expires_at)


# ---- the rules a friend's coupon is used under -----------------------------------------------
# New customers only, once per customer, and (per campaign) only for ``friend_coupon_days``
# after the friend's first click; a code typed without a click does not expire.

FRIEND_COUPON_REFUSALS = ("friend_coupon_used", "returning_customer", "friend_coupon_expired")


@dataclass(frozen=True)
class FriendCouponCheck:
    """Whether a friend coupon may be used by this buyer: ``refused`` is None or one of
    ``FRIEND_COUPON_REFUSALS``; ``expires_at`` is when it stops working for them (None: never)."""

    refused: str | None
    expires_at: datetime | None


def first_click_at(session: Session, click: ReferralToken) -> datetime:
    """When the friend first clicked this advocate's link: the earliest click recorded from
    the same visitor (IP hash) on it, else the click the token was made on."""
    earliest = None
    if click.ip_hash:
        earliest = session.exec(
            select(func.min(Click.created_at)).where(
                Click.advocate_id == click.advocate_id,
                col(Click.ip_hash).startswith(click.ip_hash),
                col(Click.created_at) <= click.issued_at,
            )
        ).one()
    return min(earliest, click.issued_at) if earliest is not None else click.issued_at


def friend_coupon_expiry(
    session: Session, coupon: Coupon, click: ReferralToken | None
) -> datetime | None:
    """When the coupon stops working for a friend who came through ``click`` (a click on
    another advocate's link is no click on this one): the campaign's ``friend_coupon_days``
    after their first click; None without a click or when the campaign sets no limit."""
    if click is None or click.advocate_id != coupon.advocate_id:
        return None
    campaign = session.get(Campaign, coupon.campaign_id) if coupon.campaign_id else None
    if campaign is None or campaign.friend_coupon_days is None:
        return None
    return first_click_at(session, click) + timedelta(days=campaign.friend_coupon_days)


def check_friend_coupon(
    *,
    session: Session,
    store: Store,
    coupon: Coupon,
    email: str | None,
    click: ReferralToken | None,
    now: datetime,
    order: Order | None = None,
    phone: str | None = None,
) -> FriendCouponCheck:
    """The friend-coupon rules for one buyer (``email``, else ``phone``; ``order`` is their
    order being recorded, left out of "earlier orders"): not used before by them, no earlier
    order, not expired. Without either (a lookup before checkout) only the expiry is known."""
    expires_at = friend_coupon_expiry(session, coupon, click)
    refused = None
    buyer = orders.buyer_orders(store, email, phone)
    if buyer is not None:
        others = list(buyer)
        if order is not None:
            others.append(col(Order.id) != order.id)
        used = session.exec(
            select(Reward.id)
            .join(Conversion, col(Conversion.id) == col(Reward.conversion_id))
            .join(Order, col(Order.id) == col(Conversion.order_pk))
            .where(*others, Reward.recipient == "friend")
            .limit(1)
        ).first()
        earlier = session.exec(select(Order.id).where(*others).limit(1)).first()
        if used is not None:
            refused = "friend_coupon_used"
        elif earlier is not None:
            refused = "returning_customer"
    if refused is None and expires_at is not None and now >= expires_at:
        refused = "friend_coupon_expired"
    return FriendCouponCheck(refused, expires_at)


@dataclass(frozen=True)
class CheckoutCoupon:
    """A coupon as the store's checkout asks about it: may this buyer use it, and until when."""

    coupon: Coupon
    valid: bool
    refused: str | None  # coupon_used | coupon_void | one of FRIEND_COUPON_REFUSALS
    expires_at: datetime | None


def coupon_at_checkout(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    code: str,
    email: str | None,
    rc_ref: str | None,
    now: datetime,
) -> CheckoutCoupon:
    """Look a code up at checkout for a buyer (their ``email`` and the ``rc_ref`` they
    landed with, both optional): single-use coupons until used; a friend coupon under the
    friend-coupon rules."""
    coupon = get_coupon(session, store, code)
    if coupon.status != "active":
        return CheckoutCoupon(coupon, False, f"coupon_{coupon.status}", None)
    if coupon.purpose != "friend":
        return CheckoutCoupon(coupon, True, None, None)
    click = None
    if rc_ref:
        click = check_token(
            session, settings, store, rc_ref, now=now, default=default_campaign(session, store)
        ).click
    check = check_friend_coupon(
        session=session, store=store, coupon=coupon, email=email, click=click, now=now
    )
    return CheckoutCoupon(coupon, check.refused is None, check.refused, check.expires_at)
