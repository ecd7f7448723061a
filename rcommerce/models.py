"""Core records every domain shares: stores (tenants), managers, products and orders."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.types import UTCDateTime, utcnow


class Store(SQLModel, table=True):
    """A tenant: one online shop. Every other row belongs to exactly one store."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    secret_key_hash: str = Field(max_length=64, unique=True)
    secret_key_hint: str = Field(max_length=16)
    secret_key_rotated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    publishable_key: str = Field(max_length=64, unique=True)
    allowed_origins: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    landing_url: str | None = Field(default=None, max_length=2000)
    currency: str = Field(default="VND", max_length=3)
    locale: str = Field(default="vi", max_length=8)
    timezone: str = Field(default="Asia/Ho_Chi_Minh", max_length=64)
    webhook_url: str | None = Field(default=None, max_length=2000)
    webhook_secret_version: int = Field(default=1)
    review_request_delay_days: int = Field(default=7)
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


class Product(SQLModel, table=True):
    """A product as the store knows it (its own id), learned from orders or the API."""

    __table_args__ = (UniqueConstraint("store_id", "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    product_id: str = Field(max_length=200)
    name: str = Field(default="", max_length=500)
    url: str | None = Field(default=None, max_length=2000)
    image_url: str | None = Field(default=None, max_length=2000)
    price: Decimal | None = Field(default=None, max_digits=18, decimal_places=2)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Order(SQLModel, table=True):
    """An order the store reported; ``order_id`` is the store's own id (idempotency key)."""

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("store_id", "order_id"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    order_id: str = Field(max_length=200)
    email: str = Field(max_length=320, index=True)
    customer_name: str = Field(default="", max_length=200)
    total: Decimal = Field(max_digits=18, decimal_places=2)
    currency: str = Field(max_length=3)
    status: str = Field(default="placed", max_length=16)  # placed | refunded
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    placed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    fulfilled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    refunded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OrderItem(SQLModel, table=True):
    __tablename__ = "order_item"

    id: int | None = Field(default=None, primary_key=True)
    order_pk: int = Field(foreign_key="orders.id", index=True, ondelete="CASCADE")
    product_id: str = Field(max_length=200)
    name: str = Field(default="", max_length=500)
    quantity: int = Field(default=1)
    price: Decimal | None = Field(default=None, max_digits=18, decimal_places=2)
