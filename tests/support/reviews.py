"""Review helpers for tests: a shop with products and orders, widget submissions, reading a
product's reviews."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from starlette.testclient import TestClient

from rcommerce.orders import service as orders
from rcommerce.orders.models import OrderItemIn, ProductIn
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.runtime import StoreKeys

ORIGIN = "https://shop.example"


PRODUCTS = {
    "ao-thun": "Áo thun cotton",
    "tai-nghe": "Tai nghe Bluetooth",
    "ca-phe": "Cà phê Robusta",
}


def add_products(runtime: Runtime, keys: StoreKeys, products: dict[str, str] = PRODUCTS) -> None:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        for product_id, name in products.items():
            orders.upsert_product(
                session=session,
                store=store,
                product_id=product_id,
                data=ProductIn(
                    name=name,
                    price=Decimal("189000"),
                    url=f"https://shop.example/p/{product_id}",
                    image_url=f"https://shop.example/img/{product_id}.jpg",
                ),
            )


def make_order(
    runtime: Runtime,
    keys: StoreKeys,
    order_id: str,
    email: str,
    products: list[str],
    customer_name: str = "Nguyễn Văn An",
) -> None:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        orders.store_order(
            session=session,
            store=store,
            order_id=order_id,
            email=email,
            total=Decimal("378000"),
            currency="VND",
            customer_name=customer_name,
            items=[
                OrderItemIn(product_id=p, name=PRODUCTS.get(p, p), price=Decimal("189000"))
                for p in products
            ],
        )


Submit = Callable[..., Any]


def reviews_of(client: TestClient, pk: str, product_id: str = "ao-thun", **params: Any) -> Any:
    response = client.get(
        f"/embed/v1/{pk}/products/{product_id}/reviews", params=params, headers={"Origin": ORIGIN}
    )
    assert response.status_code == 200, response.text
    return response.json()
