"""Inbound platform webhooks: signatures over the raw body, delivery ids, topics and test flags.

Everything here is pure (no database, no network): a route verifies and acknowledges with
``authenticate`` and stores the raw body; a job later turns it into events with ``events_of``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from rcommerce.connectors.events import ConnectorEvent, Ignored

Headers = Mapping[str, str]


class WebhookRefused(Exception):
    """The delivery is not accepted; ``status`` is the HTTP answer (nothing is stored)."""

    status = 400
    code = "bad_webhook"


class SignatureMissing(WebhookRefused):
    status, code = 401, "signature_missing"


class SignatureMismatch(WebhookRefused):
    status, code = 401, "signature_mismatch"


class BadPayload(WebhookRefused):
    status, code = 400, "bad_payload"


def header(headers: Headers, *names: str) -> str | None:
    """The first of ``names`` present, case-insensitively (HTTP/2 lower-cases every header)."""
    wanted = [name.lower() for name in names]
    lowered = {key.lower(): value for key, value in headers.items()}
    for name in wanted:
        value = lowered.get(name)
        if value is not None and value.strip():
            return value.strip()
    return None


def hmac_digest(secret: str, body: bytes, algorithm: str = "sha256") -> bytes:
    return hmac.new(secret.encode("utf-8"), body, algorithm).digest()


def _decoded(supplied: str) -> list[bytes]:
    """The byte strings a header value may encode: base64 (standard or URL-safe) and hex."""
    value = supplied.strip()
    if value.lower().startswith(("sha256=", "sha1=")):
        value = value.split("=", 1)[1]
    found: list[bytes] = []
    decoders: tuple[Callable[[], bytes], ...] = (
        lambda: base64.b64decode(value, validate=True),
        lambda: base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)),
        lambda: bytes.fromhex(value),
    )
    for decode in decoders:
        with contextlib.suppress(binascii.Error, ValueError):
            found.append(decode())
    return found


def digest_matches(supplied: str, expected: bytes, *, hex_only: bool = False) -> bool:
    """Constant-time comparison of a header value (base64 or hex) with the expected digest."""
    if hex_only:
        candidates = [bytes.fromhex(supplied)] if _is_hex(supplied) else []
    else:
        candidates = _decoded(supplied)
    matched = False
    for candidate in candidates:
        # compare_digest on every candidate: no early exit that would time the first match.
        matched |= hmac.compare_digest(candidate, expected)
    return matched


def _is_hex(value: str) -> bool:
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def require_base64_hmac(headers: Headers, body: bytes, secret: str, *names: str) -> None:
    """The documented scheme of Shopify, WooCommerce and Sapo: base64(HMAC-SHA256(raw body))."""
    supplied = header(headers, *names)
    if supplied is None:
        raise SignatureMissing(f"the {names[0]} header is missing")
    if not secret or not hmac.compare_digest(
        supplied.encode("ascii", "replace"),
        base64.b64encode(hmac_digest(secret, body)),
    ):
        raise SignatureMismatch(f"the {names[0]} signature does not match this store's secret")


def body_id(body: bytes) -> str:
    """A delivery id for platforms that send none: the hash of the raw bytes (never of re-encoded
    JSON, whose key order and spacing may differ between two deliveries of the same body)."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


def decode_json(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadPayload(f"the body is not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise BadPayload("the body is not a JSON object")
    return payload


@dataclass(frozen=True)
class ParseContext:
    """What a parser needs beyond the payload.

    ``region`` reads phone numbers written without a country code (the store's country);
    ``shop_url`` is the storefront's base URL, for product links (``https://shop.example.vn``);
    ``currency`` is the store's currency.
    """

    region: str = "VN"
    shop_url: str | None = None
    currency: str = "VND"  # when the payload names none (Sapo GO sells in VND only)


@dataclass(frozen=True)
class Delivery:
    """A verified delivery: what to store before answering 200."""

    platform: str
    topic: str
    delivery_id: str  # the platform's id for this delivery, or body_id(body)
    test: bool = False  # a test delivery: acknowledge, record nothing
    ping: bool = False  # WooCommerce's unsigned hello on webhook creation: answer 200 only
    shop: str | None = None  # shop domain / org id the platform names, for a consistency check


class Platform(Protocol):
    """One store platform's webhook dialect (a module in ``rcommerce.connectors.platforms``)."""

    name: str
    topics: tuple[str, ...]  # what the merchant subscribes to, in the order to show them

    def authenticate(self, headers: Headers, body: bytes, secret: str) -> Delivery:
        """Verify the signature over the raw body (SignatureMissing / SignatureMismatch) and read
        the delivery's topic, id and test flag (BadPayload when the body is not JSON)."""
        ...

    def parse(
        self, topic: str, payload: Mapping[str, Any], context: ParseContext
    ) -> list[ConnectorEvent]:
        """The events one payload of ``topic`` means; ``[Ignored(...)]`` when it means none."""
        ...


def parse_with(
    table: Mapping[str, Callable[[Mapping[str, Any], ParseContext], list[ConnectorEvent]]],
    topic: str,
    payload: Mapping[str, Any],
    context: ParseContext,
) -> list[ConnectorEvent]:
    """Dispatch on the topic; unknown topics are acknowledged and ignored."""
    handler = table.get(topic.strip().lower())
    if handler is None:
        return [Ignored(f"topic {topic!r} is not one rcommerce uses")]
    events = handler(payload, context)
    return events or [Ignored(f"nothing to do for this {topic} payload")]
