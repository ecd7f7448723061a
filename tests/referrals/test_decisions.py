"""A manager's decision on held conversions, through the API."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.referrals import tasks
from rcommerce.runtime import Runtime
from tests.support.referrals import enrol, post_order
from tests.support.runtime import Clock, StoreKeys


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
