"""A person's data in the connectors: coupons restricted to their e-mail, exported and erased
with the rest of their data; one still waiting to be created in the platform is not created."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.connectors.models import ConnectorCoupon
from rcommerce.runtime import Runtime
from tests.support.runtime import StoreKeys


def coupon(runtime: Runtime, keys: StoreKeys, code: str, email: str, status: str) -> None:
    with runtime.transaction() as session:
        session.add(
            ConnectorCoupon(
                store_id=keys.store_id,
                platform="woocommerce",
                code=code,
                kind="fixed_amount",
                value=Decimal("50000"),
                recipient="advocate",
                email=email,
                starts_at=runtime.now() - timedelta(days=1),
                status=status,
            )
        )


def test_coupons_restricted_to_an_address_are_exported_and_forgotten(
    client: TestClient, runtime: Runtime, store: StoreKeys, make_store: Callable[..., StoreKeys]
) -> None:
    other = make_store(name="Other shop")
    coupon(runtime, store, "RC-SENT", "lan@example.com", "created")
    coupon(runtime, store, "RC-WAIT", "lan@example.com", "pending")
    coupon(runtime, store, "RC-HOA", "hoa@example.com", "pending")
    coupon(runtime, other, "RC-OTHER", "lan@example.com", "pending")
    who = {"email": "LAN@example.com"}
    exported = client.post("/api/v1/privacy/export", headers=store.auth, json=who).json()
    assert [(c["code"], c["status"]) for c in exported["connector_coupons"]] == [
        ("RC-SENT", "created"),
        ("RC-WAIT", "pending"),
    ]
    erased = client.post("/api/v1/privacy/erase", headers=store.auth, json=who).json()
    assert erased["connector_coupons"] == 2
    with runtime.transaction(readonly=True) as session:
        rows = {c.code: c for c in session.exec(select(ConnectorCoupon))}
    assert (rows["RC-SENT"].email, rows["RC-SENT"].status) == (None, "created")
    assert (rows["RC-WAIT"].email, rows["RC-WAIT"].status) == (None, "failed")
    assert (rows["RC-HOA"].email, rows["RC-HOA"].status) == ("hoa@example.com", "pending")
    assert (rows["RC-OTHER"].email, rows["RC-OTHER"].status) == ("lan@example.com", "pending")
    again = client.post("/api/v1/privacy/erase", headers=store.auth, json=who).json()
    assert again["connector_coupons"] == 0
