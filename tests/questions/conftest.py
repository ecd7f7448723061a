"""Helpers for the questions tests: the reviews tests' shop (products, orders) and widget calls."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.reviews import ORIGIN, add_products
from tests.support.runtime import StoreKeys


@pytest.fixture
def shop(runtime: Runtime, store: StoreKeys) -> StoreKeys:
    add_products(runtime, store)
    return store


@pytest.fixture
def ask(client: TestClient, shop: StoreKeys) -> Any:
    """POST a widget question; keyword arguments override a valid default body."""

    def post(product_id: str = "ao-thun", pk: str | None = None, **fields: Any) -> Any:
        body: dict[str, Any] = {
            "body": "Áo này giặt máy được không, có bị co không?",
            "name": "Hoa",
            "email": "hoa@example.com",
        }
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not None}
        return client.post(
            f"/embed/v1/{pk or shop.publishable_key}/products/{product_id}/questions",
            json=body,
            headers={"Origin": ORIGIN},
        )

    return post


def questions_of(client: TestClient, pk: str, product_id: str = "ao-thun", **params: Any) -> Any:
    response = client.get(
        f"/embed/v1/{pk}/products/{product_id}/questions", params=params, headers={"Origin": ORIGIN}
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def submit(client: TestClient, shop: StoreKeys) -> Any:
    """POST a widget review of "ao-thun" (the reviews tests' helper, for search tests)."""

    def post(**fields: Any) -> Any:
        body: dict[str, Any] = {
            "product_id": "ao-thun",
            "rating": 5,
            "body": "Vải mát, form đẹp, giao hàng nhanh.",
            "name": "Lan",
            "email": "lan@example.com",
        }
        body.update(fields)
        return client.post(
            f"/embed/v1/{shop.publishable_key}/reviews", json=body, headers={"Origin": ORIGIN}
        )

    return post
