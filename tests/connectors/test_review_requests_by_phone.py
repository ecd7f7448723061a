"""A buyer known only by phone (a Sapo GO order with an empty e-mail) is asked for a review by
Zalo ZNS, on the local ZNS server, and by SMS when Zalo answers an error."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.connectors.support import SECRET, body, changed, headers
from tests.support import platform_apis as fake
from tests.support.platform_apis import PlatformAPIs
from tests.support.runtime import Clock, StoreKeys

SAPO_GO = "sapo/go_orders_update.json"
TENANT = {"X-Sapo-Tenant-Domain": "the-350f.mysapogo.com", "X-Sapo-Test": "false"}


@pytest.fixture
def settings(settings: Settings, platform_apis_server: PlatformAPIs) -> Settings:
    """ZNS and the SMS gateway configured as the environment would, pointing at the local
    servers on loopback (which production's outbound guard refuses)."""
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


def deliver(client: TestClient, store: StoreKeys, raw: bytes) -> None:
    answer = client.post(
        f"/connect/sapo/{store.store_id}/webhooks",
        content=raw,
        headers=headers("sapo", raw, "orders/update", **TENANT),
    )
    assert answer.json()["status"] == "accepted", answer.text


def order_from_sapo_go_then_shipped(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> dict[str, Any]:
    """An earlier order typed +84…, then the Sapo GO order (``"email": ""``, ``0912 345 678``)
    recorded and shipped; the review request's delay passes. The order as the API shows it."""
    earlier = client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "POS-1", "phone": "+84 91 234 5678", "total": "1", "currency": "VND"},
    )
    assert earlier.status_code == 201
    answer = client.put(
        "/api/v1/connectors/sapo",
        headers=store.auth,
        json={"webhook_secret": SECRET, "shop_domain": "the-350f.mysapogo.com"},
    )
    assert answer.status_code == 200
    assert b'"email": ""' in body(SAPO_GO)
    deliver(client, store, body(SAPO_GO))
    deliver(client, store, changed(SAPO_GO, fulfillment_status="shipped"))
    runtime.dispatcher.drain()
    order: dict[str, Any] = client.get("/api/v1/orders/318452761", headers=store.auth).json()
    assert (order["email"], order["phone"]) == (None, "+84912345678")
    first = client.get("/api/v1/orders/POS-1", headers=store.auth).json()
    assert first["phone"] == order["phone"]  # one buyer, however the number was typed
    assert order["fulfilled_at"] is not None
    assert order["review_request"]["status"] == "scheduled"
    clock.advance(days=7, minutes=1)
    runtime.dispatcher.drain()
    shown: dict[str, Any] = client.get("/api/v1/orders/318452761", headers=store.auth).json()
    return shown


def test_the_review_request_goes_by_zns_with_the_signed_link_in_its_button(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock, apis: PlatformAPIs
) -> None:
    order = order_from_sapo_go_then_shipped(client, runtime, store, clock)
    assert (order["review_request"]["status"], order["review_request"]["channel"]) == (
        "sent",
        "zns",
    )
    assert apis.violations == []
    (call,) = apis.calls("/message/template", "POST")
    assert (call.json["phone"], call.json["template_id"]) == ("84912345678", "492946")
    data = call.json["template_data"]
    assert (data["customer_name"], data["order_code"]) == ("TikTok Phạm Thị Hoa", "SON687034")
    assert apis.calls("/sms/send") == []
    # The button's link is the order's signed review link: it opens the form, once.
    link = urlsplit(data["review_url"])
    assert link.path.startswith("/reviews/write/")
    form = client.get(link.path)
    assert form.status_code == 200 and "Phạm Thị Hoa" in form.text
    tampered = client.get(link.path[:-3] + "xyz")
    assert tampered.status_code in (400, 404, 410)


def test_a_phone_buyers_review_is_theirs_to_edit_export_and_erase(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock, apis: PlatformAPIs
) -> None:
    order_from_sapo_go_then_shipped(client, runtime, store, clock)
    (call,) = apis.calls("/message/template", "POST")
    link = urlsplit(call.json["template_data"]["review_url"]).path
    review = {"product-0": "21876543", "rating-0": "4", "body-0": "Thơm dịu, cháy đều.",
              "name": "Hoa", "website": ""}  # fmt: skip
    assert client.post(link, data=review).status_code == 200
    # Another buyer known only by phone, with a review of the same product and no e-mail.
    client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "POS-2", "phone": "0987 654 321", "total": "1", "currency": "VND",
              "items": [{"product_id": "21876543", "name": "Nến"}]},
    )  # fmt: skip
    client.post("/api/v1/orders/POS-2/fulfil", headers=store.auth)
    clock.advance(days=7, minutes=1)
    runtime.dispatcher.drain()
    other = urlsplit(apis.calls("/message/template", "POST")[1].json["template_data"]["review_url"])
    assert client.post(other.path, data={**review, "body-0": "Hơi nhỏ."}).status_code == 200
    runtime.dispatcher.drain()
    # The link opens the buyer's own review again, and a second answer edits it.
    again = client.get(link)
    assert "Thơm dịu, cháy đều." in again.text and "Hơi nhỏ." not in again.text
    client.post(link, data={**review, "rating-0": "5", "body-0": "Rất thơm."})
    runtime.dispatcher.drain()

    typed = {"phone": "0912 345 678"}
    exported = client.post("/api/v1/reviews/privacy/export", headers=store.auth, json=typed)
    assert exported.status_code == 200, exported.text
    mine = exported.json()
    assert [r["body"] for r in mine["reviews"]] == ["Rất thơm."]
    assert [(r["phone"], r["channel"]) for r in mine["review_requests"]] == [
        ("+84912345678", "zns")
    ]
    orders = client.post("/api/v1/orders/privacy/export", headers=store.auth, json=typed).json()
    assert sorted(o["order_id"] for o in orders["orders"]) == ["318452761", "POS-1"]

    erased = client.post("/api/v1/reviews/privacy/erase", headers=store.auth, json=typed).json()
    assert erased == {"reviews": 1, "testimonials": 0, "review_requests": 1}
    gone = client.post("/api/v1/orders/privacy/erase", headers=store.auth, json=typed).json()
    assert gone == {"orders": 2}
    order = client.get("/api/v1/orders/318452761", headers=store.auth).json()
    assert (order["email"], order["phone"], order["customer_name"]) == (None, None, "")
    left = client.post("/api/v1/reviews/privacy/export", headers=store.auth, json=typed).json()
    assert left["reviews"] == [] and left["review_requests"] == []
    others = client.post(
        "/api/v1/reviews/privacy/export", headers=store.auth, json={"phone": "+84987654321"}
    ).json()
    assert [r["body"] for r in others["reviews"]] == ["Hơi nhỏ."]
    refused = client.post("/api/v1/orders/privacy/export", headers=store.auth, json={})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid"


def test_when_zalo_answers_an_error_the_request_goes_by_sms(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock, apis: PlatformAPIs
) -> None:
    apis.zns_error = -118  # no Zalo account for this number
    order = order_from_sapo_go_then_shipped(client, runtime, store, clock)
    assert (order["review_request"]["status"], order["review_request"]["channel"]) == (
        "sent",
        "sms",
    )
    assert len(apis.calls("/message/template", "POST")) == 1
    (sms,) = apis.calls("/sms/send", "POST")
    assert sms.json["to"] == "84912345678"
    assert "/reviews/write/" in sms.json["text"] and "SON687034" in sms.json["text"]
    assert apis.violations == []


def test_when_every_phone_channel_refuses_for_good_the_request_fails(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock, apis: PlatformAPIs
) -> None:
    apis.zns_error = -118
    apis.sms_status = 400  # the gateway refuses this message: a retry cannot help
    order = order_from_sapo_go_then_shipped(client, runtime, store, clock)
    assert (order["review_request"]["status"], order["review_request"]["channel"]) == (
        "failed",
        None,
    )


def test_a_malformed_phone_setting_leaves_its_channel_out(settings: Settings) -> None:
    from rcommerce.reviews.request_phone import phone_senders

    assert [s.channel for s in phone_senders(settings)] == ["zns", "sms"]
    broken = settings.with_overrides(
        messaging=(*settings.messaging, ("RCOMMERCE_SMS_PHONE_FORMAT", "morse"))
    )
    assert [s.channel for s in phone_senders(broken)] == ["zns"]
