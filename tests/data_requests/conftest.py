"""Fixtures: review requests by Zalo ZNS and SMS go to the fake gateways on loopback, so a
buyer known by phone has messages to export and erase."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from rcommerce.phones import service as phones
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support import platform_apis as fake
from tests.support.platform_apis import PlatformAPIs, apis, platform_apis_server
from tests.support.referrals import drain as drain_clicks
from tests.support.referrals import enrol, follow
from tests.support.reviews import ORIGIN, add_products
from tests.support.runtime import Clock, StoreKeys

__all__ = ["apis", "platform_apis_server"]

EMAIL, PHONE = "lan@example.com", "+84912345678"
BOTH = {"email": "Lan@Example.com", "phone": "0912 345 678"}


@pytest.fixture
def settings(settings: Settings, platform_apis_server: PlatformAPIs) -> Settings:
    base = platform_apis_server.base_url
    return settings.with_overrides(
        test_private_networks=("127.0.0.0/8",),
        messaging=(
            ("RCOMMERCE_SMS_AUTHORIZATION", fake.SMS_AUTH),
            ("RCOMMERCE_SMS_URL", f"{base}/sms/send"),
            ("RCOMMERCE_ZNS_ACCESS_TOKEN", fake.ZNS_TOKEN),
            ("RCOMMERCE_ZNS_TEMPLATE_ID", "492946"),
            ("RCOMMERCE_ZNS_URL", f"{base}/message/template"),
        ),
    )


def drain(runtime: Runtime) -> None:
    runtime.dispatcher.drain()  # type: ignore[attr-defined]


def lan_everywhere(client: TestClient, runtime: Runtime, keys: StoreKeys, clock: Clock) -> None:
    """Lan in one store: an order with her phone only, shipped and asked for a review by Zalo;
    her phone's opt-out of the store's messages; a review and a question with her e-mail; an
    advocate account with a click; and Hoa, someone else, beside her."""
    add_products(runtime, keys)
    placed = client.post(
        "/api/v1/orders",
        headers=keys.auth,
        json={
            "order_id": "DH-PHONE",
            "phone": "0912 345 678",
            "customer_name": "Trần Thị Lan",
            "total": "189000",
            "currency": "VND",
            "items": [{"product_id": "ao-thun", "name": "Áo thun cotton", "price": "189000"}],
        },
    )
    assert placed.status_code == 201, placed.text
    shipped = client.post("/api/v1/orders/DH-PHONE/fulfil", headers=keys.auth)
    assert shipped.status_code == 202, shipped.text
    clock.advance(days=7, minutes=1)
    drain(runtime)
    opt_out = phones.opt_out_url(runtime.settings, keys.store_id, "+84912345678")
    assert client.post(opt_out.removeprefix(runtime.settings.base_url)).status_code == 200
    other = client.post(
        "/api/v1/orders",
        headers=keys.auth,
        json={
            "order_id": "DH-HOA",
            "email": "hoa@example.com",
            "total": "99000",
            "currency": "VND",
        },
    )
    assert other.status_code == 201, other.text
    for email, name, body in (
        (EMAIL, "Lan", "Vải mát, form đẹp, giao hàng nhanh."),
        ("hoa@example.com", "Hoa", "Đóng gói cẩn thận, sẽ mua lại."),
    ):
        review = client.post(
            f"/embed/v1/{keys.publishable_key}/reviews",
            json={"product_id": "ao-thun", "rating": 5, "body": body, "name": name, "email": email},
            headers={"Origin": ORIGIN},
        )
        assert review.status_code == 202, review.text
        question = client.post(
            f"/embed/v1/{keys.publishable_key}/products/tai-nghe/questions",
            json={"body": f"{name} hỏi: áo này giặt máy được không?", "name": name, "email": email},
            headers={"Origin": ORIGIN},
        )
        assert question.status_code == 202, question.text
    drain(runtime)
    advocate = enrol(client, keys, email=EMAIL, name="Lan")
    follow(client, advocate["referral_code"], "zalo")
    drain_clicks(runtime)


@pytest.fixture
def other_store(make_store: Callable[..., StoreKeys]) -> StoreKeys:
    return make_store(name="Other shop")


@pytest.fixture
def lan(
    client: TestClient,
    runtime: Runtime,
    store: StoreKeys,
    other_store: StoreKeys,
    clock: Clock,
    apis: PlatformAPIs,
) -> None:
    """Lan in both stores, with the same e-mail and phone."""
    lan_everywhere(client, runtime, store, clock)
    lan_everywhere(client, runtime, other_store, clock)
    assert len(apis.calls("/message/template", "POST")) == 2  # one Zalo message each
