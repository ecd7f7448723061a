"""Signed platform webhooks reach the orders service: recorded once, attributed through the
rc_ref the payload carries, refunded and clawed back; anything unsigned stores nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import func, select
from starlette.testclient import TestClient

from rcommerce.connectors import inbound
from rcommerce.connectors.models import ConnectorDelivery
from rcommerce.orders.models import Order
from rcommerce.runtime import Runtime
from tests.connectors.support import SECRET, body, changed, headers, with_token
from tests.support.referrals import enrol, follow
from tests.support.runtime import StoreKeys


@dataclass(frozen=True)
class Case:
    platform: str
    created_topic: str
    created: str  # fixture name
    order_id: str
    number: str
    cancel_topic: str
    currency: str = "VND"

    def cancelled(self) -> bytes:
        """The same order cancelled, as the platform would send it."""
        if self.platform == "shopify":
            return changed(
                self.created,
                cancelled_at="2026-03-15T09:00:00+07:00",
                cancel_reason="customer",
                financial_status="voided",
            )
        if self.platform == "sapo":
            return changed(self.created, cancelled_on="2026-02-03T08:00:00Z", cancel_reason="other")
        return body(f"{self.platform}/{_CANCELLED[self.platform]}")


_CANCELLED = {"haravan": "orders_cancelled.json", "woocommerce": "order_updated_cancelled.json"}
CASES = [
    Case("shopify", "orders/create", "shopify/orders_paid.json", "5940139491234", "#1001",
         "orders/cancelled"),
    Case("woocommerce", "order.created", "woocommerce/order_created.json", "727", "727",
         "order.updated", currency="USD"),
    Case("haravan", "orders/create", "haravan/orders_create.json", "1280371234", "#100235",
         "orders/cancelled"),
    Case("sapo", "orders/create", "sapo/web_orders_create.json", "25571234", "#1001",
         "orders/cancelled"),
]  # fmt: skip


def connect(client: TestClient, store: StoreKeys, platform: str, **fields: Any) -> None:
    answer = client.put(
        f"/api/v1/connectors/{platform}",
        headers=store.auth,
        json={"webhook_secret": SECRET, **fields},
    )
    assert answer.status_code == 200, answer.text


def url(store: StoreKeys, platform: str) -> str:
    return f"/connect/{platform}/{store.store_id}/webhooks"


def count(runtime: Runtime, model: type) -> int:
    with runtime.transaction(readonly=True) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


@pytest.mark.parametrize("case", CASES, ids=[case.platform for case in CASES])
def test_an_order_is_recorded_once_attributed_and_clawed_back(
    client: TestClient, runtime: Runtime, make_store: Any, case: Case
) -> None:
    store = make_store(currency=case.currency)
    connect(client, store, case.platform)
    token = follow(client, enrol(client, store, "advocate@example.com")["referral_code"])
    created = with_token(body(case.created), token)
    first = client.post(
        url(store, case.platform),
        content=created,
        headers=headers(case.platform, created, case.created_topic, delivery_id="d-1"),
    )
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "accepted"
    again = client.post(
        url(store, case.platform),
        content=created,
        headers=headers(case.platform, created, case.created_topic, delivery_id="d-1"),
    )
    assert again.json()["status"] == "duplicate"
    runtime.dispatcher.drain()

    order = client.get(f"/api/v1/orders/{case.order_id}", headers=store.auth).json()
    assert (order["source"], order["number"], order["status"]) == (
        case.platform,
        case.number,
        "placed",
    )
    assert order["attribution"]["attributed"] is True, order
    assert order["attribution"]["attributed_by"] == "token"
    # The same order sent again under a new delivery id (an orders/updated) changes nothing.
    resent = client.post(
        url(store, case.platform),
        content=created + b"\n",
        headers=headers(case.platform, created + b"\n", case.created_topic, delivery_id="d-2"),
    )
    assert resent.json()["status"] == "accepted"
    runtime.dispatcher.drain()
    assert count(runtime, Order) == 1

    cancelled = case.cancelled()
    refund = client.post(
        url(store, case.platform),
        content=cancelled,
        headers=headers(case.platform, cancelled, case.cancel_topic, delivery_id="d-3"),
    )
    assert refund.status_code == 200
    runtime.dispatcher.drain()
    order = client.get(f"/api/v1/orders/{case.order_id}", headers=store.auth).json()
    assert order["status"] == "refunded"
    assert order["refunded_amount"] == order["total"]
    assert order["attribution"]["conversion_status"] == "reversed"
    with runtime.transaction(readonly=True) as session:
        rows = session.exec(select(ConnectorDelivery).order_by(ConnectorDelivery.id)).all()
    assert [row.status for row in rows] == ["processed"] * 3
    assert rows[1].outcome[0] == f"order {case.order_id}: known"
    listed = client.get("/api/v1/connectors", headers=store.auth).json()["connectors"][0]
    assert listed["deliveries"] == 3 and listed["last_delivery_at"] is not None


@pytest.mark.parametrize("case", CASES, ids=[case.platform for case in CASES])
def test_a_wrong_signature_is_refused_and_nothing_stored(
    client: TestClient, runtime: Runtime, store: StoreKeys, case: Case
) -> None:
    connect(client, store, case.platform)
    raw = body(case.created)
    forged = client.post(
        url(store, case.platform),
        content=raw,
        headers=headers(case.platform, raw, case.created_topic, secret="not-the-secret"),
    )
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "signature_mismatch"
    unsigned = client.post(
        url(store, case.platform),
        content=raw,
        headers={"Content-Type": "application/json", "X-Shopify-Topic": case.created_topic},
    )
    assert unsigned.status_code == 401
    runtime.dispatcher.drain()
    assert count(runtime, ConnectorDelivery) == count(runtime, Order) == 0
    listed = client.get("/api/v1/connectors", headers=store.auth).json()["connectors"][0]
    assert listed["refused_signatures"] == 2 and listed["last_refused_at"] is not None
    assert listed["deliveries"] == 0


def test_a_flood_of_forgeries_is_counted_up_to_a_limit(
    client: TestClient, runtime: Runtime, store: StoreKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbound, "REFUSALS_COUNTED_PER_MINUTE", 3)
    connect(client, store, "shopify")
    raw = body("shopify/orders_paid.json")
    for _ in range(6):
        forged = client.post(
            url(store, "shopify"),
            content=raw,
            headers=headers("shopify", raw, "orders/paid", secret="forged-secret"),
        )
        assert forged.status_code == 401
    listed = client.get("/api/v1/connectors", headers=store.auth).json()["connectors"][0]
    assert listed["refused_signatures"] == 3


def test_test_deliveries_record_nothing(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    connect(client, store, "shopify")
    connect(client, store, "sapo")
    test_order = body("shopify/orders_create.json")  # Shopify's sample: "test": true
    answer = client.post(
        url(store, "shopify"),
        content=test_order,
        headers=headers("shopify", test_order, "orders/create", delivery_id="t-1"),
    )
    assert answer.json()["status"] == "test"
    sapo = body("sapo/go_orders_update.json")
    answer = client.post(
        url(store, "sapo"),
        content=sapo,
        headers=headers("sapo", sapo, "orders/update", **{"X-Sapo-Test": "true"}),
    )
    assert answer.json()["status"] == "test"
    # The refund of a test order arrives unmarked, for an order never recorded: ignored.
    refund = body("shopify/refunds_create.json")
    answer = client.post(
        url(store, "shopify"), content=refund, headers=headers("shopify", refund, "refunds/create")
    )
    assert answer.json()["status"] == "accepted"
    runtime.dispatcher.drain()
    assert count(runtime, Order) == 0
    with runtime.transaction(readonly=True) as session:
        (row,) = session.exec(select(ConnectorDelivery)).all()
    assert row.outcome == ["order 820982911946154508: refund ignored (unknown order)"]


def test_woocommerce_ping_is_answered(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    connect(client, store, "woocommerce")
    ping = client.post(
        url(store, "woocommerce"),
        content=body("woocommerce/ping.txt"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert ping.status_code == 200 and ping.json()["status"] == "ping"
    assert count(runtime, ConnectorDelivery) == 0


def test_haravan_subscription_check(client: TestClient, store: StoreKeys) -> None:
    connect(client, store, "haravan", verify_token="verify-me-123")
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me-123", "hub.challenge": "c-42"}
    answer = client.get(url(store, "haravan"), params=query)
    assert answer.status_code == 200
    assert answer.text == "c-42"
    assert answer.headers["content-type"].startswith("text/plain")
    wrong = client.get(url(store, "haravan"), params={**query, "hub.verify_token": "guess"})
    assert wrong.status_code == 403
    elsewhere = client.get(f"/connect/haravan/{store.store_id + 99}/webhooks", params=query)
    assert elsewhere.status_code == 404


def test_unknown_addresses_say_nothing_more(
    client: TestClient, store: StoreKeys, make_store: Any
) -> None:
    connect(client, store, "shopify")
    other = make_store(name="Other")
    raw = body("shopify/orders_paid.json")
    signed = headers("shopify", raw, "orders/paid")
    answers = [
        client.post(f"/connect/magento/{store.store_id}/webhooks", content=raw, headers=signed),
        client.post(
            f"/connect/shopify/{store.store_id + 99}/webhooks", content=raw, headers=signed
        ),
        client.post(url(other, "shopify"), content=raw, headers=signed),  # no connector there
        client.post(url(store, "sapo"), content=raw, headers=signed),
    ]
    assert [a.status_code for a in answers] == [404] * 4
    assert len({a.json()["error"]["message"] for a in answers[1:]}) == 1


def test_a_delivery_for_another_shop_is_refused(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    """One Shopify app secret signs every shop that installed the app: the shop must match."""
    connect(client, store, "shopify", shop_domain="moc.myshopify.com")
    raw = body("shopify/orders_paid.json")
    foreign = client.post(
        url(store, "shopify"),
        content=raw,
        headers=headers(
            "shopify", raw, "orders/paid", **{"X-Shopify-Shop-Domain": "other.myshopify.com"}
        ),
    )
    assert foreign.status_code == 403
    own = client.post(
        url(store, "shopify"),
        content=raw,
        headers=headers(
            "shopify", raw, "orders/paid", **{"X-Shopify-Shop-Domain": "MOC.myshopify.com"}
        ),
    )
    assert own.json()["status"] == "accepted"
    assert count(runtime, ConnectorDelivery) == 1


def test_bodies_are_size_limited(client: TestClient, store: StoreKeys) -> None:
    connect(client, store, "sapo")
    huge = b'{"id": 1, "note": "' + b"x" * inbound.MAX_DELIVERY_BYTES + b'"}'
    answer = client.post(
        url(store, "sapo"), content=huge, headers=headers("sapo", huge, "orders/create")
    )
    assert answer.status_code == 413


def test_a_sapo_go_order_without_email_is_known_by_its_phone(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    earlier = client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "POS-1", "phone": "+84 91 234 5678", "total": "1", "currency": "VND"},
    )
    assert earlier.status_code == 201
    connect(client, store, "sapo", shop_domain="the-350f.mysapogo.com")
    raw = body("sapo/go_orders_update.json")
    answer = client.post(
        url(store, "sapo"),
        content=raw,
        headers=headers(
            "sapo",
            raw,
            "orders/update",
            **{"X-Sapo-Tenant-Domain": "the-350f.mysapogo.com", "X-Sapo-Test": "false"},
        ),
    )
    assert answer.json()["status"] == "accepted"
    runtime.dispatcher.drain()
    order = client.get("/api/v1/orders/318452761", headers=store.auth).json()
    assert (order["email"], order["phone"]) == (None, "+84912345678")
    assert (order["number"], order["source"], order["customer_name"]) == (
        "SON687034",
        "sapo",
        "TikTok Phạm Thị Hoa",
    )
    first = client.get("/api/v1/orders/POS-1", headers=store.auth).json()
    assert first["phone"] == order["phone"]  # one buyer, however the number was typed


def test_a_partial_refund_is_applied_once_and_reduces_the_reward(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    connect(client, store, "haravan")
    advocate = enrol(client, store, "advocate@example.com")
    token = follow(client, advocate["referral_code"])
    for fixture, topic in (
        ("haravan/orders_create.json", "orders/create"),
        ("haravan/orders_updated_partial_refund.json", "orders/updated"),
        ("haravan/orders_updated_partial_refund.json", "orders/updated"),  # redelivered
    ):
        raw = with_token(body(fixture), token)
        client.post(url(store, "haravan"), content=raw, headers=headers("haravan", raw, topic))
    # The same refund in a later update of the order (other bytes, same refund id).
    raw = with_token(body("haravan/orders_updated_partial_refund.json"), token) + b" "
    client.post(url(store, "haravan"), content=raw, headers=headers("haravan", raw, "orders/paid"))
    runtime.dispatcher.drain()
    order = client.get("/api/v1/orders/1280371234", headers=store.auth).json()
    assert (order["status"], order["refunded_amount"]) == ("placed", "100000.00")
    assert order["fulfilled_at"] is not None
    assert order["review_request"] is None  # known by phone only: no e-mail to send it to
    assert order["attribution"]["conversion_status"] == "pending"
    kept = (Decimal(order["total"]) - Decimal("100000")) / Decimal(order["total"])
    (reward,) = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()[
        "rewards"
    ]
    assert Decimal(reward["value"]) == (Decimal("50000") * kept).quantize(Decimal("0.01"))
    with runtime.transaction(readonly=True) as session:
        rows = session.exec(select(ConnectorDelivery).order_by(ConnectorDelivery.id)).all()
    assert len(rows) == 3
    assert "order 1280371234: refund 1009876543 applied before" in rows[2].outcome


def test_a_refused_referral_token_never_loses_the_order(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    """The fixture's rc_ref is a placeholder no store signed: the order is recorded, unattributed
    by token, with the reason."""
    connect(client, store, "shopify")
    raw = body("shopify/orders_paid.json")
    client.post(url(store, "shopify"), content=raw, headers=headers("shopify", raw, "orders/paid"))
    runtime.dispatcher.drain()
    order = client.get("/api/v1/orders/5940139491234", headers=store.auth).json()
    assert order["attribution"] == {"attributed": False, "token_rejected": "token_invalid"}
    with runtime.transaction(readonly=True) as session:
        (row,) = session.exec(select(ConnectorDelivery)).all()
    assert row.outcome[0].startswith("order 5940139491234: recorded")
