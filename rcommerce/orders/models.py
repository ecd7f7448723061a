"""The shop's own records: products and orders as the store reports them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.timestamps import UTCDateTime, utcnow


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
