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
