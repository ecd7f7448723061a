"""Haravan webhooks (a Shopify-like API), private and app webhooks alike.

Signature: ``X-Haravan-Hmacsha256`` = base64(HMAC-SHA256(raw body, webhook authentication string))
(docs.haravan.com, "Private webhook"). Apps in the field also send ``X-Haravan-Hmac-Sha256`` or
``X-Haravan-Hmac``, base64 or hex, and older apps an HMAC-SHA1 in hex: all are accepted, always
compared in constant time. ``X-Haravan-Test`` marks a test payload; ``X-Haravan-Topic`` and
``X-Haravan-Org-Id`` name the event and the shop (the body may carry ``topic`` and ``org_id`` too).
App webhooks first verify the callback with ``GET ?hub.mode=subscribe&hub.verify_token=…&
hub.challenge=…``: see ``challenge_answer``. Haravan sends no delivery id: the body hash is one.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from rcommerce.connectors import payloads as p
from rcommerce.connectors.events import ConnectorEvent
from rcommerce.connectors.platforms import shopify_like
from rcommerce.connectors.webhooks import (
    BadPayload,
    Delivery,
    Headers,
    ParseContext,
    SignatureMismatch,
    SignatureMissing,
    body_id,
    decode_json,
    digest_matches,
    header,
    hmac_digest,
    parse_with,
)

SIGNATURE_HEADERS = ("X-Haravan-Hmacsha256", "X-Haravan-Hmac-Sha256", "X-Haravan-Hmac")
_NOT_A_TEST = {"", "0", "false", "no"}


def _order(payload: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    return shopify_like.order_events(_unwrapped(payload), context)


def _product(payload: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    return shopify_like.product_event(_unwrapped(payload), context)


def _unwrapped(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """Some deliveries wrap the resource as ``{"org_id", "topic", "data": {...}}``."""
    data = payload.get("data")
    if "id" not in payload and isinstance(data, Mapping):
        return data
    return payload


_TABLE = {
    "orders/create": _order,
    "orders/updated": _order,
    "orders/paid": _order,
    "orders/fulfilled": _order,
    "orders/cancelled": _order,
    "products/create": _product,
    "products/update": _product,
    "products/updated": _product,
}


def verify(headers: Headers, body: bytes, secret: str) -> None:
    supplied = header(headers, *SIGNATURE_HEADERS)
    if supplied is None:
        raise SignatureMissing("the X-Haravan-Hmacsha256 header is missing")
    if not secret:
        raise SignatureMismatch("no webhook secret is configured for this store")
    sha256 = hmac_digest(secret, body, "sha256")
    sha1 = hmac_digest(secret, body, "sha1")
    matched = digest_matches(supplied, sha256) | digest_matches(supplied, sha1, hex_only=True)
    if not matched:
        raise SignatureMismatch("the Haravan signature does not match this store's secret")


def challenge_answer(query: Mapping[str, str], verify_token: str | None) -> str | None:
    """The text to answer Haravan's subscription check with, or None (answer 403).

    Haravan sends ``hub.mode=subscribe``, ``hub.verify_token`` and ``hub.challenge``; the
    challenge is echoed only when the token is the store's configured verify token.
    """
    mode = query.get("hub.mode", "")
    token = query.get("hub.verify_token", "")
    challenge = query.get("hub.challenge", "")
    if mode != "subscribe" or not verify_token or not challenge:
        return None
    if not hmac.compare_digest(token.encode("utf-8"), verify_token.encode("utf-8")):
        return None
    return challenge


class Haravan:
    name: str = "haravan"
    topics: tuple[str, ...] = (
        "orders/create",
        "orders/paid",
        "orders/updated",
        "orders/fulfilled",
        "orders/cancelled",
        "products/create",
        "products/update",
    )

    def authenticate(self, headers: Headers, body: bytes, secret: str) -> Delivery:
        verify(headers, body, secret)
        payload = decode_json(body)
        topic = header(headers, "X-Haravan-Topic") or p.text(payload.get("topic"))
        if topic is None:
            raise BadPayload("the X-Haravan-Topic header is missing")
        test = header(headers, "X-Haravan-Test")
        return Delivery(
            platform=self.name,
            topic=topic.lower(),
            delivery_id=body_id(body),
            test=test is not None and test.lower() not in _NOT_A_TEST,
            shop=header(headers, "X-Haravan-Org-Id") or p.ident(payload.get("org_id")),
        )

    def parse(
        self, topic: str, payload: Mapping[str, Any], context: ParseContext
    ) -> list[ConnectorEvent]:
        return parse_with(_TABLE, topic, payload, context)


PLATFORM = Haravan()
