"""Where webhooks may go: never to a private address (refused when saved, and again when a
delivery is made), https only in production, and nowhere once the store removes its URL."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce import net
from rcommerce.referrals import webhooks
from rcommerce.referrals.models import WebhookDelivery
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.referrals import WebhookServer
from tests.support.runtime import StoreKeys


def _emit(runtime: Runtime, keys: StoreKeys) -> str:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        delivery = webhooks.emit(session, store, "advocate.created", {"n": 1}, now=runtime.now())
        assert delivery is not None
        return delivery.id


def _set_url(runtime: Runtime, keys: StoreKeys, url: str | None) -> None:
    """As a URL saved before the guard existed (or a row written by hand) would be."""
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        store.webhook_url = url
        session.add(store)


def _deliveries(runtime: Runtime) -> dict[str, WebhookDelivery]:
    with runtime.transaction(readonly=True) as session:
        return {d.id: d for d in session.exec(select(WebhookDelivery))}


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://[::1]/hooks",
        "https://2130706433/hooks",
        "https://0.0.0.0/hooks",
        "https://10.0.0.7/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://localhost:8000/hooks",
        "http://hooks.shop.example/rc",  # production accepts https only
    ],
)
def test_a_private_or_plain_http_webhook_url_is_refused_when_saved(
    client: TestClient, store: StoreKeys, url: str
) -> None:
    response = client.patch("/api/v1/store", headers=store.auth, json={"webhook_url": url})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["fields"][0]["field"] == "webhook_url"
    assert client.get("/api/v1/store", headers=store.auth).json()["webhook_url"] is None


def test_a_public_https_url_is_saved_in_ascii(client: TestClient, store: StoreKeys) -> None:
    response = client.patch(
        "/api/v1/store", headers=store.auth, json={"webhook_url": "https://Cửa-Hàng.vn/móc"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["webhook_url"] == "https://xn--ca-hng-lta4562d.vn/m%C3%B3c"


@pytest.fixture
def ports(webhook_server: WebhookServer) -> Iterator[dict[str, int]]:
    """An open HTTP port, a closed port and a port that speaks something other than HTTP."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    other = socket.socket()
    other.bind(("127.0.0.1", 0))
    other.listen()

    def babble() -> None:
        while True:
            try:
                conn, _ = other.accept()
            except OSError:
                return
            conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
            conn.close()

    threading.Thread(target=babble, daemon=True).start()
    try:
        yield {
            "open": int(webhook_server.url.split(":")[2].split("/")[0]),
            "closed": closed_port,
            "other": other.getsockname()[1],
        }
    finally:
        other.close()


def test_deliveries_to_private_addresses_are_refused_and_tell_nothing_of_the_port(
    runtime: Runtime,
    client: TestClient,
    store: StoreKeys,
    webhook_server: WebhookServer,
    ports: dict[str, int],
) -> None:
    """A URL saved earlier (or by a store whose name now resolves to a private address) is
    refused when the delivery is made: no connection, no retry, the same words whatever
    listens on the port."""
    ids = {}
    for kind, port in ports.items():
        for host in ("127.0.0.1", "[::ffff:127.0.0.1]", "2130706433", "localhost"):
            _set_url(runtime, store, f"https://{host}:{port}/hooks?token=s3cret")
            ids[(kind, host)] = _emit(runtime, store)
            runtime.dispatcher.drain()  # type: ignore[attr-defined]
    deliveries = _deliveries(runtime)
    assert webhook_server.received == []
    errors = {deliveries[i].last_error for i in ids.values()}
    assert errors == {net.REFUSED}
    assert {deliveries[i].status for i in ids.values()} == {"failed"}
    log = client.get("/api/v1/webhooks/deliveries", headers=store.auth).json()["deliveries"]
    assert {d["last_error"] for d in log} == {"refused: private address"}
    assert {d["next_attempt_at"] for d in log} == {None}


def test_plain_http_is_refused_at_delivery_in_production(
    runtime: Runtime, store: StoreKeys, webhook_server: WebhookServer
) -> None:
    _set_url(runtime, store, "http://hooks.shop.example/rc")
    delivery_id = _emit(runtime, store)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    delivery = _deliveries(runtime)[delivery_id]
    assert delivery.status == "failed"
    assert delivery.last_error == "refused: the address must start with https://"
