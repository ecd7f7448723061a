"""Attribution of a recorded order to the advocate who referred it: the referral token,
code or friend coupon it carries, the campaign's rules and the fraud rules, its conversion."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from rcommerce import events
from rcommerce.advocates import service as advocates
from rcommerce.advocates.models import Advocate
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order, OrderIn
from rcommerce.privacy import keyed_hash
from rcommerce.referrals import segment_offers, tiers, webhooks
from rcommerce.referrals.campaigns import campaign_running, default_campaign
from rcommerce.referrals.clicks import ua_hash as ua_hash_of
from rcommerce.referrals.coupons import check_friend_coupon, find_coupon
from rcommerce.referrals.events import ConversionOpened
from rcommerce.referrals.models import Campaign, Conversion, Coupon, RejectedToken, Reward
from rcommerce.referrals.read_models import conversion_data
from rcommerce.referrals.tokens import ReferralToken, check_token
from rcommerce.referrals.visitors import IP_KEY_CHARS
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


def attribute_order(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    order: Order,
    data: OrderIn,
    now: datetime,
) -> Conversion | None:
    """Attribute a newly recorded order to an advocate and open its conversion, in one pass:
    what the order carries, who referred it, what it earns, and the record of it.

    A tampered, expired or foreign referral token only means no attribution by token: the
    order is recorded all the same (by code or coupon when it has them), and the refusal is
    kept with it (``RejectedToken``) so its attribution says why."""
    # What the order carries: a verified token (its campaign's window applies) and coupons;
    # single-use ones (rewards, redemptions) are spent here.
    campaign = default_campaign(session, store)
    token = click = None
    if data.referral_token:
        check = check_token(
            session, settings, store, data.referral_token, now=now, default=campaign
        )
        token, campaign, click = check.token, check.campaign, check.click
        if check.rejected is not None:
            assert order.id is not None and store.id is not None
            session.add(
                RejectedToken(
                    order_pk=order.id, store_id=store.id, reason=check.rejected, created_at=now
                )
            )
    friend_coupon = _use_coupons(session, store, order, data.coupon_codes, now)
    friend_check = (
        check_friend_coupon(
            session=session,
            store=store,
            coupon=friend_coupon,
            email=data.email,
            phone=order.phone,
            click=click,
            now=now,
            order=order,
        )
        if friend_coupon is not None
        else None
    )

    # Who referred it: the token's advocate, else a typed code's, else the friend coupon's.
    advocate, attributed_by, click_id = _attribute(session, store, data, token, friend_coupon)
    if advocate is None:
        return None

    # What it earns: nothing when the campaign's rules exclude it, a hold for a manager when a
    # fraud rule fires. The visitor is known by the order's IP and browser, else the click's.
    ip_hash = (
        keyed_hash(settings, "ip", data.customer_ip)[:IP_KEY_CHARS]
        if data.customer_ip
        else (token.ip_hash if token else None)
    )
    ua_hash = (
        ua_hash_of(settings, data.user_agent)
        if data.user_agent
        else (token.ua_hash if token else None)
    )
    reasons = _ineligibility(session, store, campaign, advocate, order, now)
    refused = friend_check.refused if friend_check else None
    if attributed_by == "coupon" and refused and refused not in reasons:
        reasons.append(refused)  # e.g. friend_coupon_expired
    if reasons:
        status = "ineligible"
    else:
        reasons = _fraud(session, store, campaign, advocate, data, ip_hash, ua_hash, now)
        status = "held" if reasons else "pending"

    # The record: the conversion with the advocate's pending reward, the friend's side of the
    # double-sided reward (spent on this very order), and the store's webhook.
    conversion = open_conversion(
        session,
        store,
        order,
        advocate,
        campaign,
        status=status,
        reasons=reasons,
        attributed_by=attributed_by,
        click_id=click_id,
        ip_hash=ip_hash,
        now=now,
    )
    # The friend's side is spent only when the coupon was theirs to use.
    if friend_coupon is not None and friend_check and friend_check.refused is None:
        session.add(_spent_friend_reward(conversion, friend_coupon, now))
    session.flush()
    if token is not None and attributed_by == "token":
        events.publish(ConversionOpened(session, store, conversion, token.issued_at, now))
    event = "conversion.held" if status == "held" else "conversion.created"
    webhooks.emit(session, store, event, conversion_data(session, conversion), now=now)
    return conversion


def _use_coupons(
    session: Session, store: Store, order: Order, codes: list[str], now: datetime
) -> Coupon | None:
    """Mark single-use coupons (rewards, redemptions) used; return a friend coupon if any."""
    friend: Coupon | None = None
    for raw in codes:
        coupon = find_coupon(session, store, raw)
        if coupon is None:
            continue
        if coupon.purpose == "friend":
            friend = friend or coupon
            continue
        used = session.execute(
            update(Coupon)
            .where(col(Coupon.id) == coupon.id, col(Coupon.status) == "active")
            .values(status="used", used_at=now, used_by_order_pk=order.id)
        )
        if used.rowcount and coupon.reward_id is not None:  # type: ignore[attr-defined]
            session.execute(
                update(Reward)
                .where(col(Reward.id) == coupon.reward_id, col(Reward.status) == "issued")
                .values(status="redeemed", redeemed_at=now)
            )
    return friend


def _attribute(
    session: Session,
    store: Store,
    data: OrderIn,
    token: ReferralToken | None,
    friend_coupon: Coupon | None,
) -> tuple[Advocate | None, str, str | None]:
    """Token first (the last click the store saw), then a typed code, then a friend coupon."""
    if token is not None:
        advocate = session.get(Advocate, token.advocate_id)
        if advocate is not None and advocate.store_id == store.id:
            return advocate, "token", token.click_id
    if data.referral_code:
        advocate = advocates.by_code(session, data.referral_code)
        if advocate is not None and advocate.store_id == store.id:
            return advocate, "code", None
    if friend_coupon is not None:
        return session.get(Advocate, friend_coupon.advocate_id), "coupon", None
    return None, "", None


def _ineligibility(
    session: Session,
    store: Store,
    campaign: Campaign,
    advocate: Advocate,
    order: Order,
    now: datetime,
) -> list[str]:
    """The campaign's rules this order breaks; any of them means it earns nothing."""
    reasons = []
    if advocate.status != "active":
        reasons.append(f"advocate_{advocate.status}")
    if not campaign_running(campaign, now):
        reasons.append("campaign_inactive")
    if order.total < campaign.min_order_total:
        reasons.append("below_minimum")
    # The same buyer: by e-mail, else by phone (an order with neither has no earlier one).
    buyer = orders.buyer_orders(store, order.email, order.phone)
    earlier = (
        session.exec(
            select(func.count()).select_from(Order).where(*buyer, col(Order.id) != order.id)
        ).one()
        if buyer is not None
        else 0
    )
    if earlier:
        reasons.append("returning_customer")
    if campaign.cap_per_advocate is not None:
        since = now - timedelta(days=campaign.cap_period_days)
        rewarded = session.exec(
            select(func.count())
            .select_from(Conversion)
            .where(
                Conversion.advocate_id == advocate.id,
                col(Conversion.status).in_(("pending", "held", "approved")),
                col(Conversion.created_at) >= since,
            )
        ).one()
        if rewarded >= campaign.cap_per_advocate:
            reasons.append("cap_reached")
    return reasons


def _fraud(
    session: Session,
    store: Store,
    campaign: Campaign,
    advocate: Advocate,
    data: OrderIn,
    ip_hash: str | None,
    ua_hash: str | None,
    now: datetime,
) -> list[str]:
    """Each rule that fires is a reason; any reason holds the conversion for a manager."""
    reasons = []
    email = (data.email or "").strip().lower()
    if email and advocates.canonical_email(email) == advocate.email_canonical:
        reasons.append("self_referral_email")
    # The order's phone is E.164 already (OrderIn reads it), as the advocate's is.
    if data.phone and advocate.phone and data.phone == advocate.phone:
        reasons.append("self_referral_phone")
    if data.visitor_id and advocate.visitor_id and data.visitor_id == advocate.visitor_id:
        reasons.append("self_referral_visitor")
    if (
        ip_hash
        and advocate.ip_hash
        and ip_hash == advocate.ip_hash[:IP_KEY_CHARS]
        and ua_hash
        and advocate.user_agent_hash
        and ua_hash == advocate.user_agent_hash[:8]
    ):
        reasons.append("self_referral_device")
    if ip_hash:
        today = session.exec(
            select(func.count())
            .select_from(Conversion)
            .where(
                Conversion.store_id == store.id,
                Conversion.ip_hash == ip_hash,
                col(Conversion.created_at) >= now - timedelta(days=1),
            )
        ).one()
        if today >= campaign.velocity_limit:
            reasons.append("velocity")
    domain = email.rpartition("@")[2]
    if email and domain in DISPOSABLE_DOMAINS:
        reasons.append("disposable_email")
    return reasons


def open_conversion(
    session: Session,
    store: Store,
    order: Order,
    advocate: Advocate,
    campaign: Campaign,
    *,
    status: str,
    reasons: list[str],
    attributed_by: str,
    now: datetime,
    click_id: str | None = None,
    ip_hash: str | None = None,
) -> Conversion:
    """The order's conversion for this advocate, waiting out the campaign's hold period from
    ``now``, with the advocate's pending reward unless it is ineligible."""
    assert store.id is not None and order.id is not None and advocate.id is not None
    conversion = Conversion(
        store_id=store.id,
        order_pk=order.id,
        advocate_id=advocate.id,
        campaign_id=campaign.id,
        click_id=click_id,
        attributed_by=attributed_by,
        status=status,
        reasons=reasons,
        order_total=order.total,
        ip_hash=ip_hash,
        created_at=now,
        approve_after=now + timedelta(days=campaign.hold_days),
    )
    session.add(conversion)
    session.flush()
    assert conversion.id is not None
    if status != "ineligible":
        kind, value = segment_offers.advocate_terms(session, store, campaign, advocate)
        session.add(
            Reward(
                store_id=store.id,
                conversion_id=conversion.id,
                advocate_id=advocate.id,
                recipient="advocate",
                kind=kind,
                value=tiers.with_bonus(session, store, advocate.id, conversion.id, kind, value),
                created_at=now,
            )
        )
    return conversion


def _spent_friend_reward(conversion: Conversion, coupon: Coupon, now: datetime) -> Reward:
    assert conversion.id is not None
    return Reward(
        store_id=conversion.store_id,
        conversion_id=conversion.id,
        advocate_id=conversion.advocate_id,
        recipient="friend",
        kind=coupon.kind,
        value=coupon.value,
        status="redeemed",
        coupon_code=coupon.code,
        created_at=now,
        issued_at=now,
        redeemed_at=now,
    )


def attribution_of(session: Session, order: Order) -> dict[str, Any]:
    """What the referral programme made of an order: its conversion, if it has one, and why
    its referral token was refused (``token_rejected``), if it was."""
    conversion = session.exec(select(Conversion).where(Conversion.order_pk == order.id)).first()
    rejected = session.get(RejectedToken, order.id)
    refusal = {"token_rejected": rejected.reason} if rejected is not None else {}
    if conversion is None:
        return {"attributed": False, **refusal}
    return {
        **refusal,
        "attributed": True,
        "advocate_id": conversion.advocate_id,
        "conversion_status": conversion.status,
        "conversion_id": conversion.id,
        "reasons": list(conversion.reasons),
        "attributed_by": conversion.attributed_by,
    }
