"""Stores (tenants), their managers (dashboard logins), signed-in sessions, and the store's
settings on the wire."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator
from pydantic import Field as Constraint
from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from rcommerce.columns import empty_list
from rcommerce.timestamps import UTCDateTime, utcnow


class Store(SQLModel, table=True):
    """A tenant: one online shop. Every other row belongs to exactly one store."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    secret_key_hash: str = Field(max_length=64, unique=True)
    secret_key_hint: str = Field(max_length=16)
    secret_key_rotated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    publishable_key: str = Field(max_length=64, unique=True)
    allowed_origins: list[str] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False)
    )
    landing_url: str | None = Field(default=None, max_length=2000)
    currency: str = Field(default="VND", max_length=3)
    locale: str = Field(default="vi", max_length=8)
    timezone: str = Field(default="Asia/Ho_Chi_Minh", max_length=64)
    webhook_url: str | None = Field(default=None, max_length=2000)
    webhook_secret_version: int = Field(default=1)
    review_request_delay_days: int = Field(default=7)
    # Reviews: a review held for a human is published after this many hours unless a manager
    # decided; "publish" shows an unconfirmed widget review at once (unverified), "confirm"
    # waits for its author's confirmation link; products come only from the API when set.
    review_hold_hours: int = Field(default=72)
    unverified_reviews: str = Field(default="publish", max_length=16)
    products_from_api_only: bool = Field(default=False)
    # The advocates' leaderboard (widget and portal) shows only once the store turns it on.
    leaderboard_enabled: bool = Field(default=False)
    # Points expire this many days after they were earned, oldest first (None: never).
    points_expire_days: int | None = Field(default=None)
    # Points an advocate earns on their own order: so many points per points_order_amount of
    # its total, in the store's currency (None: no points for purchases).
    points_per_order_amount: Decimal | None = Field(default=None, max_digits=18, decimal_places=2)
    points_order_amount: Decimal = Field(default=Decimal(1000), max_digits=18, decimal_places=2)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def default_landing_url(self) -> str | None:
        if self.landing_url:
            return self.landing_url
        return self.allowed_origins[0] if self.allowed_origins else None


class Manager(SQLModel, table=True):
    """A dashboard login; belongs to one store."""

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=320, unique=True)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=256)
    locale: str | None = Field(default=None, max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginSession(SQLModel, table=True):
    """A signed-in browser: a manager's dashboard session or an advocate's portal session.
    Its signed cookie names it; logging out deletes it, so a copied cookie stops working."""

    __tablename__ = "login_session"
    __table_args__ = (Index("ix_login_session_subject", "kind", "subject_id"),)

    id: str = Field(primary_key=True, max_length=43)  # random; the cookie carries it, signed
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)  # manager | advocate
    subject_id: int  # the manager's or the advocate's id
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)


# ---- shapes on the wire ------------------------------------------------------------------


class StorePublic(BaseModel):
    """The store's settings (never its secret key)."""

    id: int
    name: str
    publishable_key: str
    secret_key_hint: str
    allowed_origins: list[str]
    landing_url: str | None
    currency: str
    locale: str
    timezone: str
    webhook_url: str | None
    review_request_delay_days: int
    review_hold_hours: int
    unverified_reviews: str
    products_from_api_only: bool
    leaderboard_enabled: bool
    points_expire_days: int | None
    points_per_order_amount: Decimal | None
    points_order_amount: Decimal

    @field_validator("points_per_order_amount", "points_order_amount")
    @classmethod
    def _cents(cls, value: Decimal | None) -> Decimal | None:
        return None if value is None else Decimal(value).quantize(Decimal("0.01"))

    @classmethod
    def of(cls, store: Store) -> StorePublic:
        return cls.model_validate(store, from_attributes=True)


class StoreUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None
    allowed_origins: (
        Annotated[
            list[Annotated[str, StringConstraints(max_length=300)]], Constraint(max_length=50)
        ]
        | None
    ) = None
    landing_url: (
        Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://")] | None
    ) = None
    locale: Annotated[str, StringConstraints(pattern=r"^(vi|en)$")] | None = None
    webhook_url: (
        Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://")] | None
    ) = None
    review_request_delay_days: Annotated[int, Constraint(ge=0, le=90)] | None = None
    review_hold_hours: Annotated[int, Constraint(ge=1, le=24 * 30)] | None = None
    unverified_reviews: Literal["publish", "confirm"] | None = None
    products_from_api_only: bool | None = None
    leaderboard_enabled: bool | None = None
    points_expire_days: Annotated[int, Constraint(ge=1, le=3650)] | None = None
    points_per_order_amount: (
        Annotated[Decimal, Constraint(gt=0, le=1_000_000, decimal_places=2)] | None
    ) = None
    points_order_amount: (
        Annotated[Decimal, Constraint(gt=0, le=1_000_000_000, decimal_places=2)] | None
    ) = None


NULLABLE_SETTINGS = {"landing_url", "webhook_url", "points_expire_days", "points_per_order_amount"}
