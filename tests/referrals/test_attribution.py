"""Attribution rules, fraud holds, manager decisions, campaigns and coupons."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from rcommerce.referrals import tasks
from rcommerce.runtime import Runtime
from tests.support.referrals import enrol, follow
from tests.support.runtime import Clock, StoreKeys


def post_order(client: TestClient, store: StoreKeys, order_id: str, **extra: Any) -> dict[str, Any]:
    body = {
        "order_id": order_id,
        "email": "friend@example.com",
        "total": "300000",
        "currency": "VND",
    }
    response = client.post("/api/v1/orders", headers=store.auth, json={**body, **extra})
    assert response.status_code in (200, 201), response.text
    out: dict[str, Any] = response.json()
    return out


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


def test_manager_approves_or_rejects_held_conversions(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    a = post_order(
        client, store, "H1", email="a@mailinator.com", referral_code=advocate["referral_code"]
    )
    b = post_order(
        client, store, "H2", email="b@mailinator.com", referral_code=advocate["referral_code"]
    )
    held = client.get("/api/v1/conversions?status=held", headers=store.auth).json()["conversions"]
    assert {c["id"] for c in held} == {a["conversion_id"], b["conversion_id"]}
    approve = client.post(
        f"/api/v1/conversions/{a['conversion_id']}/decision",
        headers=store.auth,
        json={"decision": "approve", "note": "known customer"},
    )
    assert approve.status_code == 200 and approve.json()["status"] == "pending"
    reject = client.post(
        f"/api/v1/conversions/{b['conversion_id']}/decision",
        headers=store.auth,
        json={"decision": "reject"},
    )
    assert reject.json()["status"] == "rejected"
    twice = client.post(
        f"/api/v1/conversions/{b['conversion_id']}/decision",
        headers=store.auth,
        json={"decision": "approve"},
    )
    assert twice.status_code == 409
    clock.advance(days=15)
    tasks.approve_rewards(runtime)
    detail = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()
    assert detail["balance"] == "50000.00"
    assert sorted(r["status"] for r in detail["rewards"]) == ["issued", "void"]


def test_campaign_rules_minimum_cap_and_coupon_rewards(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    campaigns = client.get("/api/v1/campaigns", headers=store.auth).json()["campaigns"]
    assert len(campaigns) == 1 and campaigns[0]["is_default"]
    assert campaigns[0]["attribution_window_days"] == 30 and campaigns[0]["hold_days"] == 14
    changed = client.patch(
        f"/api/v1/campaigns/{campaigns[0]['id']}",
        headers=store.auth,
        json={
            "min_order_total": "200000",
            "cap_per_advocate": 1,
            "advocate_reward_kind": "coupon_fixed",
            "advocate_reward_value": "30000",
            "hold_days": 7,
        },
    )
    assert changed.status_code == 200, changed.text
    bad = client.patch(
        f"/api/v1/campaigns/{campaigns[0]['id']}", headers=store.auth, json={"hold_days": -1}
    )
    assert bad.status_code == 422
    advocate = enrol(client, store)
    small = post_order(client, store, "M1", total="100000", referral_code=advocate["referral_code"])
    assert small["reasons"] == ["below_minimum"]
    ok = post_order(
        client, store, "M2", email="b@example.com", referral_code=advocate["referral_code"]
    )
    assert ok["conversion_status"] == "pending"
    capped = post_order(
        client, store, "M3", email="c@example.com", referral_code=advocate["referral_code"]
    )
    assert capped["reasons"] == ["cap_reached"]
    clock.advance(days=8)
    tasks.approve_rewards(runtime)
    rewards = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()[
        "rewards"
    ]
    assert len(rewards) == 1 and rewards[0]["status"] == "issued"
    code = rewards[0]["coupon_code"]
    assert code.startswith("RW")
    post_order(client, store, "M4", email="advocate-buys@example.com", coupon_codes=[code])
    coupon = client.get(f"/api/v1/coupons/{code}", headers=store.auth).json()
    assert coupon["status"] == "used"
    rewards = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()[
        "rewards"
    ]
    assert rewards[0]["status"] == "redeemed"
    # Refunding the referred order after the coupon was spent claws back its value.
    client.post("/api/v1/orders/M2/refund", headers=store.auth)
    detail = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()
    assert detail["rewards"][0]["status"] == "clawed_back"
    assert detail["balance"] == "-30000.00"


def test_refund_before_approval_voids_the_pending_reward(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    post_order(client, store, "P1", referral_code=advocate["referral_code"])
    refund = client.post("/api/v1/orders/P1/refund", headers=store.auth).json()
    assert refund["conversion_status"] == "reversed"
    clock.advance(days=30)
    tasks.approve_rewards(runtime)
    detail = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()
    assert detail["balance"] == "0.00" and detail["rewards"][0]["status"] == "void"
    assert client.post("/api/v1/orders/NOPE/refund", headers=store.auth).status_code == 404


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


def test_friend_offer_for_the_widget(client: TestClient, store: StoreKeys) -> None:
    advocate = enrol(client, store, name="Nguyễn Thị Lan")
    token = follow(client, advocate["referral_code"])
    offer = client.get(
        f"/embed/v1/{store.publishable_key}/referral-offer", params={"rc_ref": token}
    )
    assert offer.status_code == 200, offer.text
    assert offer.json()["coupon_code"] == advocate["friend_coupon_code"]
    assert offer.json()["advocate_name"] == "Lan" and offer.json()["value"] == "10.00"
    bad = client.get(f"/embed/v1/{store.publishable_key}/referral-offer", params={"rc_ref": "x.y"})
    assert bad.status_code == 400


def test_conversions_page_newest_first_with_a_cursor(
    client: TestClient, store: StoreKeys, make_store: Any
) -> None:
    advocate = enrol(client, store)
    ids = [
        post_order(
            client,
            store,
            f"P{i}",
            email=f"friend{i}@example.com",
            referral_code=advocate["referral_code"],
        )["conversion_id"]
        for i in range(5)
    ]
    other = make_store()
    other_advocate = enrol(client, other)
    post_order(client, other, "X1", referral_code=other_advocate["referral_code"])

    seen, cursor, pages = [], None, 0
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = client.get(f"/api/v1/conversions{query}", headers=store.auth).json()
        seen += [c["id"] for c in page["conversions"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)  # every one once, newest first, none of the other's
    assert pages == 3

    for bad in ("not-a-cursor", "WzAsMV0", "WyJ4Il0", "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ"):
        response = client.get(f"/api/v1/conversions?cursor={bad}", headers=store.auth)
        assert response.status_code == 422, bad
        assert response.json()["error"]["code"] == "invalid"
    huge = client.get("/api/v1/conversions?advocate_id=99999999999999999999", headers=store.auth)
    assert huge.status_code == 422
