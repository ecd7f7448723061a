"""The catalogue: product ids and products learned from orders."""

from __future__ import annotations

from decimal import Decimal

from starlette.testclient import TestClient

from rcommerce.orders import service as orders
from rcommerce.orders.models import OrderItemIn
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.runtime import StoreKeys


def test_a_product_id_longer_than_the_catalogue_keeps_is_a_422(
    client: TestClient, store: StoreKeys
) -> None:
    """Product ids are at most 200 characters (as in orders); a longer one in the path is the
    caller's mistake on every database, not an overflow (PostgreSQL) or a silent store (SQLite)."""
    long_id = "x" * 201
    put = client.put(f"/api/v1/products/{long_id}", headers=store.auth, json={"name": "Áo"})
    assert put.status_code == 422, put.text
    assert put.json()["error"]["code"] == "invalid"
    assert client.get(f"/api/v1/products/{long_id}", headers=store.auth).status_code == 422
    ok = client.put(f"/api/v1/products/{'x' * 200}", headers=store.auth, json={"name": "Áo"})
    assert ok.status_code == 200


def test_orders_teach_the_catalogue_products_it_does_not_have(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    client.put("/api/v1/products/known", headers=store.auth, json={"name": "Kept", "price": "5"})
    with runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        orders.store_order(
            session=session,
            store=shop,
            order_id="DH1",
            email="an@example.com",
            total=Decimal("30"),
            currency=shop.currency,
            items=[
                OrderItemIn(product_id="known", name="Renamed", price=Decimal("9")),
                OrderItemIn(product_id="new", name="First name", price=Decimal("10")),
                OrderItemIn(product_id="new", name="Second name", price=Decimal("11")),
                OrderItemIn(product_id="unnamed"),
            ],
        )
    known = client.get("/api/v1/products/known", headers=store.auth).json()
    assert (known["name"], known["price"]) == ("Kept", "5.00")
    new = client.get("/api/v1/products/new", headers=store.auth).json()
    assert (new["name"], new["price"]) == ("First name", "10.00")
    assert client.get("/api/v1/products/unnamed", headers=store.auth).status_code == 404
