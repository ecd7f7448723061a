"""The store platforms rcommerce connects to, by the name used in ``/connect/{platform}/...``."""

from __future__ import annotations

from rcommerce.connectors.platforms import haravan, sapo, shopify, woocommerce
from rcommerce.connectors.webhooks import Platform

PLATFORMS: dict[str, Platform] = {
    platform.name: platform
    for platform in (haravan.PLATFORM, sapo.PLATFORM, shopify.PLATFORM, woocommerce.PLATFORM)
}


class UnknownPlatform(KeyError):
    """Not one of haravan, sapo, shopify, woocommerce (a 404 for the route)."""


def get_platform(name: str) -> Platform:
    try:
        return PLATFORMS[name.strip().lower()]
    except KeyError:
        raise UnknownPlatform(name) from None
