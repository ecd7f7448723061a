"""Segment memberships with their reasons, the daily figures of each segment, the store's
thresholds, and their shapes on the wire."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic import Field as Constraint
from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.timestamps import UTCDateTime, utcnow

SEGMENTS = (
    "convenience",
    "information_seekers",
    "bargain_hunters",
    "sociables",
    "routine",
    "entertainment",
)
# The row of ``segment_day`` that holds the whole store's orders (for shares of revenue).
ALL = "all"


class CustomerSegment(SQLModel, table=True):
    """One customer's membership of one segment, as the last run found it, with why: the rule
    that matched and the figures it compared (``reason``)."""

    __tablename__ = "customer_segment"
    __table_args__ = (
        UniqueConstraint("store_id", "segment", "customer"),
        Index("ix_customer_segment_customer", "store_id", "customer"),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", ondelete="CASCADE")
    # The buyer's canonical e-mail, else their phone (E.164): how orders know a buyer.
    customer: str = Field(max_length=320)
    segment: str = Field(max_length=24)
    reason: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    computed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SegmentDay(SQLModel, table=True):
    """What one segment's current members bought on one day (store's time zone), and the
    unique clicks their referral links brought; the segment ``all`` is the whole store. A report over any range reads one row per segment and day."""

    __tablename__ = "segment_day"
    __table_args__ = (UniqueConstraint("store_id", "segment", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", ondelete="CASCADE")
    segment: str = Field(max_length=24)
    day: date
    orders: int = 0
    revenue: Decimal = Field(default=Decimal(0), max_digits=20, decimal_places=2)
    referred_orders: int = 0
    reviewed_orders: int = 0
    # Unique clicks that day on the referral links of the segment's current members (advocates).
    referral_clicks: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class SegmentSettings(SQLModel, table=True):
    """A store's segment thresholds (the defaults of ``Thresholds`` where it set none), and
    what the last run found."""

    __tablename__ = "segment_settings"

    store_id: int = Field(primary_key=True, foreign_key="store.id", ondelete="CASCADE")
    thresholds: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    customers: int = 0  # buyers seen by the last run
    members: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Members who are advocates, per segment, and the programme's advocates (``all``).
    advocates: dict[str, int] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    computed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# ---- shapes on the wire ------------------------------------------------------------------

Percent = Annotated[int, Constraint(ge=1, le=100)]
Count = Annotated[int, Constraint(ge=1, le=10_000)]
Category = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Thresholds(BaseModel):
    """What each rule compares a customer's figures with (docs/segments.md)."""

    model_config = ConfigDict(extra="forbid")
    bargain_min_coupon_orders: Count = 2
    bargain_min_coupon_share: Percent = 50
    sociable_min_referred_buyers: Count = 1
    sociable_min_clicks: Count = 5
    sociable_min_helpful_votes: Count = 3
    routine_min_orders: Annotated[int, Constraint(ge=2, le=10_000)] = 3
    routine_max_gap_days: Annotated[int, Constraint(ge=1, le=3650)] = 60
    routine_max_irregularity: Percent = 50
    information_min_questions: Count = 1
    information_min_days_to_decide: Annotated[int, Constraint(ge=1, le=365)] = 3
    convenience_max_minutes: Annotated[int, Constraint(ge=1, le=1440)] = 30
    entertainment_categories: Annotated[list[Category], Constraint(max_length=50)] = []
    entertainment_min_share: Percent = 50


class ThresholdsUpdate(BaseModel):
    """``PATCH /api/v1/segments/settings``: the thresholds to change (the others stay)."""

    model_config = ConfigDict(extra="forbid")
    bargain_min_coupon_orders: Count | None = None
    bargain_min_coupon_share: Percent | None = None
    sociable_min_referred_buyers: Count | None = None
    sociable_min_clicks: Count | None = None
    sociable_min_helpful_votes: Count | None = None
    routine_min_orders: Annotated[int, Constraint(ge=2, le=10_000)] | None = None
    routine_max_gap_days: Annotated[int, Constraint(ge=1, le=3650)] | None = None
    routine_max_irregularity: Percent | None = None
    information_min_questions: Count | None = None
    information_min_days_to_decide: Annotated[int, Constraint(ge=1, le=365)] | None = None
    convenience_max_minutes: Annotated[int, Constraint(ge=1, le=1440)] | None = None
    entertainment_categories: Annotated[list[Category], Constraint(max_length=50)] | None = None
    entertainment_min_share: Percent | None = None


class SegmentSettingsPublic(BaseModel):
    """The store's thresholds and what the last run found."""

    thresholds: Thresholds
    customers: int
    members: dict[str, int]
    computed_at: datetime | None
