"""What a verified delivery is: its topic, its idempotency key, whether it is a test, whose shop."""

from __future__ import annotations

import pytest

from rcommerce import connectors
from rcommerce.connectors.webhooks import BadPayload, body_id
from tests.connectors.support import SECRET, b64_hmac, body, sha256_hex


def shopify(fixture: str, **headers: str) -> connectors.Delivery:
    raw = body(fixture)
    return connectors.authenticate(
        "shopify",
        headers={"X-Shopify-Hmac-Sha256": b64_hmac(raw), **headers},
        body=raw,
        secret=SECRET,
    )


def test_shopify_delivery_id_topic_and_shop() -> None:
    delivery = shopify(
        "shopify/orders_paid.json",
        **{
            "X-Shopify-Topic": "orders/paid",
            "X-Shopify-Webhook-Id": "545ebdd4-b7be-4d3d-b14e-54aa78e0e0f9",
            "X-Shopify-Shop-Domain": "moc.myshopify.com",
            "X-Shopify-Event-Id": "59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f",
        },
    )
    assert delivery.delivery_id == "545ebdd4-b7be-4d3d-b14e-54aa78e0e0f9"
    assert delivery.topic == "orders/paid"
    assert delivery.shop == "moc.myshopify.com"
    assert not delivery.test


def test_shopify_test_orders_are_test_deliveries() -> None:
    assert shopify("shopify/orders_create.json", **{"X-Shopify-Topic": "orders/create"}).test


def test_without_a_delivery_id_the_raw_body_hash_is_the_key() -> None:
    delivery = shopify("shopify/refunds_create.json", **{"X-Shopify-Topic": "refunds/create"})
    assert delivery.delivery_id == "sha256:" + sha256_hex(body("shopify/refunds_create.json"))
    assert delivery.delivery_id == body_id(body("shopify/refunds_create.json"))


def test_shopify_without_a_topic_is_a_bad_payload() -> None:
    with pytest.raises(BadPayload):
        shopify("shopify/orders_paid.json")


def test_woocommerce_delivery_id_topic_and_source() -> None:
    raw = body("woocommerce/product_created.json")
    delivery = connectors.authenticate(
        "woocommerce",
        headers={
            "content-type": "application/json",
            "x-wc-webhook-delivery-id": "4df0a951a314adc554e0f2016102e020",
            "x-wc-webhook-event": "created",
            "x-wc-webhook-id": "58",
            "x-wc-webhook-resource": "product",
            "x-wc-webhook-signature": b64_hmac(raw),
            "x-wc-webhook-source": "https://test-wordpress.molano.nl/",
            "x-wc-webhook-topic": "product.created",
        },
        body=raw,
        secret=SECRET,
    )
    assert delivery.delivery_id == "4df0a951a314adc554e0f2016102e020"
    assert delivery.topic == "product.created"
    assert delivery.shop == "https://test-wordpress.molano.nl/"


def test_woocommerce_topic_from_resource_and_event() -> None:
    raw = body("woocommerce/order_created.json")
    delivery = connectors.authenticate(
        "woocommerce",
        headers={
            "X-WC-Webhook-Signature": b64_hmac(raw),
            "X-WC-Webhook-Resource": "order",
            "X-WC-Webhook-Event": "updated",
            "X-WC-Delivery-ID": "77",
        },
        body=raw,
        secret=SECRET,
    )
    assert (delivery.topic, delivery.delivery_id) == ("order.updated", "77")


@pytest.mark.parametrize(("value", "test"), [("true", True), ("1", True), ("false", False)])
def test_haravan_test_header(value: str, test: bool) -> None:
    raw = body("haravan/orders_create.json")
    delivery = connectors.authenticate(
        "haravan",
        headers={
            "X-Haravan-Hmacsha256": b64_hmac(raw),
            "X-Haravan-Topic": "orders/create",
            "X-Haravan-Org-Id": "1000343028",
            "X-Haravan-Test": value,
        },
        body=raw,
        secret=SECRET,
    )
    assert delivery.test is test
    assert delivery.shop == "1000343028"
    assert delivery.delivery_id == body_id(raw)


def test_haravan_topic_and_org_from_the_body_when_headers_lack_them() -> None:
    raw = b'{"org_id": 1000343028, "topic": "orders/paid", "id": 1}'
    delivery = connectors.authenticate(
        "haravan", headers={"X-Haravan-Hmacsha256": b64_hmac(raw)}, body=raw, secret=SECRET
    )
    assert (delivery.topic, delivery.shop, delivery.test) == ("orders/paid", "1000343028", False)


@pytest.mark.parametrize(("value", "test"), [("true", True), ("True", True), ("false", False)])
def test_sapo_test_header_and_tenant(value: str, test: bool) -> None:
    raw = body("sapo/go_orders_update.json")
    delivery = connectors.authenticate(
        "sapo",
        headers={
            "x-sapo-hmac-sha256": b64_hmac(raw),
            "x-sapo-topic": "orders/update",
            "x-sapo-tenant-domain": "the-350f.mysapogo.com",
            "x-sapo-object-id": "318452761",
            "x-sapo-test": value,
            "user-agent": "JVM",
        },
        body=raw,
        secret=SECRET,
    )
    assert delivery.test is test
    assert delivery.shop == "the-350f.mysapogo.com"
    assert delivery.delivery_id == body_id(raw)


def test_a_redelivery_has_the_same_key_and_another_body_another() -> None:
    first = body("sapo/go_orders_update.json")
    second = body("sapo/go_orders_update_delivered.json")
    assert body_id(first) == body_id(bytes(first))
    assert body_id(first) != body_id(second)


def test_haravan_challenge_is_answered_only_with_the_right_token() -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": "moc-verify", "hub.challenge": "8827"}
    assert connectors.challenge_answer(query, "moc-verify") == "8827"
    assert connectors.challenge_answer(query, "other") is None
    assert connectors.challenge_answer(query, None) is None
    assert connectors.challenge_answer({**query, "hub.mode": "unsubscribe"}, "moc-verify") is None
    assert connectors.challenge_answer({**query, "hub.challenge": ""}, "moc-verify") is None


def test_topics_to_subscribe() -> None:
    assert "refunds/create" in connectors.topics_of("shopify")
    assert connectors.topics_of("woocommerce") == (
        "order.created",
        "order.updated",
        "product.created",
        "product.updated",
    )
    assert set(connectors.PLATFORMS) == {"haravan", "sapo", "shopify", "woocommerce"}
