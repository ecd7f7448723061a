"""Rewards after a conversion: a refund before approval voids the pending reward."""

from __future__ import annotations

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
