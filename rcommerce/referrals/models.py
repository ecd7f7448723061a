"""Campaigns, clicks, conversions, rewards, coupons, the ledger, redemptions and webhooks."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator, model_validator
from pydantic import Field as Constraint
from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from rcommerce.columns import empty_list
from rcommerce.timestamps import UTCDateTime, utcnow


class Campaign(SQLModel, table=True):
    """The rules of a store's programme: what each side earns, when and how often."""

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    is_default: bool = Field(default=False)
    active: bool = Field(default=True)
    # coupon_percent | coupon_fixed | store_credit | points
    advocate_reward_kind: str = Field(default="store_credit", max_length=16)
    advocate_reward_value: Decimal = Field(default=Decimal(50000), max_digits=18, decimal_places=2)
    friend_reward_kind: str = Field(default="coupon_percent", max_length=16)
    friend_reward_value: Decimal = Field(default=Decimal(10), max_digits=18, decimal_places=2)
    min_order_total: Decimal = Field(default=Decimal(0), max_digits=18, decimal_places=2)
    cap_per_advocate: int | None = Field(default=None)  # rewarded conversions per period
    cap_period_days: int = Field(default=30)
    attribution_window_days: int = Field(default=30)
    # The friend's coupon expires this many days after their first click (None: never); a
    # code typed without a click has no expiry.
    friend_coupon_days: int | None = Field(default=30)
    hold_days: int = Field(default=14)
    velocity_limit: int = Field(default=5)  # referred orders per IP hash per day
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Other terms for shoppers of some segments (``SegmentOffer`` on the wire, first match
    # wins): rcommerce.referrals.segment_offers, docs/referrals.md "Segment offers".
    segment_offers: list[dict[str, Any]] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Click(SQLModel, table=True):
    """One visit through a referral link; ``id`` is the click id inside the signed rc_ref."""

    # The roll-ups read a store's clicks by day; an advocate's page reads theirs by time.
    __table_args__ = (
        Index("ix_click_advocate_created", "advocate_id", "created_at"),
        Index("ix_click_store_created", "store_id", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=32)
    store_id: int = Field(foreign_key="store.id", ondelete="CASCADE")
    advocate_id: int = Field(foreign_key="advocate.id", ondelete="CASCADE")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", ondelete="SET NULL")
    channel: str = Field(default="direct", max_length=16)
    unique: bool = Field(default=True)
    ip_hash: str | None = Field(default=None, max_length=32)
    user_agent: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClickSpool(SQLModel, table=True):
    """How far each local spool file of clicks has been copied into ``click`` (embedded mode)."""

    __tablename__ = "click_spool"

    name: str = Field(primary_key=True, max_length=200)
    offset: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Conversion(SQLModel, table=True):
    """A referred order. Held conversions wait for a manager; nothing is dropped silently."""

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    order_pk: int = Field(foreign_key="orders.id", unique=True, ondelete="CASCADE")
    advocate_id: int = Field(foreign_key="advocate.id", index=True, ondelete="CASCADE")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", ondelete="SET NULL")
    click_id: str | None = Field(default=None, max_length=32)
    attributed_by: str = Field(max_length=16)  # token | code | coupon
    # pending | held | approved | rejected | reversed | ineligible
    status: str = Field(max_length=16, index=True)
    reasons: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    order_total: Decimal = Field(max_digits=18, decimal_places=2)
    ip_hash: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    approve_after: datetime = Field(sa_type=UTCDateTime, index=True)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by: str | None = Field(default=None, max_length=320)
    decision_note: str | None = Field(default=None, max_length=1000)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reversed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RejectedToken(SQLModel, table=True):
    """An order that came with a referral token we refused (``tokens.REJECTIONS``): it was
    recorded all the same, unattributed by token, and its attribution says why."""

    __tablename__ = "rejected_token"

    order_pk: int = Field(primary_key=True, foreign_key="orders.id", ondelete="CASCADE")
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    reason: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Reward(SQLModel, table=True):
    """What one side earns: pending -> approved -> issued -> redeemed, or void / clawed_back."""

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    conversion_id: int = Field(foreign_key="conversion.id", index=True, ondelete="CASCADE")
    advocate_id: int = Field(foreign_key="advocate.id", index=True, ondelete="CASCADE")
    recipient: str = Field(max_length=16)  # advocate | friend
    kind: str = Field(max_length=16)
    value: Decimal = Field(max_digits=18, decimal_places=2)
    status: str = Field(default="pending", max_length=16, index=True)
    coupon_code: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    redeemed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Coupon(SQLModel, table=True):
    """A discount code the store honours at checkout: a friend's welcome code (one active per
    advocate, whatever the campaign), an advocate's reward coupon, or a redemption of store
    credit."""

    __table_args__ = (
        UniqueConstraint("store_id", "code"),
        Index(
            "uq_coupon_friend_advocate",
            "advocate_id",
            unique=True,
            sqlite_where=text("purpose = 'friend' AND status = 'active'"),
            postgresql_where=text("purpose = 'friend' AND status = 'active'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=32)
    purpose: str = Field(max_length=16)  # friend | reward | redemption
    advocate_id: int = Field(foreign_key="advocate.id", index=True, ondelete="CASCADE")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", ondelete="SET NULL")
    reward_id: int | None = Field(default=None, foreign_key="reward.id", ondelete="SET NULL")
    kind: str = Field(max_length=16)  # coupon_percent | coupon_fixed | free_shipping
    value: Decimal = Field(max_digits=18, decimal_places=2)
    status: str = Field(default="active", max_length=16)  # active | used | void
    used_by_order_pk: int | None = Field(default=None, foreign_key="orders.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LedgerEntry(SQLModel, table=True):
    """Append-only: a balance is the sum of its entries; rows are never updated or deleted."""

    __tablename__ = "ledger_entry"
    __table_args__ = (Index("ix_ledger_entry_advocate_unit", "advocate_id", "unit"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    advocate_id: int = Field(foreign_key="advocate.id", ondelete="CASCADE")
    unit: str = Field(default="credit", max_length=8)  # credit (store currency) | points
    kind: str = Field(max_length=16)  # reward | clawback | redemption | expire
    amount: Decimal = Field(max_digits=18, decimal_places=2)
    reward_id: int | None = Field(default=None, foreign_key="reward.id", ondelete="SET NULL")
    redemption_id: int | None = Field(
        default=None, foreign_key="redemption.id", ondelete="SET NULL"
    )
    memo: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Redemption(SQLModel, table=True):
    """A request to spend balance, kept with its answer so a repeated key gets the same one."""

    __table_args__ = (UniqueConstraint("advocate_id", "idempotency_key"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    advocate_id: int = Field(foreign_key="advocate.id", ondelete="CASCADE")
    idempotency_key: str = Field(max_length=200)
    unit: str = Field(default="credit", max_length=8)
    amount: Decimal = Field(max_digits=18, decimal_places=2)
    succeeded: bool
    response_status: int
    response: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CatalogueItem(SQLModel, table=True):
    """A reward the store offers for points: spending ``points_cost`` points issues a coupon
    (a percentage, a fixed amount, or free shipping)."""

    __tablename__ = "catalogue_item"

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    points_cost: Decimal = Field(max_digits=18, decimal_places=2)
    coupon_kind: str = Field(max_length=16)  # coupon_percent | coupon_fixed | free_shipping
    coupon_value: Decimal = Field(default=Decimal(0), max_digits=18, decimal_places=2)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AdvocateTier(SQLModel, table=True):
    """A rank the store names, reached by referring ``min_referred_buyers`` buyers; its
    advocates earn ``bonus_percent`` more on each reward (amounts and points, not percentage
    coupons). Nothing about it reads a review or a rating."""

    __tablename__ = "advocate_tier"
    __table_args__ = (UniqueConstraint("store_id", "min_referred_buyers"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", ondelete="CASCADE")
    name: str = Field(max_length=100)
    min_referred_buyers: int
    bonus_percent: int = Field(default=0)


class WebhookDelivery(SQLModel, table=True):
    """The delivery log: one row per event sent to the store, with its latest attempt."""

    __tablename__ = "webhook_delivery"

    id: str = Field(primary_key=True, max_length=32)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    event: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    url: str | None = Field(default=None, max_length=2000)
    job_id: str | None = Field(default=None, max_length=32)  # its retries live on the job
    # pending | delivered | failed | cancelled
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = Field(default=0)
    last_status_code: int | None = Field(default=None)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# ---- shapes on the wire ------------------------------------------------------------------

Money = Annotated[Decimal, Constraint(ge=0, max_digits=18, decimal_places=2)]
RewardKind = Literal["coupon_percent", "coupon_fixed", "store_credit", "points"]
# The six shopper segments (rcommerce.customers computes them; a test checks both agree).
SegmentName = Literal[
    "convenience",
    "information_seekers",
    "bargain_hunters",
    "sociables",
    "routine",
    "entertainment",
]


class SegmentOffer(BaseModel):
    """A campaign's terms for one segment: the advocate's reward when the advocate is in it,
    the friend's offer when the identified friend is in it (a side left out keeps the
    campaign's own terms)."""

    model_config = ConfigDict(extra="forbid")
    segment: SegmentName
    advocate_reward_kind: RewardKind | None = None
    advocate_reward_value: Money | None = None
    friend_reward_kind: Literal["coupon_percent", "coupon_fixed"] | None = None
    friend_reward_value: Money | None = None

    @model_validator(mode="after")
    def _sides_whole(self) -> SegmentOffer:
        sides = 0
        for side in ("advocate", "friend"):
            kind = getattr(self, f"{side}_reward_kind")
            value = getattr(self, f"{side}_reward_value")
            if (kind is None) != (value is None):
                raise ValueError(f"{side}_reward_kind and {side}_reward_value go together")
            if kind == "coupon_percent" and value is not None and value > 100:
                raise ValueError(f"{side}_reward_value: a percentage discount is at most 100")
            sides += kind is not None
        if not sides:
            raise ValueError("a segment offer changes the advocate's reward, the friend's or both")
        return self


NOT_NULL = (
    "name",
    "is_default",
    "active",
    "advocate_reward_kind",
    "advocate_reward_value",
    "friend_reward_kind",
    "friend_reward_value",
    "min_order_total",
    "cap_period_days",
    "attribution_window_days",
    "hold_days",
    "velocity_limit",
    "segment_offers",
)


class CampaignFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None
    is_default: bool | None = None
    active: bool | None = None
    advocate_reward_kind: RewardKind | None = None
    advocate_reward_value: Money | None = None
    friend_reward_kind: Literal["coupon_percent", "coupon_fixed"] | None = None
    friend_reward_value: Money | None = None
    min_order_total: Money | None = None
    cap_per_advocate: Annotated[int, Constraint(ge=1, le=100_000)] | None = None
    cap_period_days: Annotated[int, Constraint(ge=1, le=3650)] | None = None
    attribution_window_days: Annotated[int, Constraint(ge=1, le=90)] | None = None
    friend_coupon_days: Annotated[int, Constraint(ge=1, le=365)] | None = None
    hold_days: Annotated[int, Constraint(ge=0, le=365)] | None = None
    velocity_limit: Annotated[int, Constraint(ge=1, le=100_000)] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    segment_offers: Annotated[list[SegmentOffer], Constraint(max_length=6)] | None = None

    @field_validator("segment_offers")
    @classmethod
    def _one_offer_per_segment(cls, value: list[SegmentOffer] | None) -> Any:
        names = [offer.segment for offer in value or []]
        if len(names) != len(set(names)):
            raise ValueError("one offer per segment")
        return value

    @field_validator(*NOT_NULL, mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        """Every field may be left out; only these may be null (no cap, no start, no end)."""
        if value is None:
            raise ValueError("may not be null (leave the field out to keep it)")
        return value

    @model_validator(mode="after")
    def _percent_at_most_100(self) -> CampaignFields:
        for side in ("advocate", "friend"):
            kind = getattr(self, f"{side}_reward_kind")
            value = getattr(self, f"{side}_reward_value")
            if kind == "coupon_percent" and value is not None and value > 100:
                raise ValueError(f"{side}_reward_value: a percentage discount is at most 100")
        return self


class CampaignPublic(BaseModel):
    """A campaign: what each side earns, when and how often."""

    id: int
    name: str
    is_default: bool
    active: bool
    advocate_reward_kind: str
    advocate_reward_value: Decimal
    friend_reward_kind: str
    friend_reward_value: Decimal
    min_order_total: Decimal
    cap_per_advocate: int | None
    cap_period_days: int
    attribution_window_days: int
    friend_coupon_days: int | None
    hold_days: int
    velocity_limit: int
    starts_at: datetime | None
    ends_at: datetime | None
    segment_offers: list[SegmentOffer] = []


class CampaignList(BaseModel):
    """The store's campaigns (the default one is created on first use)."""

    campaigns: list[CampaignPublic]


CatalogueKind = Literal["coupon_percent", "coupon_fixed", "free_shipping"]
PointsCost = Annotated[Decimal, Constraint(gt=0, le=10**12, max_digits=18, decimal_places=2)]
ItemName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def check_coupon(kind: str | None, value: Decimal | None) -> None:
    if kind == "coupon_percent" and (value is None or not 0 < value <= 100):
        raise ValueError("coupon_value: a percentage discount is more than 0 and at most 100")
    if kind == "coupon_fixed" and (value is None or value <= 0):
        raise ValueError("coupon_value: a fixed discount is more than 0")


class CatalogueItemIn(BaseModel):
    """``POST /api/v1/catalogue``: a reward for points. ``coupon_value`` is a percentage
    (``coupon_percent``) or an amount in the store's currency (``coupon_fixed``); free
    shipping needs none."""

    model_config = ConfigDict(extra="forbid")
    name: ItemName
    points_cost: PointsCost
    coupon_kind: CatalogueKind
    coupon_value: Money = Decimal(0)
    active: bool = True

    @model_validator(mode="after")
    def _value_fits_kind(self) -> CatalogueItemIn:
        check_coupon(self.coupon_kind, self.coupon_value)
        return self


class CatalogueItemUpdate(BaseModel):
    """``PATCH /api/v1/catalogue/{id}``: the fields to change."""

    model_config = ConfigDict(extra="forbid")
    name: ItemName | None = None
    points_cost: PointsCost | None = None
    coupon_kind: CatalogueKind | None = None
    coupon_value: Money | None = None
    active: bool | None = None


class CatalogueItemPublic(BaseModel):
    """A reward of the store's catalogue."""

    id: int
    name: str
    points_cost: Decimal
    coupon_kind: str
    coupon_value: Decimal
    active: bool


class Catalogue(BaseModel):
    """The store's catalogue of rewards for points."""

    items: list[CatalogueItemPublic]


class TierIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    min_referred_buyers: Annotated[int, Constraint(ge=0, le=1_000_000)]
    bonus_percent: Annotated[int, Constraint(ge=0, le=100)] = 0


class TiersIn(BaseModel):
    """``PUT /api/v1/tiers``: the store's tiers, replacing the ones it had (none: no tiers)."""

    model_config = ConfigDict(extra="forbid")
    tiers: Annotated[list[TierIn], Constraint(max_length=10)]

    @model_validator(mode="after")
    def _distinct_thresholds(self) -> TiersIn:
        thresholds = [tier.min_referred_buyers for tier in self.tiers]
        if len(set(thresholds)) != len(thresholds):
            raise ValueError("tiers: each tier needs its own min_referred_buyers")
        return self


class Tiers(BaseModel):
    """The store's advocate tiers, lowest first."""

    tiers: list[TierIn]


class ReviewIncentive(SQLModel, table=True):
    """A store's reward for reviews that meet content rules only: a length and a photo (or
    video). Never the rating nor the sentiment (FTC 16 CFR 465.4): the rules have no field
    for them, and the event they read does not carry them."""

    __tablename__ = "review_incentive"

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", unique=True, ondelete="CASCADE")
    active: bool = Field(default=False)
    kind: str = Field(default="coupon_fixed", max_length=16)  # a reward kind
    value: Decimal = Field(default=Decimal("0"), max_digits=18, decimal_places=2)
    min_chars: int = Field(default=50)
    needs_media: bool = Field(default=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewReward(SQLModel, table=True):
    """What one published review earned under its store's incentive: one per review, credited
    to the ledger (store credit, points) or as a coupon of the reviewer as an advocate."""

    __tablename__ = "review_reward"

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    review_id: int = Field(unique=True)  # the review's id (reviews' table; no key across)
    advocate_id: int = Field(foreign_key="advocate.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)
    value: Decimal = Field(max_digits=18, decimal_places=2)
    coupon_code: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PurchasePoints(SQLModel, table=True):
    """Points an advocate earns on their own order when the store gives points for purchases:
    pending until ``approve_after`` (the hold period), then credited; voided or clawed back
    (in proportion on a partial refund) when the order is refunded."""

    __tablename__ = "purchase_points"
    __table_args__ = (Index("ix_purchase_points_due", "status", "approve_after"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    advocate_id: int = Field(foreign_key="advocate.id", index=True, ondelete="CASCADE")
    order_pk: int = Field(foreign_key="orders.id", unique=True, ondelete="CASCADE")
    points: Decimal = Field(max_digits=18, decimal_places=2)
    status: str = Field(default="pending", max_length=16)  # pending | issued | void | clawed_back
    approve_after: datetime = Field(sa_type=UTCDateTime)
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reversed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
