"""Every platform's signature is checked over the raw body: good passes, bad and missing are 401."""

from __future__ import annotations

import pytest

from rcommerce import connectors
from rcommerce.connectors.webhooks import (
    SignatureMismatch,
    SignatureMissing,
    WebhookRefused,
    digest_matches,
)
from tests.connectors.support import SECRET, b64_hmac, body, hex_hmac

CASES = [
    (
        "shopify",
        "X-Shopify-Hmac-Sha256",
        {"X-Shopify-Topic": "orders/create"},
        "shopify/orders_paid.json",
    ),
    (
        "woocommerce",
        "X-WC-Webhook-Signature",
        {"X-WC-Webhook-Topic": "order.created"},
        "woocommerce/order_created.json",
    ),
    (
        "haravan",
        "X-Haravan-Hmacsha256",
        {"X-Haravan-Topic": "orders/create"},
        "haravan/orders_create.json",
    ),
    ("sapo", "X-Sapo-Hmac-Sha256", {"X-Sapo-Topic": "orders/update"}, "sapo/go_orders_update.json"),
]


@pytest.mark.parametrize(("platform", "name", "extra", "fixture"), CASES)
def test_a_good_signature_is_accepted(
    platform: str, name: str, extra: dict[str, str], fixture: str
) -> None:
    raw = body(fixture)
    delivery = connectors.authenticate(
        platform, headers={name: b64_hmac(raw), **extra}, body=raw, secret=SECRET
    )
    assert delivery.platform == platform
    assert not delivery.ping


@pytest.mark.parametrize(("platform", "name", "extra", "fixture"), CASES)
def test_header_names_are_case_insensitive(
    platform: str, name: str, extra: dict[str, str], fixture: str
) -> None:
    raw = body(fixture)
    headers = {k.lower(): v for k, v in {name: b64_hmac(raw), **extra}.items()}
    connectors.authenticate(platform, headers=headers, body=raw, secret=SECRET)


@pytest.mark.parametrize(("platform", "name", "extra", "fixture"), CASES)
def test_a_signature_made_with_another_secret_is_refused(
    platform: str, name: str, extra: dict[str, str], fixture: str
) -> None:
    raw = body(fixture)
    headers = {name: b64_hmac(raw, "another-store-secret"), **extra}
    with pytest.raises(SignatureMismatch) as refused:
        connectors.authenticate(platform, headers=headers, body=raw, secret=SECRET)
    assert refused.value.status == 401


@pytest.mark.parametrize(("platform", "name", "extra", "fixture"), CASES)
def test_a_body_changed_after_signing_is_refused(
    platform: str, name: str, extra: dict[str, str], fixture: str
) -> None:
    raw = body(fixture)
    tampered = raw.replace(b'"total', b'"total ', 1)
    assert tampered != raw
    with pytest.raises(SignatureMismatch):
        connectors.authenticate(
            platform, headers={name: b64_hmac(raw), **extra}, body=tampered, secret=SECRET
        )


@pytest.mark.parametrize(("platform", "name", "extra", "fixture"), CASES)
def test_re_encoded_json_is_not_the_signed_body(
    platform: str, name: str, extra: dict[str, str], fixture: str
) -> None:
    """Verifying json.dumps(json.loads(body)) would be wrong: key order and spacing differ."""
    import json

    raw = body(fixture)
    reencoded = json.dumps(json.loads(raw)).encode()
    with pytest.raises(SignatureMismatch):
        connectors.authenticate(
            platform, headers={name: b64_hmac(raw), **extra}, body=reencoded, secret=SECRET
        )


@pytest.mark.parametrize(("platform", "name", "extra", "fixture"), CASES)
def test_a_missing_signature_is_refused(
    platform: str, name: str, extra: dict[str, str], fixture: str
) -> None:
    with pytest.raises(SignatureMissing) as refused:
        connectors.authenticate(platform, headers=extra, body=body(fixture), secret=SECRET)
    assert refused.value.status == 401
    assert refused.value.code == "signature_missing"


@pytest.mark.parametrize(("platform", "name", "extra", "fixture"), CASES)
def test_no_configured_secret_verifies_nothing(
    platform: str, name: str, extra: dict[str, str], fixture: str
) -> None:
    raw = body(fixture)
    with pytest.raises(SignatureMismatch):
        connectors.authenticate(
            platform, headers={name: b64_hmac(raw, ""), **extra}, body=raw, secret=""
        )


@pytest.mark.parametrize(
    "name",
    ["X-Haravan-Hmacsha256", "X-Haravan-Hmac-Sha256", "X-Haravan-Hmac", "x-haravan-hmacsha256"],
)
@pytest.mark.parametrize("encoding", ["base64", "hex", "HEX"])
def test_haravan_accepts_the_header_and_encoding_variants_seen_in_the_field(
    name: str, encoding: str
) -> None:
    raw = body("haravan/orders_create.json")
    signature = {"base64": b64_hmac(raw), "hex": hex_hmac(raw), "HEX": hex_hmac(raw).upper()}
    delivery = connectors.authenticate(
        "haravan",
        headers={name: signature[encoding], "X-Haravan-Topic": "orders/create"},
        body=raw,
        secret=SECRET,
    )
    assert delivery.topic == "orders/create"


def test_haravan_accepts_the_legacy_sha1_hex_signature_only_in_hex() -> None:
    raw = body("haravan/orders_create.json")
    headers = {"X-Haravan-Topic": "orders/create"}
    connectors.authenticate(
        "haravan",
        headers={"X-Haravan-Hmac-Sha256": hex_hmac(raw, algorithm="sha1"), **headers},
        body=raw,
        secret=SECRET,
    )
    with pytest.raises(SignatureMismatch):
        connectors.authenticate(
            "haravan",
            headers={"X-Haravan-Hmac-Sha256": b64_hmac(raw, algorithm="sha1"), **headers},
            body=raw,
            secret=SECRET,
        )


def test_haravan_refuses_garbage_and_a_wrong_hex_signature() -> None:
    raw = body("haravan/orders_create.json")
    for garbage in ["not-a-signature", hex_hmac(raw, "wrong"), "=="]:
        with pytest.raises(SignatureMismatch):
            connectors.authenticate(
                "haravan",
                headers={"X-Haravan-Hmacsha256": garbage, "X-Haravan-Topic": "orders/create"},
                body=raw,
                secret=SECRET,
            )


@pytest.mark.parametrize("platform", ["shopify", "woocommerce", "sapo"])
def test_documented_base64_platforms_do_not_take_hex(platform: str) -> None:
    name, extra, fixture = next((n, e, f) for p, n, e, f in CASES if p == platform)
    raw = body(fixture)
    with pytest.raises(SignatureMismatch):
        connectors.authenticate(
            platform, headers={name: hex_hmac(raw), **extra}, body=raw, secret=SECRET
        )


def test_digest_matches_compares_every_decoding() -> None:
    expected = bytes(range(32))
    assert digest_matches(expected.hex(), expected)
    assert not digest_matches("", expected)
    assert not digest_matches("zz", expected, hex_only=True)


def test_woocommerce_ping_is_answered_without_a_signature() -> None:
    delivery = connectors.authenticate(
        "woocommerce",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=body("woocommerce/ping.txt"),
        secret=SECRET,
    )
    assert delivery.ping
    assert delivery.topic == "ping"


def test_an_unsigned_body_that_is_not_a_ping_is_refused() -> None:
    with pytest.raises(SignatureMissing):
        connectors.authenticate(
            "woocommerce", headers={}, body=b"webhook_id=58&total=1", secret=SECRET
        )


def test_a_signed_body_that_is_not_json_is_a_bad_payload() -> None:
    raw = b"<xml/>"
    with pytest.raises(WebhookRefused) as refused:
        connectors.authenticate(
            "shopify",
            headers={"X-Shopify-Hmac-Sha256": b64_hmac(raw), "X-Shopify-Topic": "orders/create"},
            body=raw,
            secret=SECRET,
        )
    assert refused.value.status == 400


def test_an_unknown_platform_is_named() -> None:
    with pytest.raises(connectors.UnknownPlatform):
        connectors.authenticate("magento", headers={}, body=b"{}", secret=SECRET)
