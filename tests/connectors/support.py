"""Fixture bodies and the signatures each platform would put on them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "whsec-test-7f3a9c1e5b"


def body(name: str) -> bytes:
    """The fixture's bytes exactly as stored: what the platform signed."""
    return (FIXTURES / name).read_bytes()


def payload(name: str) -> dict[str, Any]:
    data = json.loads(body(name))
    assert isinstance(data, dict)
    return data


def b64_hmac(raw: bytes, secret: str = SECRET, algorithm: str = "sha256") -> str:
    return base64.b64encode(hmac.new(secret.encode(), raw, algorithm).digest()).decode()


def hex_hmac(raw: bytes, secret: str = SECRET, algorithm: str = "sha256") -> str:
    return hmac.new(secret.encode(), raw, algorithm).hexdigest()


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# ---- deliveries as each platform sends them ----

PLACEHOLDER_TOKEN = re.compile(rb"eyJzIjoxfQ\.[\w-]+\.sig")
TOPIC_HEADER = {
    "shopify": "X-Shopify-Topic",
    "woocommerce": "X-WC-Webhook-Topic",
    "haravan": "X-Haravan-Topic",
    "sapo": "X-Sapo-Topic",
}
DELIVERY_ID_HEADER = {
    "shopify": "X-Shopify-Webhook-Id",
    "woocommerce": "X-WC-Webhook-Delivery-ID",
}
SIGNATURE_HEADER = {
    "shopify": "X-Shopify-Hmac-Sha256",
    "woocommerce": "X-WC-Webhook-Signature",
    "haravan": "X-Haravan-Hmacsha256",
    "sapo": "X-Sapo-Hmac-Sha256",
}


def with_token(raw: bytes, token: str) -> bytes:
    """The fixture with every placeholder ``rc_ref`` replaced by a real signed token (the bytes
    change, so the platform would sign these)."""
    return PLACEHOLDER_TOKEN.sub(token.encode(), raw)


def changed(name: str, **fields: Any) -> bytes:
    """A fixture with some fields changed, encoded as a platform would send it."""
    return json.dumps({**payload(name), **fields}, ensure_ascii=False).encode()


def headers(
    platform: str,
    raw: bytes,
    topic: str,
    *,
    secret: str = SECRET,
    delivery_id: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """The headers ``platform`` puts on a delivery of ``raw`` (signed with ``secret``)."""
    found = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER[platform]: b64_hmac(raw, secret),
        TOPIC_HEADER[platform]: topic,
    }
    id_header = DELIVERY_ID_HEADER.get(platform)
    if delivery_id is not None and id_header is not None:  # Haravan and Sapo send none
        found[id_header] = delivery_id
    found.update(extra)
    return found
