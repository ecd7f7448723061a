"""Reward coupons reach each platform's Admin API in the shape it documents (local real servers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from rcommerce.connectors.coupons import (
    Coupon,
    CouponError,
    CouponUnsupported,
    StoreCredentials,
    create_coupon,
    make_http_client,
)
from tests.support import platform_apis as fake
from tests.support.platform_apis import PlatformAPIs

START = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def reward(code: str = "CAMON-7K3Q", **changes: object) -> Coupon:
    values: dict[str, object] = {
        "code": code,
        "kind": "fixed_amount",
        "value": Decimal("50000"),
        "starts_at": START,
        "ends_at": START + timedelta(days=30),
        "title": "rcommerce reward for Lan",
    }
    values.update(changes)
    return Coupon(**values)  # type: ignore[arg-type]


def shopify(api: PlatformAPIs, token: str = fake.SHOPIFY_TOKEN) -> StoreCredentials:
    return StoreCredentials("shopify", api.base_url, access_token=token)


def test_shopify_price_rule_then_discount_code(apis: PlatformAPIs, http: httpx.Client) -> None:
    created = create_coupon(shopify(apis), reward(minimum_subtotal=Decimal("200000")), http=http)
    assert apis.violations == []
    rule_call, code_call = apis.requests
    assert rule_call.path == "/admin/api/2025-01/price_rules.json"
    assert rule_call.headers["x-shopify-access-token"] == fake.SHOPIFY_TOKEN
    rule = rule_call.json["price_rule"]
    assert rule["value_type"] == "fixed_amount"
    assert rule["value"] == "-50000"
    assert (rule["usage_limit"], rule["once_per_customer"]) == (1, True)
    assert rule["starts_at"] == "2026-04-01T09:00:00+00:00"
    assert rule["prerequisite_subtotal_range"] == {"greater_than_or_equal_to": "200000"}
    assert (
        code_call.path == f"/admin/api/2025-01/price_rules/{created.parent_id}/discount_codes.json"
    )
    assert code_call.json == {"discount_code": {"code": "CAMON-7K3Q"}}
    assert created.code == "CAMON-7K3Q"
    assert created.remote_id == str(apis.codes["CAMON-7K3Q"][1])
    assert not created.already_existed


def test_shopify_percentage(apis: PlatformAPIs, http: httpx.Client) -> None:
    create_coupon(
        shopify(apis), reward(kind="percentage", value=Decimal("10"), ends_at=None), http=http
    )
    rule = apis.calls("price_rules.json")[0].json["price_rule"]
    assert (rule["value_type"], rule["value"]) == ("percentage", "-10")
    assert "ends_at" not in rule
    assert apis.violations == []


def test_a_retried_shopify_coupon_is_found_not_duplicated(
    apis: PlatformAPIs, http: httpx.Client
) -> None:
    first = create_coupon(shopify(apis), reward(), http=http)
    again = create_coupon(shopify(apis), reward(), http=http)
    assert again.already_existed
    assert (again.remote_id, again.parent_id) == (first.remote_id, first.parent_id)
    assert len(apis.rules) == 1, "the second, useless price rule was deleted"
    assert apis.calls("discount_codes/lookup.json", "GET")[0].query == {"code": "CAMON-7K3Q"}


def test_refused_credentials_are_not_retryable(apis: PlatformAPIs, http: httpx.Client) -> None:
    with pytest.raises(CouponError) as failed:
        create_coupon(shopify(apis, "wrong"), reward(), http=http)
    assert failed.value.status == 401
    assert not failed.value.retryable
    assert "credentials were refused" in str(failed.value)


def test_a_timeout_is_retryable(apis: PlatformAPIs) -> None:
    apis.delay = 0.5
    with (
        make_http_client(timeout=httpx.Timeout(0.1), transport=fake.loopback_transport()) as slow,
        pytest.raises(CouponError) as failed,
    ):
        create_coupon(shopify(apis), reward(), http=slow)
    assert failed.value.retryable


def test_a_private_api_address_is_refused_for_good(apis: PlatformAPIs) -> None:
    """The production client (no loopback allowance) never reaches the fake API."""
    with make_http_client() as guarded, pytest.raises(CouponError) as failed:
        create_coupon(shopify(apis), reward(), http=guarded)
    assert not failed.value.retryable
    assert str(failed.value).endswith("refused: private address")
    assert apis.requests == []


def test_nothing_listening_is_retryable(http: httpx.Client) -> None:
    from tests.support.servers import free_port

    closed = StoreCredentials("shopify", f"http://127.0.0.1:{free_port()}", access_token="x")
    with pytest.raises(CouponError) as failed:
        create_coupon(closed, reward(), http=http)
    assert failed.value.retryable


def test_sapo_web_price_rules_with_its_access_token(apis: PlatformAPIs, http: httpx.Client) -> None:
    credentials = StoreCredentials("sapo", apis.base_url, access_token=fake.SAPO_TOKEN)
    created = create_coupon(credentials, reward("BANBE-SAPO"), http=http)
    assert apis.violations == []
    assert [r.path for r in apis.requests] == [
        "/admin/price_rules.json",
        f"/admin/price_rules/{created.parent_id}/discount_codes.json",
    ]
    assert apis.requests[0].headers["x-sapo-access-token"] == fake.SAPO_TOKEN


def test_woocommerce_coupon(apis: PlatformAPIs, http: httpx.Client) -> None:
    credentials = StoreCredentials(
        "woocommerce", apis.base_url, api_key=fake.WOO_KEY, api_secret=fake.WOO_SECRET
    )
    created = create_coupon(
        credentials,
        reward("BanBe-Woo", email="lan@example.com", minimum_subtotal=Decimal("100")),
        http=http,
    )
    assert apis.violations == []
    (call,) = apis.requests
    assert call.path == "/wp-json/wc/v3/coupons"
    assert call.json == {
        "code": "BanBe-Woo",
        "discount_type": "fixed_cart",
        "amount": "50000",
        "individual_use": True,
        "usage_limit": 1,
        "usage_limit_per_user": 1,
        "description": "rcommerce reward for Lan",
        "date_expires_gmt": "2026-05-01T09:00:00",
        "minimum_amount": "100",
        "email_restrictions": ["lan@example.com"],
    }
    assert created.remote_id == str(apis.coupons["banbe-woo"]["id"])
    again = create_coupon(credentials, reward("BanBe-Woo"), http=http)
    assert again.already_existed and again.remote_id == created.remote_id


def test_woocommerce_percentage_and_bad_key(apis: PlatformAPIs, http: httpx.Client) -> None:
    good = StoreCredentials(
        "woocommerce", apis.base_url, api_key=fake.WOO_KEY, api_secret=fake.WOO_SECRET
    )
    create_coupon(good, reward("PCT", kind="percentage", value=Decimal("15")), http=http)
    assert apis.requests[0].json["discount_type"] == "percent"
    bad = StoreCredentials("woocommerce", apis.base_url, api_key="ck_x", api_secret="cs_x")
    with pytest.raises(CouponError) as failed:
        create_coupon(bad, reward("OTHER"), http=http)
    assert (failed.value.status, failed.value.retryable) == (401, False)


def test_haravan_discount(apis: PlatformAPIs, http: httpx.Client) -> None:
    credentials = StoreCredentials("haravan", apis.base_url, access_token=fake.HARAVAN_TOKEN)
    created = create_coupon(credentials, reward("HRV-50K"), http=http)
    assert apis.violations == []
    (call,) = apis.requests
    assert call.path == "/com/discounts.json"
    assert call.headers["authorization"] == f"Bearer {fake.HARAVAN_TOKEN}"
    discount = call.json["discount"]
    assert (discount["code"], discount["take_type"], discount["value"]) == (
        "HRV-50K",
        "fixed_amount",
        50000,
    )
    assert discount["usage_limit"] == 1 and discount["is_promotion"] is True
    assert created.remote_id == str(apis.coupons["HRV-50K"]["id"])
    assert create_coupon(credentials, reward("HRV-50K"), http=http).already_existed


def test_platforms_without_a_coupon_api_say_so(http: httpx.Client) -> None:
    with pytest.raises(CouponUnsupported):
        create_coupon(StoreCredentials("magento", "http://127.0.0.1:9"), reward(), http=http)


def test_missing_credentials_are_a_clear_permanent_error(http: httpx.Client) -> None:
    for platform in ("shopify", "sapo", "woocommerce", "haravan"):
        with pytest.raises(CouponError) as failed:
            create_coupon(StoreCredentials(platform, "http://127.0.0.1:9"), reward(), http=http)
        assert not failed.value.retryable


def test_a_coupon_checks_its_own_value() -> None:
    with pytest.raises(ValueError):
        reward(kind="percentage", value=Decimal("150"))
    with pytest.raises(ValueError):
        reward(value=Decimal("0"))
    with pytest.raises(ValueError):
        reward(code=" ")


def test_credentials_keep_secrets_out_of_repr() -> None:
    text = repr(
        StoreCredentials("woocommerce", "https://x", api_key="ck_secret", api_secret="cs_secret")
    )
    assert "ck_secret" not in text and "cs_secret" not in text
