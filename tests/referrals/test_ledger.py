"""The ledger never overdraws and never spends twice, however many requests race."""

from __future__ import annotations

import threading
from decimal import Decimal

from starlette.testclient import TestClient

from rcommerce.advocates.models import Advocate
from rcommerce.errors import ApiError
from rcommerce.referrals import ledger
from rcommerce.referrals.models import LedgerEntry
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.referrals import enrol
from tests.support.runtime import StoreKeys


def credit(runtime: Runtime, store: StoreKeys, advocate_id: int, amount: int) -> None:
    with runtime.transaction() as session:
        session.add(
            LedgerEntry(
                store_id=store.store_id,
                advocate_id=advocate_id,
                kind="reward",
                amount=Decimal(amount),
                created_at=runtime.now(),
            )
        )


def test_fifty_racing_redemptions_spend_exactly_the_balance(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    credit(runtime, store, advocate["id"], 100_000)  # covers 10 redemptions of 10 000
    barrier = threading.Barrier(50)
    answers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def spend(n: int) -> None:
        try:
            barrier.wait()
            with runtime.transaction() as session:
                shop = session.get(Store, store.store_id)
                assert shop is not None
                answer = ledger.redeem(
                    session=session,
                    store=shop,
                    advocate_id=advocate["id"],
                    amount=Decimal(10_000),
                    idempotency_key=f"key-{n}",
                    now=runtime.now(),
                )
            with lock:
                answers.append(answer.status)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=spend, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sorted(answers) == [201] * 10 + [409] * 40
    with runtime.transaction(readonly=True) as session:
        assert ledger.balance(session, advocate["id"]) == Decimal("0.00")
        entries = session.exec(
            LedgerEntry.__table__.select().where(  # type: ignore[attr-defined]
                LedgerEntry.kind == "redemption"
            )
        ).all()
        assert len(entries) == 10


def test_racing_http_redemptions_with_one_key_give_one_answer(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    credit(runtime, store, advocate["id"], 30_000)
    url = f"/api/v1/advocates/{advocate['id']}/redemptions"
    barrier = threading.Barrier(8)
    bodies: list[tuple[int, dict[str, object]]] = []

    def spend() -> None:
        barrier.wait()
        response = client.post(
            url, headers={**store.auth, "Idempotency-Key": "same"}, json={"amount": "20000"}
        )
        bodies.append((response.status_code, response.json()))

    threads = [threading.Thread(target=spend) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(bodies) == 8
    assert {status for status, _ in bodies} == {201}
    assert len({str(body) for _, body in bodies}) == 1
    detail = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()
    assert detail["balance"] == "10000.00"


def test_repeated_key_returns_the_first_answer(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    credit(runtime, store, advocate["id"], 15_000)
    url = f"/api/v1/advocates/{advocate['id']}/redemptions"
    first = client.post(
        url, headers={**store.auth, "Idempotency-Key": "k1"}, json={"amount": 10000}
    )
    assert first.status_code == 201
    assert first.json()["balance"] == "5000.00" and first.json()["coupon_code"].startswith("RC")
    again = client.post(
        url, headers={**store.auth, "Idempotency-Key": "k1"}, json={"amount": 10000}
    )
    assert again.status_code == 201 and again.json() == first.json()
    refused = client.post(
        url, headers={**store.auth, "Idempotency-Key": "k2"}, json={"amount": 10000}
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "insufficient_balance"
    assert refused.json()["error"]["balance"] == "5000.00"
    credit(runtime, store, advocate["id"], 50_000)
    # The refusal is the first answer for k2, even though the balance now covers it.
    assert (
        client.post(
            url, headers={**store.auth, "Idempotency-Key": "k2"}, json={"amount": 10000}
        ).status_code
        == 409
    )
    client.patch(
        f"/api/v1/advocates/{advocate['id']}", headers=store.auth, json={"status": "blocked"}
    )
    blocked = client.post(url, headers={**store.auth, "Idempotency-Key": "k4"}, json={"amount": 1})
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "advocate_blocked"
    reused = client.post(url, headers={**store.auth, "Idempotency-Key": "k1"}, json={"amount": 1})
    assert reused.status_code == 422
    missing = client.post(url, headers=store.auth, json={"amount": 1})
    assert missing.status_code == 422
    negative = client.post(
        url, headers={**store.auth, "Idempotency-Key": "k3"}, json={"amount": -5}
    )
    assert negative.status_code == 422
    coupon = client.get(f"/api/v1/coupons/{first.json()['coupon_code']}", headers=store.auth)
    assert coupon.json()["value"] == "10000.00" and coupon.json()["status"] == "active"


def test_another_stores_key_cannot_redeem_or_read(
    client: TestClient, runtime: Runtime, make_store: object
) -> None:
    a = make_store(name="A")  # type: ignore[operator]
    b = make_store(name="B")  # type: ignore[operator]
    advocate = enrol(client, a)
    credit(runtime, a, advocate["id"], 10_000)
    url = f"/api/v1/advocates/{advocate['id']}/redemptions"
    stolen = client.post(url, headers={**b.auth, "Idempotency-Key": "x"}, json={"amount": 10000})
    assert stolen.status_code == 404
    assert client.get(f"/api/v1/advocates/{advocate['id']}", headers=b.auth).status_code == 404
    assert (
        client.get(f"/api/v1/advocates/{advocate['id']}/export", headers=b.auth).status_code == 404
    )
    assert client.delete(f"/api/v1/advocates/{advocate['id']}", headers=b.auth).status_code == 404
    friend_code = advocate["friend_coupon_code"]
    assert client.get(f"/api/v1/coupons/{friend_code}", headers=b.auth).status_code == 404
    typed = client.get(f"/api/v1/coupons/{friend_code.lower()}", headers=a.auth)
    assert typed.status_code == 200 and typed.json()["code"] == friend_code
    with runtime.transaction(readonly=True) as session:
        assert ledger.balance(session, advocate["id"]) == Decimal("10000.00")
        assert session.get(Advocate, advocate["id"]) is not None
    try:
        with runtime.transaction() as session:
            shop = session.get(Store, b.store_id)
            assert shop is not None
            ledger.redeem(
                session=session,
                store=shop,
                advocate_id=advocate["id"],
                amount=Decimal(1),
                idempotency_key="y",
                now=runtime.now(),
            )
    except ApiError as exc:
        assert exc.status == 404
    else:  # pragma: no cover
        raise AssertionError("another store redeemed")
