"""The catalogue of rewards for points: defined by the store, bought with points through the
ledger, once, whatever races; never on a debt."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlmodel import col, select
from starlette.testclient import TestClient

from rcommerce.referrals import catalogue, ledger
from rcommerce.referrals.models import Coupon, LedgerEntry
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.catalogue import add_item, give_points
from tests.support.referrals import enrol
from tests.support.runtime import StoreKeys


def test_the_store_defines_its_catalogue(client: TestClient, store: StoreKeys) -> None:
    fixed = add_item(client, store)
    percent = add_item(
        client, store, name="Giảm 10%", points_cost="300", coupon_kind="coupon_percent",
        coupon_value="10",
    )  # fmt: skip
    shipping = add_item(client, store, name="Miễn phí vận chuyển", coupon_kind="free_shipping")
    listed = client.get("/api/v1/catalogue", headers=store.auth).json()["items"]
    assert [i["id"] for i in listed] == [percent["id"], fixed["id"], shipping["id"]]
    assert shipping["coupon_value"] == "0.00"
    off = client.patch(
        f"/api/v1/catalogue/{fixed['id']}", headers=store.auth, json={"active": False}
    )
    assert off.status_code == 200 and off.json()["active"] is False
    for body in (
        {"name": "x", "points_cost": "0", "coupon_kind": "coupon_fixed", "coupon_value": "1"},
        {"name": "x", "points_cost": "5", "coupon_kind": "coupon_percent", "coupon_value": "150"},
        {"name": "x", "points_cost": "5", "coupon_kind": "coupon_fixed"},
        {"name": "x", "points_cost": "5", "coupon_kind": "store_credit", "coupon_value": "1"},
        {"name": "", "points_cost": "5", "coupon_kind": "free_shipping"},
    ):
        answer = client.post("/api/v1/catalogue", headers=store.auth, json=body)
        assert answer.status_code == 422, body
    wrong = client.patch(
        f"/api/v1/catalogue/{percent['id']}", headers=store.auth, json={"coupon_value": "101"}
    )
    assert wrong.status_code == 422
    assert client.patch("/api/v1/catalogue/999", headers=store.auth, json={}).status_code == 404


def test_racing_redemptions_spend_the_points_once(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    item = add_item(client, store)  # 500 points
    give_points(runtime, store, advocate["id"], 700)  # enough for one
    barrier = threading.Barrier(6)
    answers: list[int] = []
    errors: list[BaseException] = []

    def spend(n: int) -> None:
        try:
            barrier.wait()
            with runtime.transaction() as session:
                shop = session.get(Store, store.store_id)
                assert shop is not None
                answer = catalogue.redeem_item(
                    session=session,
                    store=shop,
                    advocate_id=advocate["id"],
                    item_id=item["id"],
                    idempotency_key=f"tab-{n}",
                    now=runtime.now(),
                )
            answers.append(answer.status)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=spend, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(answers) == [201] + [409] * 5
    with runtime.transaction(readonly=True) as session:
        assert ledger.balance(session, advocate["id"], "points") == Decimal("200.00")
        coupons = session.exec(select(Coupon).where(Coupon.purpose == "redemption")).all()
        assert [(c.kind, c.value) for c in coupons] == [("coupon_fixed", Decimal("50000.00"))]


def test_a_debt_blocks_spending_points(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    item = add_item(client, store, coupon_kind="free_shipping", points_cost="100")
    give_points(runtime, store, advocate["id"], 1000)
    with runtime.transaction() as session:  # a clawback after the credit was spent
        session.add(
            LedgerEntry(
                store_id=store.store_id,
                advocate_id=advocate["id"],
                kind="clawback",
                amount=Decimal(-20000),
                created_at=runtime.now(),
            )
        )
    with runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        answer = catalogue.redeem_item(
            session=session,
            store=shop,
            advocate_id=advocate["id"],
            item_id=item["id"],
            idempotency_key="k",
            now=runtime.now(),
        )
    assert answer.status == 409 and answer.body["error"]["code"] == "balance_in_debt"
    with runtime.transaction(readonly=True) as session:
        assert ledger.balance(session, advocate["id"], "points") == Decimal("1000.00")
        assert not session.exec(select(Coupon).where(col(Coupon.purpose) == "redemption")).all()
