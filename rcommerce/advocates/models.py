"""Advocates: shoppers who joined a store's referral programme, and their portal logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.timestamps import UTCDateTime, utcnow


class Advocate(SQLModel, table=True):
    """One person in one store's programme, known by an e-mail (trimmed, lower case), a phone
    (E.164), or both: one advocate per store per e-mail and per phone."""

    __table_args__ = (
        UniqueConstraint("store_id", "email"),
        Index("ix_advocate_store_phone", "store_id", "phone", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    email: str | None = Field(default=None, max_length=320)
    # Gmail dots and +tags removed: what self-referral checks compare ("" without an e-mail).
    email_canonical: str = Field(default="", max_length=320, index=True)
    phone: str | None = Field(default=None, max_length=32)  # E.164
    name: str = Field(default="", max_length=200)
    referral_code: str = Field(max_length=16, unique=True)
    status: str = Field(default="active", max_length=16)  # active | blocked | opted_out | erased
    locale: str | None = Field(default=None, max_length=8)
    visitor_id: str | None = Field(default=None, max_length=64)
    ip_hash: str | None = Field(default=None, max_length=32)
    user_agent_hash: str | None = Field(default=None, max_length=32)
    source: str = Field(default="api", max_length=16)  # api | widget | demo
    emails_opted_out_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Kept off the store's public leaderboard (the advocate's choice in the portal, or the API).
    leaderboard_opt_out: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PortalLogin(SQLModel, table=True):
    """A magic link that was sent; ``used_at`` makes it single use."""

    __tablename__ = "portal_login"

    id: str = Field(primary_key=True, max_length=32)
    advocate_id: int = Field(foreign_key="advocate.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
