"""Rewards after a conversion: a refund before approval voids the pending reward; a clawback
after the credit was spent leaves a debt that blocks redemptions until later rewards repay it."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from rcommerce.referrals import tasks
from rcommerce.runtime import Runtime
from tests.support.referrals import enrol, post_order
from tests.support.runtime import Clock, StoreKeys


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


def _redeem(client: TestClient, store: StoreKeys, advocate_id: int, key: str, amount: str) -> Any:
    return client.post(
        f"/api/v1/advocates/{advocate_id}/redemptions",
        headers={**store.auth, "Idempotency-Key": key},
        json={"amount": amount},
    )


def _advocate(client: TestClient, store: StoreKeys, advocate_id: int) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/api/v1/advocates/{advocate_id}", headers=store.auth).json()
    return body


def test_a_clawback_after_a_redemption_is_a_debt_that_blocks_redemptions_until_repaid(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    # Cash on delivery: the referred order is approved, its credit spent, then it comes back.
    advocate = enrol(client, store)
    aid = advocate["id"]
    post_order(client, store, "COD1", referral_code=advocate["referral_code"])
    clock.advance(days=15)
    tasks.approve_rewards(runtime)
    assert _redeem(client, store, aid, "spend-1", "50000").status_code == 201
    client.post("/api/v1/orders/COD1/refund", headers=store.auth)
    owed = _advocate(client, store, aid)
    assert (owed["balance"], owed["debt"]) == ("-50000.00", "50000.00")
    refused = _redeem(client, store, aid, "spend-2", "1")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (error["code"], error["debt"], error["unit"]) == (
        "balance_in_debt",
        "50000.00",
        "credit",
    )
    # Nor can points be spent meanwhile.
    assert _redeem(client, store, aid, "points", "1").json()["error"]["code"] == "balance_in_debt"

    # The next reward repays it: nothing owed, nothing to spend.
    post_order(
        client, store, "COD2", email="second@example.com", referral_code=advocate["referral_code"]
    )
    clock.advance(days=15)
    tasks.approve_rewards(runtime)
    repaid = _advocate(client, store, aid)
    assert (repaid["balance"], repaid["debt"]) == ("0.00", "0.00")
    assert (
        _redeem(client, store, aid, "spend-3", "1").json()["error"]["code"]
        == "insufficient_balance"
    )
    # And the one after that can be spent again.
    post_order(
        client, store, "COD3", email="third@example.com", referral_code=advocate["referral_code"]
    )
    clock.advance(days=15)
    tasks.approve_rewards(runtime)
    assert _redeem(client, store, aid, "spend-4", "50000").status_code == 201


def test_a_fixed_coupon_reward_earned_in_debt_repays_it(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    aid = advocate["id"]
    post_order(client, store, "F1", referral_code=advocate["referral_code"])
    clock.advance(days=15)
    tasks.approve_rewards(runtime)
    assert _redeem(client, store, aid, "spend", "50000").status_code == 201
    client.post("/api/v1/orders/F1/refund", headers=store.auth)
    campaign = client.get("/api/v1/campaigns", headers=store.auth).json()["campaigns"][0]
    client.patch(
        f"/api/v1/campaigns/{campaign['id']}",
        headers=store.auth,
        json={"advocate_reward_kind": "coupon_fixed", "advocate_reward_value": "80000"},
    )
    post_order(
        client, store, "F2", email="second@example.com", referral_code=advocate["referral_code"]
    )
    clock.advance(days=15)
    tasks.approve_rewards(runtime)
    after = _advocate(client, store, aid)
    # Credited rather than handed out as a coupon: 80 000 - 50 000 owed = 30 000 to spend.
    assert (after["balance"], after["debt"]) == ("30000.00", "0.00")
    newest = after["rewards"][0]
    assert newest["kind"] == "coupon_fixed" and newest["coupon_code"] is None
    assert _redeem(client, store, aid, "rest", "30000").status_code == 201


# ---- partial refunds -------------------------------------------------------------------------


def _refund(
    client: TestClient, store: StoreKeys, order_id: str, amount: str, refund_id: str
) -> Any:
    answer = client.post(
        f"/api/v1/orders/{order_id}/refund",
        headers=store.auth,
        json={"amount": amount, "refund_id": refund_id},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _campaign(client: TestClient, store: StoreKeys, **changes: str) -> None:
    campaign = client.get("/api/v1/campaigns", headers=store.auth).json()["campaigns"][0]
    answer = client.patch(f"/api/v1/campaigns/{campaign['id']}", headers=store.auth, json=changes)
    assert answer.status_code == 200, answer.text


def test_a_partial_refund_before_approval_lowers_the_reward_in_proportion(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    post_order(client, store, "Q1", referral_code=advocate["referral_code"])  # 300 000
    assert _refund(client, store, "Q1", "100000", "r-1")["conversion_status"] == "pending"
    assert _advocate(client, store, advocate["id"])["rewards"][0]["value"] == "33333.33"
    _refund(client, store, "Q1", "50000", "r-2")
    _refund(client, store, "Q1", "100000", "r-1")  # a retry of the first: counted once
    assert _advocate(client, store, advocate["id"])["rewards"][0]["value"] == "25000.00"
    clock.advance(days=15)
    tasks.approve_rewards(runtime)
    detail = _advocate(client, store, advocate["id"])
    assert (detail["balance"], detail["rewards"][0]["status"]) == ("25000.00", "issued")


def test_a_partial_refund_after_the_credit_was_issued_claws_back_its_share(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    post_order(client, store, "Q2", referral_code=advocate["referral_code"])
    clock.advance(days=15)
    tasks.approve_rewards(runtime)
    assert _advocate(client, store, advocate["id"])["balance"] == "50000.00"
    answer = _refund(client, store, "Q2", "150000", "r-1")
    assert (answer["conversion_status"], answer["balance"]) == ("approved", "25000.00")
    reward = _advocate(client, store, advocate["id"])["rewards"][0]
    assert (reward["status"], reward["value"]) == ("issued", "25000.00")
    # The rest refunded: what is left of the reward goes too, and nothing more.
    rest = client.post("/api/v1/orders/Q2/refund", headers=store.auth).json()
    assert (rest["conversion_status"], rest["balance"]) == ("reversed", "0.00")


def test_a_partial_refund_below_the_minimum_order_reverses_the_conversion(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    _campaign(client, store, min_order_total="250000")
    advocate = enrol(client, store)
    post_order(client, store, "Q3", referral_code=advocate["referral_code"])
    assert _refund(client, store, "Q3", "20000", "r-1")["conversion_status"] == "pending"
    answer = _refund(client, store, "Q3", "40000", "r-2")  # 240 000 kept, under 250 000
    assert answer["conversion_status"] == "reversed"
    assert _advocate(client, store, advocate["id"])["rewards"][0]["status"] == "void"


def test_a_handed_out_fixed_coupon_stays_and_its_share_is_owed_until_it_is_void(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    _campaign(client, store, advocate_reward_kind="coupon_fixed", advocate_reward_value="80000")
    advocate = enrol(client, store)
    post_order(client, store, "Q4", referral_code=advocate["referral_code"])
    clock.advance(days=15)
    tasks.approve_rewards(runtime)
    code = _advocate(client, store, advocate["id"])["rewards"][0]["coupon_code"]
    assert code is not None
    _refund(client, store, "Q4", "150000", "r-1")
    detail = _advocate(client, store, advocate["id"])
    assert (detail["balance"], detail["debt"]) == ("-40000.00", "40000.00")
    coupon = client.get(f"/api/v1/coupons/{code}", headers=store.auth).json()
    assert coupon["valid"] is True
    # Refunded in full while the coupon is unused: it is voided and the debt given back.
    client.post("/api/v1/orders/Q4/refund", headers=store.auth)
    detail = _advocate(client, store, advocate["id"])
    assert (detail["balance"], detail["debt"]) == ("0.00", "0.00")
    assert detail["rewards"][0]["status"] == "void"


def test_a_percentage_coupon_reward_is_kept_whole_on_a_partial_refund(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    _campaign(client, store, advocate_reward_kind="coupon_percent", advocate_reward_value="15")
    advocate = enrol(client, store)
    post_order(client, store, "Q5", referral_code=advocate["referral_code"])
    _refund(client, store, "Q5", "150000", "r-1")
    assert _advocate(client, store, advocate["id"])["rewards"][0]["value"] == "15.00"
