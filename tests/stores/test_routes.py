from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.runtime import StoreKeys


def test_secret_key_is_stored_only_as_a_hash(runtime: Runtime, store: StoreKeys) -> None:
    with runtime.transaction(readonly=True) as session:
        row = session.exec(select(Store).where(Store.id == store.store_id)).one()
    assert store.secret_key not in (row.secret_key_hash, row.secret_key_hint)
    assert store.secret_key.startswith("sk_live_") and store.publishable_key.startswith("pk_live_")
    assert row.allowed_origins == ["https://shop.example"]


def test_store_reads_its_own_settings(client: TestClient, store: StoreKeys) -> None:
    response = client.get("/api/v1/store", headers=store.auth)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == store.store_id
    assert "secret_key" not in body and "secret_key_hash" not in body


def test_missing_or_wrong_key_is_401(client: TestClient, store: StoreKeys) -> None:
    assert client.get("/api/v1/store").status_code == 401
    wrong = client.get("/api/v1/store", headers={"Authorization": "Bearer sk_live_nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "unauthorized"
    publishable = client.get(
        "/api/v1/store", headers={"Authorization": f"Bearer {store.publishable_key}"}
    )
    assert publishable.status_code == 401


def test_one_stores_key_never_reaches_another_stores_data(
    client: TestClient, make_store: Callable[..., StoreKeys]
) -> None:
    a = make_store(name="A")
    b = make_store(name="B", origins=("https://b.example",))
    put = client.put("/api/v1/products/sku-b", headers=b.auth, json={"name": "B's secret product"})
    assert put.status_code == 200
    seen = client.get("/api/v1/products/sku-b", headers=a.auth)
    assert seen.status_code == 404
    assert "secret product" not in seen.text
    # A writing the same product id creates A's own product, leaving B's untouched.
    client.put("/api/v1/products/sku-b", headers=a.auth, json={"name": "A's"})
    assert (
        client.get("/api/v1/products/sku-b", headers=b.auth).json()["name"] == "B's secret product"
    )
    assert client.get("/api/v1/store", headers=a.auth).json()["id"] == a.store_id


def test_rotating_the_secret_key_revokes_the_old_one(client: TestClient, store: StoreKeys) -> None:
    response = client.post("/api/v1/store/secret-key", headers=store.auth)
    assert response.status_code == 201
    new_key = response.json()["secret_key"]
    assert client.get("/api/v1/store", headers=store.auth).status_code == 401
    assert (
        client.get("/api/v1/store", headers={"Authorization": f"Bearer {new_key}"}).status_code
        == 200
    )


def test_update_store_normalises_origins(client: TestClient, store: StoreKeys) -> None:
    response = client.patch(
        "/api/v1/store",
        headers=store.auth,
        json={"allowed_origins": ["HTTPS://Shop.Example:443/", "http://localhost:3000"]},
    )
    assert response.status_code == 200
    assert response.json()["allowed_origins"] == ["https://shop.example", "http://localhost:3000"]
    bad = client.patch(
        "/api/v1/store", headers=store.auth, json={"allowed_origins": ["javascript:alert(1)"]}
    )
    assert bad.status_code == 422


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_home_is_a_small_page_for_a_browser_and_json_for_an_api_client(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    page = client.get("/", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "rcommerce" in page.text and "/openapi.json" in page.text and "/dashboard/" in page.text
    for secret in (runtime.settings.secret_key, store.secret_key, store.publishable_key):
        assert secret not in page.text
    for accept in ("application/json", "*/*", None):
        answer = client.get("/", headers={"Accept": accept} if accept else {})
        assert answer.headers["content-type"] == "application/json", accept
        assert answer.json()["service"] == "rcommerce"
        assert answer.json()["openapi"].endswith("/openapi.json")
