"""Points and catalogue items for the tests of spending points."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.testclient import TestClient

from rcommerce.referrals.models import LedgerEntry
from rcommerce.runtime import Runtime
from tests.support.runtime import StoreKeys


def give_points(runtime: Runtime, keys: StoreKeys, advocate_id: int, points: int) -> None:
    """Points earned by a reward (as an approved points reward writes them)."""
    with runtime.transaction() as session:
        session.add(
            LedgerEntry(
                store_id=keys.store_id,
                advocate_id=advocate_id,
                unit="points",
                kind="reward",
                amount=Decimal(points),
                created_at=runtime.now(),
            )
        )


def add_item(client: TestClient, keys: StoreKeys, **fields: Any) -> dict[str, Any]:
    body = {"name": "Giảm 50.000 ₫", "points_cost": "500", "coupon_kind": "coupon_fixed"}
    body.update(fields)
    body.setdefault("coupon_value", "50000" if body["coupon_kind"] == "coupon_fixed" else "0")
    answer = client.post("/api/v1/catalogue", headers=keys.auth, json=body)
    assert answer.status_code == 201, answer.text
    item: dict[str, Any] = answer.json()
    return item
