"""Helpers for the reviews tests: a shop with products, orders, and widget calls."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.platform_apis import apis, platform_apis_server
from tests.support.reviews import ORIGIN, Submit, add_products
from tests.support.runtime import StoreKeys

__all__ = ["apis", "platform_apis_server"]


@pytest.fixture
def shop(runtime: Runtime, store: StoreKeys) -> StoreKeys:
    add_products(runtime, store)
    return store


@pytest.fixture
def submit(client: TestClient, shop: StoreKeys) -> Submit:
    """POST a widget review; keyword arguments override a valid default body."""

    def post(pk: str | None = None, ip: str | None = None, **fields: Any) -> Any:
        body: dict[str, Any] = {
            "product_id": "ao-thun",
            "rating": 5,
            "body": "Vải mát, form đẹp, giao hàng nhanh.",
            "name": "Lan",
            "email": "lan@example.com",
        }
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not None}
        return client.post(
            f"/embed/v1/{pk or shop.publishable_key}/reviews",
            json=body,
            headers={"Origin": ORIGIN},
        )

    return post
