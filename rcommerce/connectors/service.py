"""Connector settings: save a store's connection to its platform (secrets sealed), list them,
and read back what deliveries and coupon calls need (the webhook secret, Admin API access)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, func, select

from rcommerce import connectors
from rcommerce.connectors.coupons import SHOPIFY_API_VERSION, StoreCredentials
from rcommerce.connectors.crypto import seal, unseal
from rcommerce.connectors.models import (
    AdminApiIn,
    Connector,
    ConnectorCoupon,
    ConnectorIn,
    ConnectorPublic,
    ConnectorSaved,
    coupon_counts,
)
from rcommerce.db import after_commit
from rcommerce.errors import InvalidInput, NotFound
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

HARAVAN_API = "https://apis.haravan.com"
# How long a connector's sealed secret and shop stay cached for the webhook receiver (saving
# the connector forgets them at once).
CACHE_TTL = 60


def cache_key(store_id: int, platform: str) -> str:
    return f"connector:{store_id}:{platform}"


def platform_name(platform: str) -> str:
    """The platform's name as the paths spell it (NotFound for anything else)."""
    try:
        return connectors.get_platform(platform).name
    except connectors.UnknownPlatform:
        raise NotFound(
            f"No platform {platform!r}: haravan, sapo, shopify or woocommerce."
        ) from None


def webhook_url(settings: Settings, store_id: int, platform: str) -> str:
    return f"{settings.base_url}/connect/{platform}/{store_id}/webhooks"


def shop_host(value: str | None) -> str | None:
    """``https://Shop.example.com/`` -> ``shop.example.com`` (how shops are compared and kept)."""
    if not value:
        return None
    raw = value.strip().lower()
    host = urlsplit(raw if "://" in raw else f"https://{raw}").netloc
    return host.removeprefix("www.") or None


def get_connector(session: Session, store_id: int, platform: str) -> Connector | None:
    return session.exec(
        select(Connector).where(Connector.store_id == store_id, Connector.platform == platform)
    ).first()


def store_connectors(session: Session, store: Store) -> list[Connector]:
    return list(
        session.exec(
            select(Connector)
            .where(Connector.store_id == store.id)
            .order_by(col(Connector.platform))
        )
    )


def save_connector(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    platform: str,
    data: ConnectorIn,
    now: datetime,
) -> ConnectorSaved:
    """Create or update the store's connector for ``platform``; answers what to paste."""
    name = platform_name(platform)
    assert store.id is not None
    connector = get_connector(session, store.id, name)
    if connector is None:
        if data.webhook_secret is None:
            raise InvalidInput(
                "webhook_secret: the secret the platform signs its webhooks with is needed.",
                fields=[{"field": "webhook_secret"}],
            )
        connector = Connector(store_id=store.id, platform=name, webhook_secret_sealed="")
        connector.created_at = now
    given = data.model_fields_set
    if data.webhook_secret is not None:
        connector.webhook_secret_sealed = seal(settings, data.webhook_secret)
    if "verify_token" in given:
        connector.verify_token_sealed = (
            seal(settings, data.verify_token) if data.verify_token else None
        )
    if "shop_domain" in given:
        connector.shop_domain = shop_host(data.shop_domain)
    if "admin_api" in given:
        _set_admin_api(settings, connector, data.admin_api)
    connector.updated_at = now
    session.add(connector)
    session.flush()
    runtime: Runtime = session.info["runtime"]
    key = cache_key(store.id, name)
    after_commit(session, lambda: runtime.cache.delete(key))
    return ConnectorSaved(
        platform=name,
        webhook_url=webhook_url(settings, store.id, name),
        topics=list(connectors.topics_of(name)),
        shop_domain=connector.shop_domain,
        admin_api=connector.admin_credentials_sealed is not None,
    )


def _default_base(connector: Connector) -> str | None:
    if connector.platform == "haravan":
        return HARAVAN_API
    return f"https://{connector.shop_domain}" if connector.shop_domain else None


def _set_admin_api(settings: Settings, connector: Connector, admin: AdminApiIn | None) -> None:
    if admin is None:
        connector.admin_api_url = connector.admin_credentials_sealed = None
        return
    base = admin.base_url or _default_base(connector)
    if base is None:
        raise InvalidInput(
            "admin_api.base_url: give the Admin API's URL, or the shop_domain it is on.",
            fields=[{"field": "admin_api.base_url"}],
        )
    if not (admin.access_token or (admin.api_key and admin.api_secret)):
        raise InvalidInput(
            "admin_api: give an access_token, or an api_key with its api_secret.",
            fields=[{"field": "admin_api"}],
        )
    credentials = {
        "access_token": admin.access_token,
        "api_key": admin.api_key,
        "api_secret": admin.api_secret,
        "api_version": admin.api_version,
    }
    connector.admin_api_url = base.rstrip("/")
    connector.admin_credentials_sealed = seal(settings, json.dumps(credentials))


def webhook_secret(settings: Settings, connector: Connector) -> str:
    return unseal(settings, connector.webhook_secret_sealed)


def verify_token(settings: Settings, connector: Connector) -> str | None:
    sealed = connector.verify_token_sealed
    return unseal(settings, sealed) if sealed else None


def credentials(settings: Settings, connector: Connector) -> StoreCredentials | None:
    """The connector's Admin API access, or None when none was given."""
    if connector.admin_credentials_sealed is None or connector.admin_api_url is None:
        return None
    values: dict[str, Any] = json.loads(unseal(settings, connector.admin_credentials_sealed))
    return StoreCredentials(
        platform=connector.platform,
        base_url=connector.admin_api_url,
        access_token=values.get("access_token"),
        api_key=values.get("api_key"),
        api_secret=values.get("api_secret"),
        api_version=values.get("api_version") or SHOPIFY_API_VERSION,
    )


def list_connectors(*, session: Session, settings: Settings, store: Store) -> list[ConnectorPublic]:
    assert store.id is not None
    rows = store_connectors(session, store)
    counted = session.exec(
        select(ConnectorCoupon.platform, ConnectorCoupon.status, func.count())
        .where(ConnectorCoupon.store_id == store.id)
        .group_by(col(ConnectorCoupon.platform), col(ConnectorCoupon.status))
    ).all()
    by_platform: dict[str, list[tuple[str, int]]] = {}
    for platform, status, number in counted:
        by_platform.setdefault(platform, []).append((status, number))
    return [
        ConnectorPublic(
            platform=row.platform,
            webhook_url=webhook_url(settings, store.id, row.platform),
            topics=list(connectors.topics_of(row.platform)),
            shop_domain=row.shop_domain,
            verify_token_set=row.verify_token_sealed is not None,
            admin_api=row.admin_credentials_sealed is not None,
            admin_api_url=row.admin_api_url,
            deliveries=row.deliveries,
            last_delivery_at=row.last_delivery_at,
            refused_signatures=row.refused_signatures,
            last_refused_at=row.last_refused_at,
            coupons=coupon_counts(by_platform.get(row.platform, [])),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Setup:
    """One platform on the dashboard's connectors page: saved or not, and where to paste what."""

    platform: str
    webhook_url: str
    topics: tuple[str, ...]
    saved: ConnectorPublic | None


def setup_of(*, session: Session, settings: Settings, store: Store) -> list[Setup]:
    """Every platform, with the store's connector where it has one (the dashboard's list)."""
    assert store.id is not None
    saved = {
        c.platform: c for c in list_connectors(session=session, settings=settings, store=store)
    }
    return [
        Setup(
            platform=name,
            webhook_url=webhook_url(settings, store.id, name),
            topics=connectors.topics_of(name),
            saved=saved.get(name),
        )
        for name in sorted(connectors.PLATFORMS)
    ]
