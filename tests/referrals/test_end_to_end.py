"""Flow 1-4 end to end: join, click, order, hold, approval, webhook, refund, clawback."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from rcommerce.referrals import tasks, webhooks
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support.referrals import WebhookServer, drain, enrol, follow, loopback_webhooks
from tests.support.runtime import Clock, StoreKeys


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return loopback_webhooks(settings)


def balance(client: TestClient, store: StoreKeys, advocate_id: int) -> str:
    response = client.get(f"/api/v1/advocates/{advocate_id}", headers=store.auth)
    assert response.status_code == 200
    return str(response.json()["balance"])


def test_referral_from_click_to_clawback(
    client: TestClient,
    runtime: Runtime,
    store: StoreKeys,
    clock: Clock,
    webhook_server: WebhookServer,
) -> None:
    assert (
        client.patch(
            "/api/v1/store", headers=store.auth, json={"webhook_url": webhook_server.url}
        ).status_code
        == 200
    )
    advocate = enrol(client, store)
    assert advocate["referral_url"].endswith(f"/r/{advocate['referral_code']}")
    assert balance(client, store, advocate["id"]) == "0.00"

    token = follow(client, advocate["referral_code"], "zalo")
    assert drain(runtime) == 1
    detail = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()
    assert detail["clicks"] == 1 and detail["clicks_by_channel"] == {"zalo": 1}

    order = client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={
            "order_id": "DH-1",
            "email": "friend@example.com",
            "total": "450000",
            "currency": "VND",
            "referral_token": token,
        },
    )
    assert order.status_code == 201, order.text
    body = order.json()
    assert body["attributed"] is True
    assert body["advocate_id"] == advocate["id"]
    assert body["conversion_status"] == "pending"
    assert balance(client, store, advocate["id"]) == "0.00"

    # Inside the hold period nothing is approved.
    clock.advance(days=13)
    tasks.approve_rewards(runtime)
    assert balance(client, store, advocate["id"]) == "0.00"

    clock.advance(days=2)
    runtime.dispatcher.run_periodic(force=True)  # type: ignore[attr-defined]
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    detail = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()
    assert detail["balance"] == "50000.00"
    assert [r["status"] for r in detail["rewards"]] == ["issued"]
    assert detail["conversions"] == 1

    secret = client.get("/api/v1/webhooks/secret", headers=store.auth).json()["secret"]
    assert webhook_server.events() == [
        "advocate.created",
        "conversion.created",
        "conversion.approved",
        "reward.approved",
        "reward.issued",
    ]
    for received in webhook_server.received:
        assert webhooks.verify(secret, received.headers["RC-Signature"], received.body)
        assert not webhooks.verify(secret, received.headers["RC-Signature"], received.body + b" ")
    issued = webhook_server.received[-1].json()
    assert issued["data"]["advocate_id"] == advocate["id"] and issued["data"]["value"] == "50000.00"

    refund = client.post("/api/v1/orders/DH-1/refund", headers=store.auth)
    assert refund.status_code == 200
    assert refund.json()["conversion_status"] == "reversed"
    assert balance(client, store, advocate["id"]) == "0.00"
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert webhook_server.events()[-2:] == ["reward.clawed_back", "conversion.reversed"]

    export = client.get(f"/api/v1/advocates/{advocate['id']}/export", headers=store.auth).json()
    assert [(e["kind"], e["amount"]) for e in export["ledger"]] == [
        ("reward", "50000.00"),
        ("clawback", "-50000.00"),
    ]
    # A second refund changes nothing.
    assert client.post("/api/v1/orders/DH-1/refund", headers=store.auth).status_code == 200
    assert balance(client, store, advocate["id"]) == "0.00"
    log = client.get("/api/v1/webhooks/deliveries", headers=store.auth).json()["deliveries"]
    assert {d["status"] for d in log} == {"delivered"}


def test_failed_webhook_is_retried_with_backoff_and_logged(
    client: TestClient,
    runtime: Runtime,
    store: StoreKeys,
    clock: Clock,
    webhook_server: WebhookServer,
) -> None:
    advocate = enrol(client, store)  # before the URL is set: only the conversion is sent
    client.patch("/api/v1/store", headers=store.auth, json={"webhook_url": webhook_server.url})
    webhook_server.fail_next = 1
    client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={
            "order_id": "A1",
            "email": "x@example.com",
            "total": "100000",
            "currency": "VND",
            "referral_code": advocate["referral_code"],
        },
    )
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert webhook_server.received == []
    log = client.get("/api/v1/webhooks/deliveries", headers=store.auth).json()["deliveries"]
    assert log[0]["status"] == "pending" and log[0]["attempts"] == 1
    assert "HTTP 500" in log[0]["last_error"] and log[0]["next_attempt_at"]
    clock.advance(seconds=31)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert webhook_server.events() == ["conversion.created"]
    log = client.get("/api/v1/webhooks/deliveries", headers=store.auth).json()["deliveries"]
    assert log[0]["status"] == "delivered" and log[0]["attempts"] == 2
