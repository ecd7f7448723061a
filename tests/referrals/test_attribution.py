"""Attribution of orders: by token, code or friend coupon, once per order, with the campaign's
rules and the fraud holds."""

from __future__ import annotations

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.referrals.models import Conversion
from rcommerce.runtime import Runtime
from tests.support.referrals import enrol, follow, order, post_order
from tests.support.runtime import StoreKeys


def test_attribution_by_code_and_by_friend_coupon(client: TestClient, store: StoreKeys) -> None:
    advocate = enrol(client, store)
    by_code = post_order(client, store, "C1", referral_code=advocate["referral_code"].lower())
    assert by_code["attributed"] and by_code["advocate_id"] == advocate["id"]
    coupon = advocate["friend_coupon_code"]
    by_coupon = post_order(
        client, store, "C2", email="other@example.com", coupon_codes=[coupon.lower()]
    )
    assert by_coupon["attributed"] and by_coupon["advocate_id"] == advocate["id"]
    assert by_coupon["conversion_status"] == "pending"
    plain = post_order(client, store, "C3", email="third@example.com")
    assert plain == {"order_id": "C3", "attributed": False}


def test_returning_customer_is_recorded_but_earns_nothing(
    client: TestClient, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    post_order(client, store, "OLD")
    again = post_order(client, store, "NEW", referral_code=advocate["referral_code"])
    assert again["conversion_status"] == "ineligible"
    assert again["reasons"] == ["returning_customer"]


def test_self_referral_is_held_with_reasons(client: TestClient, store: StoreKeys) -> None:
    advocate = enrol(client, store, email="an.nguyen@gmail.com")
    held = post_order(
        client,
        store,
        "S1",
        email="A.N.Nguyen+shop@googlemail.com",
        referral_code=advocate["referral_code"],
    )
    assert held["conversion_status"] == "held"
    assert "self_referral_email" in held["reasons"]
    look_alike = post_order(
        client,
        store,
        "S2",
        email="аn.nguyễn+zalo@gmаil.com",  # Cyrillic а, ễ for e
        referral_code=advocate["referral_code"],
    )
    assert "self_referral_email" in look_alike["reasons"]


# A phone's browser (tests/referrals/data/browsers.txt): the redirect counts only browsers.
PHONE = (
    "Mozilla/5.0 (Linux; Android 11; Live 4) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/89.0.4389.90 Mobile Safari/537.36"
)


def test_same_visitor_and_same_device_are_self_referral(
    client: TestClient, store: StoreKeys
) -> None:
    joined = client.post(
        f"/embed/v1/{store.publishable_key}/advocates",
        headers={
            "Origin": "https://shop.example",
            "X-RC-Visitor": "v-123",
            "User-Agent": PHONE,
        },
        json={"email": "lan@example.com"},
    )
    assert joined.status_code == 201, joined.text
    code = joined.json()["referral_code"]
    token = follow(client, code, ua=PHONE)
    held = post_order(client, store, "V1", referral_token=token, visitor_id="v-123")
    assert held["conversion_status"] == "held"
    assert {"self_referral_visitor", "self_referral_device"} <= set(held["reasons"])


def test_disposable_email_and_velocity_hold(client: TestClient, store: StoreKeys) -> None:
    advocate = enrol(client, store)
    disposable = post_order(
        client, store, "D1", email="x@mailinator.com", referral_code=advocate["referral_code"]
    )
    assert disposable["conversion_status"] == "held"
    assert disposable["reasons"] == ["disposable_email"]
    statuses = [
        post_order(
            client,
            store,
            f"VEL{n}",
            email=f"buyer{n}@example.com",
            referral_code=advocate["referral_code"],
            customer_ip="203.0.113.9",
        )
        for n in range(7)
    ]
    assert [s["conversion_status"] for s in statuses] == ["pending"] * 5 + ["held"] * 2
    assert statuses[-1]["reasons"] == ["velocity"]


def test_bad_orders_get_clear_errors(client: TestClient, store: StoreKeys) -> None:
    base = {"order_id": "B1", "email": "a@example.com", "total": "1", "currency": "VND"}
    for broken in (
        {**base, "email": "not-an-email"},
        {**base, "total": "-1"},
        {**base, "currency": "dong"},
        {**base, "unknown": 1},
        {k: v for k, v in base.items() if k != "order_id"},
    ):
        response = client.post("/api/v1/orders", headers=store.auth, json=broken)
        assert response.status_code == 422, broken
        assert response.json()["error"]["code"] == "invalid"
    usd = client.post("/api/v1/orders", headers=store.auth, json={**base, "currency": "USD"})
    assert usd.status_code == 422
    assert client.post("/api/v1/orders", json=base).status_code == 401
    assert client.post("/api/v1/orders", headers=store.auth, content=b"{").status_code == 415


def test_replayed_order_counts_once(client: TestClient, runtime: Runtime, store: StoreKeys) -> None:
    advocate = enrol(client, store)
    token = follow(client, advocate["referral_code"])
    first = order(client, store, "R1", referral_token=token)
    assert first.status_code == 201  # type: ignore[attr-defined]
    for _ in range(3):
        again = order(client, store, "R1", referral_token=token)
        assert again.status_code == 200  # type: ignore[attr-defined]
        assert again.json() == first.json()  # type: ignore[attr-defined]
    with runtime.transaction(readonly=True) as session:
        assert len(session.exec(select(Conversion)).all()) == 1
