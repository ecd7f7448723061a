"""The catalogue (product ids, products learned from orders) and requests racing to record
the same order or product."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.orders import service as orders
from rcommerce.orders.models import Order, OrderItemIn, Product
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.referrals import enrol
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


def _at_once(app: Any, n: int, send: Any) -> list[Any]:
    """``send(client)`` from ``n`` threads released together; their responses."""
    barrier = threading.Barrier(n)
    responses: list[Any] = [None] * n

    def run(i: int) -> None:
        client = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)
        barrier.wait()
        responses[i] = send(client)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_racing_copies_of_an_order_get_the_answer_of_a_retry(
    app: Any, client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    """20 copies of one order at once (a store's retrying backend): one records it (201),
    every other gets what a sequential retry gets (200, the stored record), none a 500."""
    code = enrol(client, store)["referral_code"]
    order = {
        "order_id": "DH-RACE",
        "email": "friend@example.com",
        "total": "300000",
        "currency": "VND",
        "referral_code": code,
        "items": [{"product_id": "new-sku", "name": "Áo mới", "quantity": 1, "price": "300000"}],
    }
    responses = _at_once(
        app, 20, lambda c: c.post("/api/v1/orders", headers=store.auth, json=order)
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 19 + [201], [r.text for r in responses if r.status_code >= 500]
    retry = client.post("/api/v1/orders", headers=store.auth, json=order)
    assert retry.status_code == 200
    assert all(r.json() == retry.json() for r in responses)
    assert retry.json()["attributed"] is True
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(func.count()).select_from(Order)).one() == 1
        assert session.exec(select(func.count()).select_from(Product)).one() == 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_racing_puts_of_a_new_product_store_it_once(
    app: Any, client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    responses = _at_once(
        app,
        20,
        lambda c: c.put(
            "/api/v1/products/ao-moi", headers=store.auth, json={"name": "Áo mới", "price": "5"}
        ),
    )
    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses]
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(func.count()).select_from(Product)).one() == 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_orders_racing_to_teach_the_same_product_are_both_stored(
    app: Any, client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    def send(c: TestClient) -> Any:
        order_id = f"DH-{threading.get_ident()}"
        return c.post(
            "/api/v1/orders",
            headers=store.auth,
            json={
                "order_id": order_id,
                "email": "buyer@example.com",
                "total": "5",
                "currency": "VND",
                "items": [{"product_id": "sku-9", "name": "Nến", "quantity": 1, "price": "5"}],
            },
        )

    responses = _at_once(app, 10, send)
    assert [r.status_code for r in responses] == [201] * 10, [r.text for r in responses]
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(func.count()).select_from(Order)).one() == 10
        assert session.exec(select(func.count()).select_from(Product)).one() == 1
