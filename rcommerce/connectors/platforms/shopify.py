"""Shopify webhooks: ``X-Shopify-Hmac-Sha256`` is base64(HMAC-SHA256(raw body, app/webhook secret)).

Headers (shopify.dev/docs/api/webhooks, "Headers"): X-Shopify-Topic, X-Shopify-Hmac-Sha256,
X-Shopify-Shop-Domain, X-Shopify-Webhook-Id (unique per delivery: the idempotency key),
X-Shopify-Event-Id (shared by the deliveries of one merchant action). Orders placed through the
test gateway, and the admin's "Send test notification", carry ``"test": true``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rcommerce.connectors.events import ConnectorEvent
from rcommerce.connectors.platforms import shopify_like
from rcommerce.connectors.webhooks import (
    BadPayload,
    Delivery,
    Headers,
    ParseContext,
    body_id,
    decode_json,
    header,
    parse_with,
    require_base64_hmac,
)

ORDER_TOPICS = (
    "orders/create",
    "orders/paid",
    "orders/updated",
    "orders/fulfilled",
    "orders/cancelled",
)


def _refund(payload: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    event = shopify_like.refund_event(payload)
    return [event] if event is not None else []


def _fulfilment(payload: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    return shopify_like.fulfilment_events(payload)


_TABLE = {
    **{topic: shopify_like.order_events for topic in ORDER_TOPICS},
    "refunds/create": _refund,
    "fulfillments/create": _fulfilment,
    "fulfillments/update": _fulfilment,
    "products/create": shopify_like.product_event,
    "products/update": shopify_like.product_event,
}


class Shopify:
    name: str = "shopify"
    topics: tuple[str, ...] = (
        "orders/create",
        "orders/paid",
        "orders/fulfilled",
        "orders/cancelled",
        "refunds/create",
        "fulfillments/update",
        "products/create",
        "products/update",
    )

    def authenticate(self, headers: Headers, body: bytes, secret: str) -> Delivery:
        require_base64_hmac(headers, body, secret, "X-Shopify-Hmac-Sha256")
        topic = header(headers, "X-Shopify-Topic")
        if topic is None:
            raise BadPayload("the X-Shopify-Topic header is missing")
        payload = decode_json(body)
        return Delivery(
            platform=self.name,
            topic=topic.lower(),
            delivery_id=header(headers, "X-Shopify-Webhook-Id") or body_id(body),
            test=payload.get("test") is True,
            shop=header(headers, "X-Shopify-Shop-Domain"),
        )

    def parse(
        self, topic: str, payload: Mapping[str, Any], context: ParseContext
    ) -> list[ConnectorEvent]:
        return parse_with(_TABLE, topic, payload, context)


PLATFORM = Shopify()
