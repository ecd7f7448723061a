"""Orders as connectors need them: buyers known by phone, the merchant's order number, the
source, partial refunds applied once per refund id, and products with their feed identifiers."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from starlette.testclient import TestClient

from rcommerce import events
from rcommerce.orders import service as orders
from rcommerce.orders.events import OrderRefunded
from rcommerce.orders.models import OrderIn
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.referrals import enrol
from tests.support.runtime import StoreKeys


@pytest.fixture
def refunds() -> Iterator[list[tuple[Decimal, bool, str | None]]]:
    """What each published OrderRefunded said: (amount, full, refund_id)."""
    seen: list[tuple[Decimal, bool, str | None]] = []

    def keep(event: OrderRefunded) -> None:
        seen.append((event.amount, event.full, event.refund_id))

    events.subscriber(OrderRefunded)(keep)
    try:
        yield seen
    finally:
        events.unsubscribe(OrderRefunded, keep)


def test_an_order_known_only_by_phone(client: TestClient, store: StoreKeys) -> None:
    created = client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={
            "order_id": "DH-7",
            "number": "#1007",
            "phone": "0901 234 567",
            "total": "250000",
            "currency": "VND",
        },
    )
    assert created.status_code == 201, created.text
    order = client.get("/api/v1/orders/DH-7", headers=store.auth).json()
    assert (order["email"], order["phone"]) == (None, "+84901234567")
    assert (order["number"], order["source"], order["refunded_amount"]) == ("#1007", "api", "0.00")


def test_an_order_needs_an_email_or_a_valid_phone(client: TestClient, store: StoreKeys) -> None:
    base = {"order_id": "DH-8", "total": "1", "currency": "VND"}
    neither = client.post("/api/v1/orders", headers=store.auth, json=base)
    assert neither.status_code == 422
    assert "email, phone or both" in neither.json()["error"]["message"]
    bad = client.post("/api/v1/orders", headers=store.auth, json={**base, "phone": "12345"})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "phone"
    email_only = client.post(
        "/api/v1/orders", headers=store.auth, json={**base, "email": "An@Example.com"}
    )
    assert email_only.status_code == 201
    order = client.get("/api/v1/orders/DH-8", headers=store.auth).json()
    assert (order["email"], order["phone"], order["number"]) == ("an@example.com", None, None)


def test_partial_refunds_count_once_each_and_the_last_one_refunds_the_order(
    client: TestClient, store: StoreKeys, refunds: list[tuple[Decimal, bool, str | None]]
) -> None:
    client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "DH-9", "email": "b@example.com", "total": "300000", "currency": "VND"},
    )
    url = "/api/v1/orders/DH-9/refund"
    first = client.post(url, headers=store.auth, json={"amount": "100000", "refund_id": "R1"})
    assert first.status_code == 200, first.text
    assert (first.json()["status"], first.json()["refunded_amount"]) == ("placed", "100000.00")
    again = client.post(url, headers=store.auth, json={"amount": "100000", "refund_id": "R1"})
    assert again.json()["duplicate"] is True
    assert again.json()["refunded_amount"] == "100000.00"
    rest = client.post(url, headers=store.auth, json={"amount": "250000", "refund_id": "R2"})
    assert (rest.json()["status"], rest.json()["refunded_amount"]) == ("refunded", "300000.00")
    assert refunds == [(Decimal("100000"), False, "R1"), (Decimal("200000"), True, "R2")]
    late = client.post(url, headers=store.auth, json={"amount": "1", "refund_id": "R3"})
    assert late.json()["duplicate"] is True
    assert len(refunds) == 2


def test_a_full_refund_reverses_what_partial_refunds_left(
    client: TestClient, store: StoreKeys, refunds: list[tuple[Decimal, bool, str | None]]
) -> None:
    client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "DH-10", "email": "c@example.com", "total": "300000", "currency": "VND"},
    )
    url = "/api/v1/orders/DH-10/refund"
    client.post(url, headers=store.auth, json={"amount": "50000", "refund_id": "R1"})
    full = client.post(url, headers=store.auth)
    assert (full.json()["status"], full.json()["refunded_amount"]) == ("refunded", "300000.00")
    assert client.post(url, headers=store.auth, json={}).json()["status"] == "refunded"
    assert refunds == [
        (Decimal("50000"), False, "R1"),
        (Decimal("250000"), True, None),
        (Decimal("0"), True, None),  # a repeated full refund is told again, for nothing
    ]


def test_a_partial_refund_needs_its_id(client: TestClient, store: StoreKeys) -> None:
    client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "DH-11", "email": "d@example.com", "total": "10", "currency": "VND"},
    )
    refused = client.post("/api/v1/orders/DH-11/refund", headers=store.auth, json={"amount": "5"})
    assert refused.status_code == 422
    assert "refund_id" in refused.json()["error"]["message"]


def test_a_partial_refund_leaves_the_referral_reward(client: TestClient, store: StoreKeys) -> None:
    code = enrol(client, store, "advocate@example.com")["referral_code"]
    client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={
            "order_id": "DH-12",
            "phone": "+84 90 123 4567",
            "total": "400000",
            "currency": "VND",
            "referral_code": code,
        },
    )
    url = "/api/v1/orders/DH-12/refund"
    client.post(url, headers=store.auth, json={"amount": "40000", "refund_id": "R1"})
    order = client.get("/api/v1/orders/DH-12", headers=store.auth).json()
    assert order["attribution"]["conversion_status"] == "pending"
    full = client.post(url, headers=store.auth)
    assert full.json()["conversion_status"] == "reversed"


def test_the_service_records_the_source_and_an_anonymous_sale(
    runtime: Runtime, store: StoreKeys
) -> None:
    """A connector may record a walk-in sale nobody is known for; the API may not."""
    with runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        order, created = orders.record_order(
            session=session,
            settings=runtime.settings,
            store=shop,
            data=OrderIn(order_id="POS-1", number="SON1", total=Decimal("90000"), currency="VND"),
            now=runtime.now(),
            source="sapo",
        )
        assert created
        assert (order.email, order.phone, order.source, order.number) == (
            None,
            None,
            "sapo",
            "SON1",
        )


def test_products_keep_their_feed_identifiers(client: TestClient, store: StoreKeys) -> None:
    body = {
        "name": "Sữa rửa mặt trà xanh",
        "gtin": "8936012345678",
        "mpn": "SRM-150",
        "brand": "Mộc Organic",
        "category": "Chăm sóc da",
    }
    put = client.put("/api/v1/products/srm", headers=store.auth, json=body)
    assert put.status_code == 200, put.text
    got = client.get("/api/v1/products/srm", headers=store.auth).json()
    assert {k: got[k] for k in ("gtin", "mpn", "brand", "category")} == {
        k: body[k] for k in ("gtin", "mpn", "brand", "category")
    }
    bad = client.put("/api/v1/products/srm", headers=store.auth, json={"gtin": "12-34"})
    assert bad.status_code == 422
