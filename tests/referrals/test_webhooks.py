"""The webhook delivery log: what each delivery's state is, and filtering by it."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from rcommerce.referrals import webhooks
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores.models import Store
from tests.support.referrals import WebhookServer, enrol, loopback_webhooks
from tests.support.runtime import Clock, StoreKeys

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return loopback_webhooks(settings)


def _emit(runtime: Runtime, keys: StoreKeys, n: int) -> str:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        delivery = webhooks.emit(session, store, "advocate.created", {"n": n}, now=runtime.now())
        assert delivery is not None
        return delivery.id


def _log(client: TestClient, keys: StoreKeys, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/webhooks/deliveries", headers=keys.auth, params=params)
    assert response.status_code == 200, response.text
    deliveries: list[dict[str, Any]] = response.json()["deliveries"]
    return deliveries


def test_a_delivery_that_ran_out_of_retries_is_failed_and_filtered_as_such(
    client: TestClient,
    runtime: Runtime,
    store: StoreKeys,
    clock: Clock,
    webhook_server: WebhookServer,
) -> None:
    client.patch("/api/v1/store", headers=store.auth, json={"webhook_url": webhook_server.url})
    webhook_server.fail_next = 1000
    gave_up = _emit(runtime, store, 1)
    for _ in range(12):  # ten attempts, 30 s to 6 h apart
        runtime.dispatcher.drain()  # type: ignore[attr-defined]
        clock.advance(hours=7)
    webhook_server.fail_next = 0
    clock.advance(seconds=1)
    delivered = _emit(runtime, store, 2)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    webhook_server.fail_next = 1
    clock.advance(seconds=1)
    retrying = _emit(runtime, store, 3)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]

    log = _log(client, store)
    assert [(d["id"], d["status"]) for d in log] == [
        (retrying, "pending"),
        (delivered, "delivered"),
        (gave_up, "failed"),
    ]
    failed = log[2]
    assert failed["attempts"] == 10 and "HTTP 500" in failed["last_error"]
    assert failed["next_attempt_at"] is None and failed["delivered_at"] is None
    assert log[0]["attempts"] == 1 and log[0]["next_attempt_at"]
    assert log[1]["last_status_code"] == 204 and log[1]["delivered_at"]
    for status, expected in (("failed", gave_up), ("pending", retrying), ("delivered", delivered)):
        assert [d["id"] for d in _log(client, store, status=status)] == [expected], status
    assert [d["id"] for d in _log(client, store, limit=1)] == [retrying]
    bad = client.get("/api/v1/webhooks/deliveries", headers=store.auth, params={"status": "x"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"


def test_a_new_advocate_is_announced_once_whichever_way_they_join(
    client: TestClient, runtime: Runtime, store: StoreKeys, webhook_server: WebhookServer
) -> None:
    client.patch("/api/v1/store", headers=store.auth, json={"webhook_url": webhook_server.url})
    by_api = enrol(client, store, email="minh@example.com", name="Minh")
    enrol(client, store, email="minh@example.com", name="Minh")  # the same advocate again
    joined = client.post(
        f"/embed/v1/{store.publishable_key}/advocates",
        headers={"Origin": "https://shop.example"},
        json={"email": "lan@example.com"},
    )
    assert joined.status_code == 201, joined.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    created = [
        r.json()["data"] for r in webhook_server.received if r.json()["type"] == "advocate.created"
    ]
    assert [(a["email"], a["source"]) for a in created] == [
        ("minh@example.com", "api"),
        ("lan@example.com", "widget"),
    ]
    first = created[0]
    assert first["id"] == by_api["id"] and first["referral_code"] == by_api["referral_code"]
    assert first["referral_url"] == by_api["referral_url"]
    assert first["friend_coupon_code"] == by_api["friend_coupon_code"]


def test_the_events_sent_are_the_events_documented() -> None:
    documented = set(re.findall(r"`([a-z]+\.[a-z_]+)`", (DOCS / "webhooks.md").read_text()))
    assert documented == set(webhooks.EVENTS)


def test_removing_the_url_cancels_the_retries(
    runtime: Runtime,
    client: TestClient,
    store: StoreKeys,
    clock: Clock,
    webhook_server: WebhookServer,
) -> None:
    client.patch("/api/v1/store", headers=store.auth, json={"webhook_url": webhook_server.url})
    webhook_server.fail_next = 1000
    delivery_id = _emit(runtime, store, 1)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert _log(client, store)[0]["status"] == "pending"  # to be retried
    assert (
        client.patch("/api/v1/store", headers=store.auth, json={"webhook_url": None}).status_code
        == 200
    )
    webhook_server.fail_next = 0
    for _ in range(12):
        clock.advance(hours=7)
        runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert webhook_server.received == []
    log = _log(client, store)
    assert [(d["id"], d["status"], d["next_attempt_at"]) for d in log] == [
        (delivery_id, "cancelled", None)
    ]
    assert log[0]["last_error"] == webhooks.CANCELLED
    assert [d["id"] for d in _log(client, store, status="cancelled")] == [delivery_id]


def test_no_url_credentials_or_tokens_in_logs_or_errors(
    client: TestClient,
    runtime: Runtime,
    store: StoreKeys,
    webhook_server: WebhookServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret_url = webhook_server.url.replace("http://", "http://shop:pa55w0rd@") + "?token=s3cret"
    client.patch("/api/v1/store", headers=store.auth, json={"webhook_url": secret_url})
    webhook_server.fail_next = 1
    with caplog.at_level(logging.DEBUG):
        _emit(runtime, store, 1)
        runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert "HTTP 500" in caplog.text  # the failed attempt is logged ...
    [delivery] = _log(client, store)
    assert "HTTP 500" in delivery["last_error"]
    for text in (caplog.text, delivery["last_error"]):  # ... without the URL's secrets
        assert "pa55w0rd" not in text and "s3cret" not in text
