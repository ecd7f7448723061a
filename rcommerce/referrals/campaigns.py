"""Campaigns: the rules of a store's referral programme (rewards, windows, caps), the default
one each store gets, and whether one is running."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from rcommerce.errors import InvalidInput, NotFound
from rcommerce.referrals.models import Campaign
from rcommerce.referrals.segment_offers import stored
from rcommerce.stores.models import Store


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
        setattr(campaign, name, stored(value) if name == "segment_offers" else value)
    if campaign.starts_at and campaign.ends_at and campaign.ends_at <= campaign.starts_at:
        raise InvalidInput("ends_at must be after starts_at.")
    for side in ("advocate", "friend"):  # a change of one field, checked with the stored other
        kind, value = (
            getattr(campaign, f"{side}_reward_kind"),
            getattr(campaign, f"{side}_reward_value"),
        )
        if kind == "coupon_percent" and value > 100:
            field = f"{side}_reward_value"
            raise InvalidInput(
                f"{field}: a percentage discount is at most 100",
                fields=[{"field": field, "message": "a percentage discount is at most 100"}],
            )
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
