"""Referrals: campaigns, signed links, attribution of orders, fraud rules, rewards, the
ledger and redemptions. Plain functions over a session; the caller owns the transaction."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from itsdangerous import TimestampSigner
from sqlalchemy import case, func, update
from sqlmodel import Session, col, select

from rcommerce import cursors, events, signing
from rcommerce.advocates import service as advocates
from rcommerce.advocates.i18n import t
from rcommerce.advocates.models import Advocate
from rcommerce.errors import ApiError, Conflict, Forbidden, InvalidInput, NotFound
from rcommerce.jobs import enqueue
from rcommerce.orders.models import Order, OrderIn
from rcommerce.privacy import keyed_hash
from rcommerce.referrals import webhooks
from rcommerce.referrals.clicks import IP_KEY_CHARS, line_prefix
from rcommerce.referrals.clicks import ua_hash as ua_hash_of
from rcommerce.referrals.events import ConversionDecided
from rcommerce.referrals.models import (
    Campaign,
    Click,
    Conversion,
    Coupon,
    LedgerEntry,
    Redemption,
    Reward,
)
from rcommerce.settings import Settings
from rcommerce.stores.models import Store
from rcommerce.templating import format_money

REWARD_KINDS = ("coupon_percent", "coupon_fixed", "store_credit", "points")
LEDGER_UNIT = {"store_credit": "credit", "points": "points", "coupon_fixed": "credit"}
COUPON_ALPHABET = advocates.CODE_ALPHABET


class TokenWrongStore(ApiError):
    status, code = 400, "token_wrong_store"


# Campaigns ---------------------------------------------------------------------------------


def find_default_campaign(session: Session, store: Store) -> Campaign | None:
    """The store's default campaign if it has one yet (read only)."""
    return session.exec(
        select(Campaign)
        .where(Campaign.store_id == store.id, col(Campaign.is_default).is_(True))
        .order_by(col(Campaign.id))
    ).first()


def default_campaign(session: Session, store: Store) -> Campaign:
    """The store's default campaign, created with sensible defaults the first time."""
    found = find_default_campaign(session, store)
    if found is not None:
        return found
    assert store.id is not None
    vnd = store.currency == "VND"
    campaign = Campaign(
        store_id=store.id,
        name="Giới thiệu bạn bè" if store.locale == "vi" else "Refer a friend",
        is_default=True,
        advocate_reward_kind="store_credit",
        advocate_reward_value=Decimal(50000) if vnd else Decimal(10),
        friend_reward_kind="coupon_percent",
        friend_reward_value=Decimal(10),
    )
    session.add(campaign)
    session.flush()
    return campaign


def get_campaign(session: Session, store: Store, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.store_id != store.id:
        raise NotFound(f"No campaign {campaign_id} in this store.")
    return campaign


def list_campaigns(session: Session, store: Store) -> list[Campaign]:
    return list(
        session.exec(
            select(Campaign).where(Campaign.store_id == store.id).order_by(col(Campaign.id))
        )
    )


def save_campaign(
    *, session: Session, store: Store, changes: dict[str, Any], campaign: Campaign | None = None
) -> Campaign:
    """Create a campaign or change one; making one the default unsets the previous default."""
    if campaign is None:
        assert store.id is not None
        campaign = Campaign(store_id=store.id, name=str(changes.get("name") or "Campaign"))
    for name, value in changes.items():
        setattr(campaign, name, value)
    if campaign.starts_at and campaign.ends_at and campaign.ends_at <= campaign.starts_at:
        raise InvalidInput("ends_at must be after starts_at.")
    if campaign.is_default:
        for other in list_campaigns(session, store):
            if other.id != campaign.id and other.is_default:
                other.is_default = False
                session.add(other)
    session.add(campaign)
    session.flush()
    return campaign


def campaign_running(campaign: Campaign, now: datetime) -> bool:
    if not campaign.active:
        return False
    if campaign.starts_at is not None and now < campaign.starts_at:
        return False
    return campaign.ends_at is None or now < campaign.ends_at


# Signed links ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralToken:
    store_id: int
    advocate_id: int
    campaign_id: int | None
    click_id: str
    issued_at: datetime
    ip_hash: str | None
    ua_hash: str | None


def token_prefix(store_id: int, advocate_id: int, campaign_id: int | None) -> str:
    """The start of the ``rc_ref`` payload, the same for every click on one link: the link's
    fields as the queue line has them (``clicks.line_prefix``), then the click id's key."""
    return "{" + line_prefix(store_id, advocate_id, campaign_id) + '"k":"'


def make_token(
    signer: TimestampSigner, prefix: str, click_id: str, at: float, ip_hash: str, ua_hash: str
) -> str:
    """The signed ``rc_ref``: store, advocate, campaign (``prefix``, from ``token_prefix``),
    click id, issue time, and keyed hashes of the visitor's IP and user agent (for
    self-referral checks at order time).

    ``signer`` is ``signing.signer(settings, "referral")``. The payload is the JSON a compact
    encoder writes, formatted directly (every field is an int, null or a hex string; this runs
    on every click) and left uncompressed (the serializer's ``dumps`` tries zlib on every
    call); ``signing.unsign`` reads both forms."""
    payload = f'{prefix}{click_id}","t":{int(at)},"i":"{ip_hash[:IP_KEY_CHARS]}","u":"{ua_hash}"}}'
    raw = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=")  # itsdangerous's base64_encode
    return signer.sign(raw).decode("ascii")


def read_token(
    session: Session,
    settings: Settings,
    store: Store,
    token: str,
    *,
    now: datetime,
    default: Campaign,
) -> tuple[ReferralToken, Campaign]:
    """Verify an ``rc_ref`` the store handed back: signed by us, for this store, within its
    campaign's attribution window. Tampered, foreign or stale tokens raise a clear 400."""
    payload = signing.unsign(settings, "referral", token.strip())
    if not isinstance(payload, dict):
        raise signing.TokenInvalid("This referral token is not valid (malformed).")
    try:
        parsed = ReferralToken(
            store_id=int(payload["s"]),
            advocate_id=int(payload["a"]),
            campaign_id=int(payload["c"]) if payload.get("c") is not None else None,
            click_id=str(payload["k"]),
            issued_at=datetime.fromtimestamp(int(payload["t"]), now.tzinfo),
            ip_hash=str(payload.get("i") or "") or None,
            ua_hash=str(payload.get("u") or "") or None,
        )
    except (KeyError, TypeError, ValueError):
        raise signing.TokenInvalid("This referral token is not valid (malformed).") from None
    if parsed.store_id != store.id:
        raise TokenWrongStore("This referral token was issued for another store.")
    campaign = default
    if parsed.campaign_id is not None and parsed.campaign_id != default.id:
        found = session.get(Campaign, parsed.campaign_id)
        if found is not None and found.store_id == store.id:
            campaign = found
    window = campaign.attribution_window_days
    if now - parsed.issued_at > timedelta(days=window):
        raise signing.TokenExpired(
            f"This referral token is older than the {window}-day attribution window; "
            "send the order without referral_token to record it unattributed."
        )
    return parsed, campaign


# Orders and attribution --------------------------------------------------------------------


def attribute_order(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    order: Order,
    data: OrderIn,
    now: datetime,
) -> Conversion | None:
    """Attribute a newly recorded order to an advocate (token, then code, then a friend's
    coupon), apply the fraud rules and open its conversion; marks its single-use coupons used.

    A tampered, expired or foreign referral token raises (the order is refused with it)."""
    campaign = default_campaign(session, store)
    token = None
    if data.referral_token:
        token, campaign = read_token(
            session, settings, store, data.referral_token, now=now, default=campaign
        )
    friend_coupon = _use_coupons(session, store, order, data.coupon_codes, now)
    advocate, how, click_id = _attribute(session, store, data, token, friend_coupon)
    if advocate is None:
        return None
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
    ineligible = _ineligibility(session, store, campaign, advocate, order, now)
    fraud = (
        []
        if ineligible
        else _fraud(session, store, campaign, advocate, data, ip_hash, ua_hash, now)
    )
    status = "ineligible" if ineligible else ("held" if fraud else "pending")
    conversion = open_conversion(
        session,
        store,
        order,
        advocate,
        campaign,
        status=status,
        reasons=ineligible or fraud,
        attributed_by=how,
        click_id=click_id,
        ip_hash=ip_hash,
        now=now,
    )
    assert store.id is not None and conversion.id is not None and advocate.id is not None
    if friend_coupon is not None:
        # The friend's side of the double-sided reward was spent on this very order.
        session.add(
            Reward(
                store_id=store.id,
                conversion_id=conversion.id,
                advocate_id=advocate.id,
                recipient="friend",
                kind=friend_coupon.kind,
                value=friend_coupon.value,
                status="redeemed",
                coupon_code=friend_coupon.code,
                created_at=now,
                issued_at=now,
                redeemed_at=now,
            )
        )
    session.flush()
    event = "conversion.held" if status == "held" else "conversion.created"
    webhooks.emit(session, store, event, conversion_data(session, conversion), now=now)
    return conversion


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
        session.add(
            Reward(
                store_id=store.id,
                conversion_id=conversion.id,
                advocate_id=advocate.id,
                recipient="advocate",
                kind=campaign.advocate_reward_kind,
                value=campaign.advocate_reward_value,
                created_at=now,
            )
        )
    return conversion


def attribution_of(session: Session, order: Order) -> dict[str, Any]:
    """What the referral programme made of an order: its conversion, if it has one."""
    conversion = session.exec(select(Conversion).where(Conversion.order_pk == order.id)).first()
    if conversion is None:
        return {"attributed": False}
    return {
        "attributed": True,
        "advocate_id": conversion.advocate_id,
        "conversion_status": conversion.status,
        "conversion_id": conversion.id,
        "reasons": list(conversion.reasons),
        "attributed_by": conversion.attributed_by,
    }


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
    reasons = []
    if advocate.status != "active":
        reasons.append(f"advocate_{advocate.status}")
    if not campaign_running(campaign, now):
        reasons.append("campaign_inactive")
    if order.total < campaign.min_order_total:
        reasons.append("below_minimum")
    # The same buyer: by e-mail, else by phone (an order with neither has no earlier one).
    buyer = (
        Order.email == order.email
        if order.email
        else (Order.phone == order.phone if order.phone else None)
    )
    earlier = (
        session.exec(
            select(func.count())
            .select_from(Order)
            .where(Order.store_id == store.id, buyer, Order.id != order.id)
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


# Rewards -----------------------------------------------------------------------------------


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
    """The friend's welcome code of this advocate (one per advocate and campaign)."""
    campaign = default_campaign(session, store)
    found = session.exec(
        select(Coupon).where(
            Coupon.advocate_id == advocate.id,
            Coupon.purpose == "friend",
            Coupon.campaign_id == campaign.id,
        )
    ).first()
    if found is not None:
        return found
    assert store.id is not None and advocate.id is not None
    kind = campaign.friend_reward_kind
    coupon = Coupon(
        store_id=store.id,
        code=f"BAN{advocate.referral_code}"
        if store.locale == "vi"
        else f"FR{advocate.referral_code}",
        purpose="friend",
        advocate_id=advocate.id,
        campaign_id=campaign.id,
        kind=kind if kind.startswith("coupon_") else "coupon_fixed",
        value=campaign.friend_reward_value,
    )
    session.add(coupon)
    session.flush()
    return coupon


def approve_due(*, session: Session, store: Store, now: datetime, limit: int = 200) -> int:
    """Approve and issue the rewards of conversions whose hold period has passed."""
    due = list(
        session.exec(
            select(Conversion)
            .where(
                Conversion.store_id == store.id,
                Conversion.status == "pending",
                col(Conversion.approve_after) <= now,
            )
            .order_by(col(Conversion.id))
            .limit(limit)
        )
    )
    for conversion in due:
        approve_conversion(session=session, store=store, conversion=conversion, now=now)
    return len(due)


def approve_conversion(
    *, session: Session, store: Store, conversion: Conversion, now: datetime, notify: bool = True
) -> None:
    # The conditional update is the claim: a refund racing this approval wins or loses whole.
    claimed = session.execute(
        update(Conversion)
        .where(col(Conversion.id) == conversion.id, col(Conversion.status) == "pending")
        .values(status="approved", approved_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return
    session.refresh(conversion)
    webhooks.emit(
        session, store, "conversion.approved", conversion_data(session, conversion), now=now
    )
    for reward in _rewards_of(session, conversion, status="pending"):
        reward.status, reward.approved_at = "approved", now
        session.add(reward)
        session.flush()
        webhooks.emit(session, store, "reward.approved", reward_data(reward), now=now)
        issue_reward(session=session, store=store, reward=reward, now=now, notify=notify)


def issue_reward(
    *, session: Session, store: Store, reward: Reward, now: datetime, notify: bool = True
) -> None:
    """Credit the ledger (store credit, points) or generate a coupon code."""
    assert reward.id is not None
    if reward.kind in ("store_credit", "points"):
        session.add(
            LedgerEntry(
                store_id=store.id or 0,
                advocate_id=reward.advocate_id,
                unit=LEDGER_UNIT[reward.kind],
                kind="reward",
                amount=reward.value,
                reward_id=reward.id,
                memo=f"conversion {reward.conversion_id}",
                created_at=now,
            )
        )
    else:
        code = new_coupon_code("RW")
        session.add(
            Coupon(
                store_id=store.id or 0,
                code=code,
                purpose="reward",
                advocate_id=reward.advocate_id,
                reward_id=reward.id,
                kind=reward.kind,
                value=reward.value,
                created_at=now,
            )
        )
        reward.coupon_code = code
    reward.status, reward.issued_at = "issued", now
    session.add(reward)
    session.flush()
    webhooks.emit(session, store, "reward.issued", reward_data(reward), now=now)
    if not notify:
        return
    enqueue(
        session,
        "referrals.reward_email",
        {"advocate_id": reward.advocate_id, "reward_id": reward.id},
        store_id=store.id,
        dedupe_key=f"reward-email:{reward.id}",
    )


def _rewards_of(
    session: Session, conversion: Conversion, status: str | None = None
) -> list[Reward]:
    query = select(Reward).where(
        Reward.conversion_id == conversion.id, Reward.recipient == "advocate"
    )
    if status:
        query = query.where(Reward.status == status)
    return list(session.exec(query.order_by(col(Reward.id))))


def reverse_order(*, session: Session, store: Store, order: Order, now: datetime) -> dict[str, Any]:
    """A refunded order's conversion is reversed: rewards not yet issued are voided, issued
    ones clawed back with negative ledger entries. Repeating it changes nothing."""
    conversion = session.exec(select(Conversion).where(Conversion.order_pk == order.id)).first()
    if conversion is None:
        return {"conversion_status": None}
    if conversion.status in ("pending", "held", "approved"):
        _lock_advocate(session, conversion.advocate_id)
        conversion.status, conversion.reversed_at = "reversed", now
        session.add(conversion)
        for reward in _rewards_of(session, conversion):
            _reverse_reward(session, store, reward, now)
        session.flush()
        webhooks.emit(
            session, store, "conversion.reversed", conversion_data(session, conversion), now=now
        )
    return {
        "conversion_status": conversion.status,
        "balance": str(balance(session, conversion.advocate_id)),
    }


def _reverse_reward(session: Session, store: Store, reward: Reward, now: datetime) -> None:
    if reward.status in ("pending", "approved"):
        reward.status, reward.voided_at = "void", now
        event = "reward.voided"
    elif reward.status in ("issued", "redeemed"):
        coupon = (
            session.exec(select(Coupon).where(Coupon.reward_id == reward.id)).first()
            if reward.coupon_code
            else None
        )
        if coupon is not None and coupon.status == "active":
            coupon.status = "void"
            session.add(coupon)
            reward.status, reward.voided_at = "void", now
            event = "reward.voided"
        else:
            unit = LEDGER_UNIT.get(reward.kind)
            if unit is not None:  # a spent percentage coupon has no amount to take back
                session.add(
                    LedgerEntry(
                        store_id=store.id or 0,
                        advocate_id=reward.advocate_id,
                        unit=unit,
                        kind="clawback",
                        amount=-reward.value,
                        reward_id=reward.id,
                        memo=f"refund of conversion {reward.conversion_id}",
                        created_at=now,
                    )
                )
            reward.status, reward.voided_at = "clawed_back", now
            event = "reward.clawed_back"
    else:
        return
    session.add(reward)
    session.flush()
    webhooks.emit(session, store, event, reward_data(reward), now=now)


def describe_reward(kind: str, value: Decimal, currency: str, locale: str | None) -> str:
    """A reward in words, in the advocate's language ("Giảm 10%", "50.000 ₫ store credit")."""
    if kind == "coupon_percent" or kind == "points":
        shown = f"{value.normalize():f}"
    else:
        shown = format_money(value, currency)
    return t(locale, f"kind.{kind}", value=shown)


# Manager decisions -------------------------------------------------------------------------


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
        for reward in _rewards_of(session, conversion, status="pending"):
            reward.status, reward.voided_at = "void", now
            session.add(reward)
        session.flush()
        webhooks.emit(
            session, store, "conversion.rejected", conversion_data(session, conversion), now=now
        )
    events.publish(ConversionDecided(session, store, conversion, now))
    return conversion


# Ledger and redemptions --------------------------------------------------------------------


def balance(session: Session, advocate_id: int, unit: str = "credit") -> Decimal:
    total = session.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.advocate_id == advocate_id, LedgerEntry.unit == unit
        )
    ).one()
    return Decimal(str(total)).quantize(Decimal("0.01"))


def _lock_advocate(session: Session, advocate_id: int) -> Advocate | None:
    """Serialise balance changes of one advocate: FOR UPDATE on PostgreSQL; on SQLite the
    write transaction (BEGIN IMMEDIATE) already holds the database's write lock."""
    return session.exec(
        select(Advocate)
        .where(Advocate.id == advocate_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


@dataclass(frozen=True)
class RedemptionAnswer:
    status: int
    body: dict[str, Any]


def redeem(
    *,
    session: Session,
    store: Store,
    advocate_id: int,
    amount: Decimal,
    idempotency_key: str,
    unit: str = "credit",
    now: datetime,
) -> RedemptionAnswer:
    """Spend balance: 201 with a coupon for the amount, or 409 when the balance does not
    cover it. The answer is kept under the key, so a repeated request gets it again."""
    key = idempotency_key.strip()
    if not key or len(key) > 200:
        raise InvalidInput("Send an Idempotency-Key header of 1 to 200 characters.")
    if amount <= 0:
        raise InvalidInput("amount must be greater than zero.")
    advocates.get_advocate(session, store, advocate_id)
    advocate = _lock_advocate(session, advocate_id)
    assert advocate is not None and advocate.id is not None and store.id is not None
    earlier = session.exec(
        select(Redemption).where(
            Redemption.advocate_id == advocate.id, Redemption.idempotency_key == key
        )
    ).first()
    if earlier is not None:
        if earlier.amount != amount or earlier.unit != unit:
            raise InvalidInput(
                "This Idempotency-Key was used for a different request.", code="idempotency_reused"
            )
        return RedemptionAnswer(earlier.response_status, dict(earlier.response))
    available = balance(session, advocate.id, unit)
    # Refusals are answers kept under the key (not raised), so they are built from the domain
    # errors' wire shape.
    if advocate.status not in ("active", "opted_out"):
        refusal: ApiError = Forbidden("This advocate is blocked.", code="advocate_blocked")
        answer = RedemptionAnswer(refusal.status, refusal.body())
        succeeded = False
    elif amount > available:
        refusal = Conflict(
            f"The balance ({available}) does not cover {amount}.",
            code="insufficient_balance",
            balance=str(available),
        )
        answer = RedemptionAnswer(refusal.status, refusal.body())
        succeeded = False
    else:
        answer = RedemptionAnswer(201, {})
        succeeded = True
    redemption = Redemption(
        store_id=store.id,
        advocate_id=advocate.id,
        idempotency_key=key,
        unit=unit,
        amount=amount,
        succeeded=succeeded,
        response_status=answer.status,
        response=answer.body,
        created_at=now,
    )
    session.add(redemption)
    session.flush()
    if not succeeded:
        return answer
    assert redemption.id is not None
    session.add(
        LedgerEntry(
            store_id=store.id,
            advocate_id=advocate.id,
            unit=unit,
            kind="redemption",
            amount=-amount,
            redemption_id=redemption.id,
            memo=f"redemption {redemption.id}",
            created_at=now,
        )
    )
    code = None
    if unit == "credit":
        code = new_coupon_code("RC")
        session.add(
            Coupon(
                store_id=store.id,
                code=code,
                purpose="redemption",
                advocate_id=advocate.id,
                kind="coupon_fixed",
                value=amount,
                created_at=now,
            )
        )
    session.flush()
    body = {
        "id": redemption.id,
        "advocate_id": advocate.id,
        "amount": str(amount),
        "unit": unit,
        "currency": store.currency if unit == "credit" else None,
        "coupon_code": code,
        "balance": str(available - amount),
        "created_at": now.isoformat(),
    }
    redemption.response = body
    session.add(redemption)
    webhooks.emit(session, store, "redemption.created", body, now=now)
    return RedemptionAnswer(201, body)


# Read models (API, portal, dashboard) ------------------------------------------------------


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


def reward_data(reward: Reward) -> dict[str, Any]:
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
    order = session.get(Order, conversion.order_pk)
    return _conversion_dict(conversion, order.order_id if order else None)


def conversions_data(session: Session, conversions: Sequence[Conversion]) -> list[dict[str, Any]]:
    """``conversion_data`` of many conversions, their orders' ids read in one query."""
    order_pks = {c.order_pk for c in conversions}
    order_ids: dict[int | None, str] = (
        {
            pk: order_id
            for pk, order_id in session.exec(
                select(Order.id, Order.order_id).where(col(Order.id).in_(order_pks))
            )
        }
        if order_pks
        else {}
    )
    return [_conversion_dict(c, order_ids.get(c.order_pk)) for c in conversions]


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
        row["advocate"] = "" if erased or person is None else person.name or person.email
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
