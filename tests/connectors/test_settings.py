"""Connecting a store: what to paste into the platform, secrets sealed and never shown again."""

from __future__ import annotations

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.connectors.models import Connector
from rcommerce.runtime import Runtime
from tests.connectors.support import SECRET
from tests.support.runtime import StoreKeys


def test_put_answers_the_webhook_url_and_the_topics(client: TestClient, store: StoreKeys) -> None:
    answer = client.put(
        "/api/v1/connectors/shopify",
        headers=store.auth,
        json={"webhook_secret": SECRET, "shop_domain": "https://Moc.myshopify.com/"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["webhook_url"] == (f"http://testserver/connect/shopify/{store.store_id}/webhooks")
    assert "orders/create" in body["topics"] and "refunds/create" in body["topics"]
    assert (body["shop_domain"], body["admin_api"]) == ("moc.myshopify.com", False)


def test_secrets_are_sealed_and_never_listed(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    client.put(
        "/api/v1/connectors/haravan",
        headers=store.auth,
        json={
            "webhook_secret": SECRET,
            "verify_token": "haravan-verify-token",
            "admin_api": {"access_token": "haravan-admin-token-secret"},
        },
    )
    listed = client.get("/api/v1/connectors", headers=store.auth)
    assert listed.status_code == 200
    for secret in (SECRET, "haravan-verify-token", "haravan-admin-token-secret"):
        assert secret not in listed.text
    (haravan,) = listed.json()["connectors"]
    assert haravan["platform"] == "haravan"
    assert haravan["verify_token_set"] and haravan["admin_api"]
    assert haravan["admin_api_url"] == "https://apis.haravan.com"
    assert (haravan["deliveries"], haravan["refused_signatures"]) == (0, 0)
    assert haravan["last_delivery_at"] is None
    assert haravan["coupons"] == {"pending": 0, "created": 0, "failed": 0, "unsupported": 0}
    with runtime.transaction(readonly=True) as session:
        row = session.exec(select(Connector)).one()
        stored = " ".join(str(value) for value in row.model_dump().values() if value is not None)
    assert SECRET not in stored and "haravan-admin-token-secret" not in stored


def test_saving_again_keeps_what_is_left_out(client: TestClient, store: StoreKeys) -> None:
    url = "/api/v1/connectors/woocommerce"
    first = {
        "webhook_secret": SECRET,
        "shop_domain": "shop.example.com",
        "admin_api": {"api_key": "ck_1", "api_secret": "cs_1"},
    }
    assert client.put(url, headers=store.auth, json=first).status_code == 200
    again = client.put(url, headers=store.auth, json={"webhook_secret": "another-secret-value"})
    assert again.json()["admin_api"] is True
    assert again.json()["shop_domain"] == "shop.example.com"
    cleared = client.put(
        url, headers=store.auth, json={"webhook_secret": "another-secret-value", "admin_api": None}
    )
    assert cleared.json()["admin_api"] is False
    assert len(client.get("/api/v1/connectors", headers=store.auth).json()["connectors"]) == 1


def test_refusals(client: TestClient, store: StoreKeys) -> None:
    assert (
        client.put(
            "/api/v1/connectors/magento", headers=store.auth, json={"webhook_secret": SECRET}
        ).status_code
        == 404
    )
    short = client.put("/api/v1/connectors/sapo", headers=store.auth, json={"webhook_secret": "x"})
    assert short.status_code == 422
    no_base = client.put(
        "/api/v1/connectors/shopify",
        headers=store.auth,
        json={"webhook_secret": SECRET, "admin_api": {"access_token": "shpat_x"}},
    )
    assert no_base.status_code == 422
    assert "shop_domain" in no_base.json()["error"]["message"]
    no_key = client.put("/api/v1/connectors/sapo", json={"webhook_secret": SECRET})
    assert no_key.status_code == 401
