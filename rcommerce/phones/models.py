"""Phones that asked for no more messages from a store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.timestamps import UTCDateTime, utcnow


class PhoneOptOut(SQLModel, table=True):
    """A phone (E.164) that opted out of a store's review requests and programme messages,
    by the link its SMS carried (``source`` "link") or through the store's API ("api")."""

    __tablename__ = "phone_opt_out"
    __table_args__ = (UniqueConstraint("store_id", "phone"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    phone: str = Field(max_length=32)
    source: str = Field(default="link", max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
