"""A store's connections to its shop platform (settings, deliveries received, coupons sent), and
their shapes on the wire."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import JSON, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.columns import empty_list
from rcommerce.timestamps import UTCDateTime, utcnow


class Connector(SQLModel, table=True):
    """One store's connection to one platform. Secrets are sealed (``rcommerce.connectors.crypto``)
    and never leave the service; ``refused_signatures`` counts deliveries refused for their
    signature (a flood is counted up to a limit a minute, see ``inbound``)."""

    __table_args__ = (UniqueConstraint("store_id", "platform"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    platform: str = Field(max_length=16)  # haravan | sapo | shopify | woocommerce
    webhook_secret_sealed: str = Field(sa_column=Column(Text, nullable=False))
    verify_token_sealed: str | None = Field(default=None, sa_column=Column(Text))
    shop_domain: str | None = Field(default=None, max_length=255)
    admin_api_url: str | None = Field(default=None, max_length=2000)
    # {"access_token", "api_key", "api_secret", "api_version"} as sealed JSON
    admin_credentials_sealed: str | None = Field(default=None, sa_column=Column(Text))
    deliveries: int = Field(default=0)
    last_delivery_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    refused_signatures: int = Field(default=0)
    last_refused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ConnectorDelivery(SQLModel, table=True):
    """A verified webhook delivery, stored raw before the 200 and turned into orders by a job.
    Unique by the platform's delivery id (or the body's hash): a redelivery finds its row."""

    __tablename__ = "connector_delivery"
    __table_args__ = (UniqueConstraint("store_id", "platform", "delivery_id"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", ondelete="CASCADE")
    platform: str = Field(max_length=16)
    delivery_id: str = Field(max_length=200)
    topic: str = Field(max_length=100)
    shop: str | None = Field(default=None, max_length=255)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: str = Field(default="received", max_length=16)  # received | processed | failed
    outcome: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text))
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ConnectorCoupon(SQLModel, table=True):
    """A reward or friend coupon to create in a connected platform, and how that went:
    ``pending`` (being created, retried with backoff), ``created``, ``failed`` (the platform
    refused it, or every attempt failed), ``unsupported`` (no Admin API to create it with)."""

    __tablename__ = "connector_coupon"
    __table_args__ = (UniqueConstraint("store_id", "platform", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    platform: str = Field(max_length=16)
    code: str = Field(max_length=64)
    kind: str = Field(max_length=16)  # fixed_amount | percentage | free_shipping
    value: Decimal = Field(max_digits=18, decimal_places=2)
    recipient: str = Field(max_length=16)  # advocate | friend
    advocate_id: int | None = Field(default=None)
    email: str | None = Field(default=None, max_length=320)
    minimum_subtotal: Decimal | None = Field(default=None, max_digits=18, decimal_places=2)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default="pending", max_length=16)
    remote_id: str | None = Field(default=None, max_length=100)
    parent_id: str | None = Field(default=None, max_length=100)
    already_existed: bool = Field(default=False)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    synced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# ---- shapes on the wire ------------------------------------------------------------------

Secret = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=500)]
Token = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
ShopDomain = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=255,
        pattern=r"(?i)^(https?://)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?/?$",
    ),
]


class AdminApiIn(BaseModel):
    """Admin API access, for creating reward coupons in the platform.

    ``base_url`` defaults to ``https://{shop_domain}`` (Shopify, Sapo Web, WooCommerce) or
    ``https://apis.haravan.com``. ``access_token``: Shopify's ``shpat_…``, Haravan's or Sapo's
    app token; ``api_key``/``api_secret``: WooCommerce's consumer key and secret (or a Sapo
    private app's); ``api_version``: Shopify's (``2025-01``).
    """

    model_config = ConfigDict(extra="forbid")
    base_url: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=r"^https?://")
        ]
        | None
    ) = None
    access_token: Token | None = None
    api_key: Token | None = None
    api_secret: Token | None = None
    api_version: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")] | None = None


class ConnectorIn(BaseModel):
    """``PUT /api/v1/connectors/{platform}``. ``webhook_secret`` is what the platform signs with;
    ``verify_token`` answers Haravan's subscription check; ``shop_domain`` (``moc.myshopify.com``,
    ``the-350f.mysapogo.com``, a WooCommerce site) is checked against each delivery's and builds
    product links. A field left out keeps its saved value (``webhook_secret`` is needed the
    first time); ``null`` clears it."""

    model_config = ConfigDict(extra="forbid")
    webhook_secret: Secret | None = None
    verify_token: Token | None = None
    shop_domain: ShopDomain | None = None
    admin_api: AdminApiIn | None = None


class ConnectorSaved(BaseModel):
    """What to paste into the platform: the webhook URL, and the topics to subscribe it to."""

    platform: str
    webhook_url: str
    topics: list[str]
    shop_domain: str | None
    admin_api: bool  # whether reward coupons can be created in the platform


class ConnectorPublic(BaseModel):
    """A connector as the store sees it: never its secrets."""

    platform: str
    webhook_url: str
    topics: list[str]
    shop_domain: str | None
    verify_token_set: bool
    admin_api: bool
    admin_api_url: str | None
    deliveries: int
    last_delivery_at: datetime | None
    refused_signatures: int
    last_refused_at: datetime | None
    coupons: dict[str, int]  # pending / created / failed / unsupported -> how many
    created_at: datetime
    updated_at: datetime


class ConnectorList(BaseModel):
    connectors: list[ConnectorPublic]


def coupon_counts(rows: list[tuple[str, int]]) -> dict[str, int]:
    counts: dict[str, Any] = dict.fromkeys(("pending", "created", "failed", "unsupported"), 0)
    for status, number in rows:
        counts[status] = counts.get(status, 0) + int(number)
    return counts
