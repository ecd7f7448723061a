"""The shop's own records: products and orders as the store reports them, and their shapes
on the wire."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, StringConstraints
from pydantic import Field as Constraint
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


# ---- shapes on the wire ------------------------------------------------------------------

ProductKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Money = Annotated[Decimal, Constraint(ge=0, max_digits=18, decimal_places=2)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
HttpUrl = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://")]


class ProductIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    url: HttpUrl | None = None
    image_url: HttpUrl | None = None
    price: Money | None = None


class ProductPublic(BaseModel):
    """A product of the store."""

    product_id: str
    name: str
    url: str | None
    image_url: str | None
    price: Decimal | None


class OrderItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_id: ProductKey
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    quantity: Annotated[int, Constraint(ge=1, le=100_000)] = 1
    price: Money | None = None


class OrderIn(BaseModel):
    """An order from the store's backend. ``referral_token`` is the ``rc_ref`` it kept; the
    referral fields are read by the referral programme, which subscribes to new orders."""

    model_config = ConfigDict(extra="forbid")
    order_id: ProductKey
    email: EmailStr
    total: Money
    currency: Currency
    placed_at: AwareDatetime | None = None
    referral_code: Annotated[str, StringConstraints(max_length=40)] | None = None
    referral_token: Annotated[str, StringConstraints(max_length=1000)] | None = None
    coupon_codes: Annotated[
        list[Annotated[str, StringConstraints(max_length=64)]], Constraint(max_length=20)
    ] = []
    items: Annotated[list[OrderItemIn], Constraint(max_length=500)] = []
    customer_name: Text200 = ""
    visitor_id: Annotated[str, StringConstraints(max_length=64)] | None = None
    customer_ip: Annotated[str, StringConstraints(max_length=64)] | None = None
    user_agent: Annotated[str, StringConstraints(max_length=500)] | None = None
