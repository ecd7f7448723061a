"""Daily roll-ups of word of mouth per store, kept by scheduled tasks so that a report reads one
row per day instead of every click, order and review."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.timestamps import UTCDateTime, utcnow


class ReportDay(SQLModel, table=True):
    """One store's counters for one calendar day in the store's time zone.

    Distinct people (customers, referred customers, advocates who shared, advocates who
    referred) are kept as
    compressed bitmaps over per-store member numbers, so that any range of days can count
    each person once by OR-ing the days' bitmaps.
    """

    __tablename__ = "report_day"
    __table_args__ = (UniqueConstraint("store_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", ondelete="CASCADE")
    day: date
    advocates_joined: int = 0
    clicks: int = 0
    unique_clicks: int = 0
    # channel -> [clicks, unique clicks]
    channels: dict[str, list[int]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    orders: int = 0
    revenue: Decimal = Field(default=Decimal(0), max_digits=20, decimal_places=2)
    referred_orders: int = 0
    referred_by_click: int = 0
    referred_by_code: int = 0
    referred_by_coupon: int = 0
    converted_clicks: int = 0
    referred_revenue: Decimal = Field(default=Decimal(0), max_digits=20, decimal_places=2)
    reward_cost: Decimal = Field(default=Decimal(0), max_digits=20, decimal_places=2)
    reward_points: Decimal = Field(default=Decimal(0), max_digits=20, decimal_places=2)
    reviews: int = 0
    rating_sum: int = 0
    r1: int = 0
    r2: int = 0
    r3: int = 0
    r4: int = 0
    r5: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    unscored: int = 0
    # aspect -> [praised, complained]
    aspects: dict[str, list[int]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    # aspect -> {"praised": [review ids], "complained": [review ids]} (the day's clearest quotes)
    examples: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    replied: int = 0
    reply_seconds: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    customers: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    referred_customers: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    sharers: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    referrers: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    computed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReportAdvocateDay(SQLModel, table=True):
    """What one advocate's referrals brought on one day (only days with a referred order or
    a reward): the source of the top-advocates table."""

    __tablename__ = "report_advocate_day"
    __table_args__ = (
        UniqueConstraint("store_id", "day", "advocate_id"),
        Index("ix_report_advocate_day_advocate", "advocate_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", ondelete="CASCADE")
    day: date
    advocate_id: int = Field(foreign_key="advocate.id", ondelete="CASCADE")
    referred_orders: int = 0
    referred_revenue: Decimal = Field(default=Decimal(0), max_digits=20, decimal_places=2)
    reward_cost: Decimal = Field(default=Decimal(0), max_digits=20, decimal_places=2)


class ReportMember(SQLModel, table=True):
    """A small dense number per person and store, the bit position in the day bitmaps.

    ``ref`` is an advocate id, or a keyed hash of a customer's e-mail (never the address).
    """

    __tablename__ = "report_member"
    __table_args__ = (
        UniqueConstraint("store_id", "kind", "ref"),
        UniqueConstraint("store_id", "kind", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", ondelete="CASCADE")
    kind: str = Field(max_length=8)  # customer | advocate
    ref: str = Field(max_length=64)
    number: int
