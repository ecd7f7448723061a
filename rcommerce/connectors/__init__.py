"""Store connectors: Haravan, Sapo, Shopify and WooCommerce webhooks in, reward coupons out.

The inbound half is pure: ``authenticate`` checks a delivery's signature and names it (what to
store before answering 200), ``events_of`` turns a stored body into neutral events for the
orders service. The outbound half (``coupons``) creates discount codes in a platform's Admin API.
"""

from __future__ import annotations

from rcommerce.connectors.events import ConnectorEvent
from rcommerce.connectors.platforms import PLATFORMS, UnknownPlatform, get_platform
from rcommerce.connectors.platforms.haravan import challenge_answer
from rcommerce.connectors.webhooks import (
    Delivery,
    Headers,
    ParseContext,
    WebhookRefused,
    decode_json,
)

__all__ = [
    "PLATFORMS",
    "Delivery",
    "ParseContext",
    "UnknownPlatform",
    "WebhookRefused",
    "authenticate",
    "challenge_answer",
    "events_of",
    "get_platform",
    "topics_of",
]


def authenticate(platform: str, *, headers: Headers, body: bytes, secret: str) -> Delivery:
    """Verify one delivery over its raw body and name it (raises a WebhookRefused subclass)."""
    return get_platform(platform).authenticate(headers, body, secret)


def events_of(
    platform: str, *, topic: str, body: bytes, context: ParseContext | None = None
) -> list[ConnectorEvent]:
    """The events a stored delivery means (run in the job, after the 200)."""
    return get_platform(platform).parse(topic, decode_json(body), context or ParseContext())


def topics_of(platform: str) -> tuple[str, ...]:
    """What the merchant subscribes to: the ``topics`` of ``PUT /api/v1/connectors/{platform}``."""
    return get_platform(platform).topics
