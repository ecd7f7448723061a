"""The shop's own records: products and orders as the store reports them, and their shapes
on the wire."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    StringConstraints,
    model_validator,
)
from pydantic import Field as Constraint
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.identity import InvalidPhone, parse_phone
from rcommerce.timestamps import UTCDateTime, utcnow

SOURCES = ("api", "haravan", "sapo", "shopify", "woocommerce")


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
    # What Google's product reviews feed matches products on (GTIN first; brand with MPN).
    gtin: str | None = Field(default=None, max_length=50)
    mpn: str | None = Field(default=None, max_length=70)
    brand: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Order(SQLModel, table=True):
    """An order the store reported; ``order_id`` is the store's own id (idempotency key).

    The buyer is known by ``email``, ``phone`` (E.164) or both; ``number`` is what the merchant
    sees (``#1001``, ``SON687034``); ``source`` says who reported it (``api`` or a platform).
    ``refunded_amount`` grows with each partial refund; ``status`` becomes ``refunded`` when
    the whole order is.
    """

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("store_id", "order_id"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    order_id: str = Field(max_length=200)
    number: str | None = Field(default=None, max_length=100)
    source: str = Field(default="api", max_length=16)
    email: str | None = Field(default=None, max_length=320, index=True)
    phone: str | None = Field(default=None, max_length=20, index=True)
    customer_name: str = Field(default="", max_length=200)
    total: Decimal = Field(max_digits=18, decimal_places=2)
    currency: str = Field(max_length=3)
    status: str = Field(default="placed", max_length=16)  # placed | refunded
    refunded_amount: Decimal = Field(default=Decimal(0), max_digits=18, decimal_places=2)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    placed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    fulfilled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    refunded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OrderRefund(SQLModel, table=True):
    """One partial refund applied to an order, once per ``refund_id`` (the platform's or the
    caller's id for it): a redelivered refund finds its row and changes nothing."""

    __tablename__ = "order_refund"
    __table_args__ = (UniqueConstraint("order_pk", "refund_id"),)

    id: int | None = Field(default=None, primary_key=True)
    order_pk: int = Field(foreign_key="orders.id", index=True, ondelete="CASCADE")
    refund_id: str = Field(max_length=200)
    amount: Decimal = Field(max_digits=18, decimal_places=2)
    reason: str | None = Field(default=None, max_length=500)
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


def _e164(value: str) -> str:
    try:
        return parse_phone(value)
    except InvalidPhone as exc:
        raise ValueError(str(exc)) from None


# A phone number as typed (``0901 234 567``, ``+84 90 123 4567``), kept in E.164; a number
# without its country code is read as Vietnamese.
Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(_e164)]
OrderNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class ProductIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    url: HttpUrl | None = None
    image_url: HttpUrl | None = None
    price: Money | None = None
    gtin: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{8,14}$")] | None = (
        None
    )
    mpn: Annotated[str, StringConstraints(strip_whitespace=True, max_length=70)] | None = None
    brand: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    category: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class ProductPublic(BaseModel):
    """A product of the store."""

    product_id: str
    name: str
    url: str | None
    image_url: str | None
    price: Decimal | None
    gtin: str | None = None
    mpn: str | None = None
    brand: str | None = None
    category: str | None = None


class OrderItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_id: ProductKey
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    quantity: Annotated[int, Constraint(ge=1, le=100_000)] = 1
    price: Money | None = None


class OrderIn(BaseModel):
    """An order as the orders service records it. ``referral_token`` is the ``rc_ref`` the
    store kept; the referral fields are read by the referral programme, which subscribes to new
    orders. The buyer may be unknown (a connector's walk-in sale): the API asks for one of
    e-mail or phone (``OrderCreate``)."""

    model_config = ConfigDict(extra="forbid")
    order_id: ProductKey
    number: OrderNumber | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
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


class OrderCreate(OrderIn):
    """``POST /api/v1/orders``: an order from the store's backend; the buyer is known by an
    e-mail, a phone number (E.164; Vietnamese when written without a country code) or both."""

    @model_validator(mode="after")
    def _a_buyer(self) -> OrderCreate:
        if self.email is None and self.phone is None:
            raise ValueError("send the buyer's email, phone or both")
        return self


class RefundIn(BaseModel):
    """``POST /api/v1/orders/{order_id}/refund``: no body (or no ``amount``) refunds whatever
    is left of the order; an ``amount`` with its ``refund_id`` is a partial refund, applied
    once per ``refund_id``."""

    model_config = ConfigDict(extra="forbid")
    amount: Annotated[Decimal, Constraint(gt=0, max_digits=18, decimal_places=2)] | None = None
    refund_id: ProductKey | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None

    @model_validator(mode="after")
    def _partial_needs_an_id(self) -> RefundIn:
        if self.amount is not None and self.refund_id is None:
            raise ValueError(
                "a partial refund (amount) needs its refund_id, so a retry counts once"
            )
        return self


class BuyerIn(BaseModel):
    """A person's data request: an e-mail, a phone number (any way it is typed) or both."""

    model_config = ConfigDict(extra="forbid")
    email: EmailStr | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _someone(self) -> BuyerIn:
        if self.email is None and self.phone is None:
            raise ValueError("send the person's email, phone or both")
        return self


class BuyerOrders(BaseModel):
    """``POST /api/v1/orders/privacy/export``: every order of the store placed with the e-mail
    or the phone."""

    email: str | None
    phone: str | None
    orders: list[dict[str, Any]]


class BuyerOrdersErased(BaseModel):
    orders: int
