"""Campaigns through the API and their rules: minimum order, cap per advocate, coupon rewards."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.referrals import tasks
from rcommerce.runtime import Runtime
from tests.support.referrals import enrol, post_order
from tests.support.runtime import Clock, StoreKeys


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


def test_null_is_refused_where_a_campaign_needs_a_value(
    client: TestClient, store: StoreKeys
) -> None:
    for field in ("name", "hold_days", "friend_reward_value", "active", "advocate_reward_kind"):
        response = client.post("/api/v1/campaigns", headers=store.auth, json={field: None})
        assert response.status_code == 422, (field, response.text)
        assert response.json()["error"]["fields"][0]["field"] == field
    # The fields whose null means something: no cap, no start, no end.
    response = client.post(
        "/api/v1/campaigns",
        headers=store.auth,
        json={"cap_per_advocate": None, "starts_at": None, "ends_at": None},
    )
    assert response.status_code == 201, response.text


def test_a_percentage_over_100_is_refused(client: TestClient, store: StoreKeys) -> None:
    over = {"friend_reward_kind": "coupon_percent", "friend_reward_value": "100.01"}
    assert client.post("/api/v1/campaigns", headers=store.auth, json=over).status_code == 422
    over = {"advocate_reward_kind": "coupon_percent", "advocate_reward_value": "150"}
    assert client.post("/api/v1/campaigns", headers=store.auth, json=over).status_code == 422
    created = client.post(
        "/api/v1/campaigns",
        headers=store.auth,
        json={"friend_reward_kind": "coupon_percent", "friend_reward_value": "100"},
    )
    assert created.status_code == 201, created.text
    campaign = created.json()["id"]
    # The value alone, checked against the kind the campaign already has.
    alone = client.patch(
        f"/api/v1/campaigns/{campaign}", headers=store.auth, json={"friend_reward_value": "900"}
    )
    assert alone.status_code == 422
    assert alone.json()["error"]["fields"] == [
        {"field": "friend_reward_value", "message": "a percentage discount is at most 100"}
    ]
    fixed = client.patch(
        f"/api/v1/campaigns/{campaign}",
        headers=store.auth,
        json={"friend_reward_kind": "coupon_fixed", "friend_reward_value": "50000"},
    )
    assert fixed.status_code == 200
