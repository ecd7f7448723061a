"""Points that expire: a store-set period, one ``expire`` ledger entry for what was earned
before it and not spent (spending takes the oldest points first), idempotent, never below
zero and never on a debt; the portal says when the next points expire."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from starlette.testclient import TestClient

from rcommerce.referrals import ledger, tasks
from rcommerce.referrals.models import LedgerEntry
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.catalogue import give_points
from tests.support.portal import sign_in
from tests.support.referrals import enrol, post_order
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import SMTPServer


def _expire_after(client: TestClient, store: StoreKeys, days: int | None) -> None:
    answer = client.patch("/api/v1/store", headers=store.auth, json={"points_expire_days": days})
    assert answer.status_code == 200, answer.text
    assert answer.json()["points_expire_days"] == days


def _spend(runtime: Runtime, store: StoreKeys, advocate_id: int, points: int, key: str) -> None:
    with runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        answer = ledger.redeem(
            session=session, store=shop, advocate_id=advocate_id, amount=Decimal(points),
            idempotency_key=key, unit="points", now=runtime.now(),
        )  # fmt: skip
    assert answer.status == 201, answer.body


def _clawback(runtime: Runtime, store: StoreKeys, advocate_id: int, points: int) -> None:
    with runtime.transaction() as session:
        session.add(
            LedgerEntry(
                store_id=store.store_id, advocate_id=advocate_id, unit="points",
                kind="clawback", amount=Decimal(-points), created_at=runtime.now(),
            )
        )  # fmt: skip


def _points(runtime: Runtime, advocate_id: int) -> tuple[Decimal, list[Decimal]]:
    """The balance and the expire entries' amounts, oldest first."""
    with runtime.transaction(readonly=True) as session:
        expired = session.exec(
            select(LedgerEntry.amount)
            .where(LedgerEntry.advocate_id == advocate_id, LedgerEntry.kind == "expire")
            .order_by(col(LedgerEntry.id))
        ).all()
        return ledger.balance(session, advocate_id, "points"), [Decimal(a) for a in expired]


def test_the_store_sets_the_period_and_bad_values_are_refused(
    client: TestClient, store: StoreKeys
) -> None:
    assert client.get("/api/v1/store", headers=store.auth).json()["points_expire_days"] is None
    _expire_after(client, store, 365)
    for wrong in (0, -1, 4000, "a year"):
        answer = client.patch(
            "/api/v1/store", headers=store.auth, json={"points_expire_days": wrong}
        )
        assert answer.status_code == 422, wrong
    _expire_after(client, store, None)


def test_unspent_points_expire_oldest_first_once(
    client: TestClient, runtime: Runtime, clock: Clock, store: StoreKeys
) -> None:
    advocate = enrol(client, store)["id"]
    give_points(runtime, store, advocate, 100)  # day 0
    clock.advance(days=10)
    give_points(runtime, store, advocate, 50)  # day 10
    _spend(runtime, store, advocate, 120, "spend")  # the 100 of day 0 and 20 of day 10
    tasks.expire_points(runtime)  # the store lets points live forever
    clock.advance(days=25)  # day 35: the points of day 0 are old, but were spent
    tasks.expire_points(runtime)
    assert _points(runtime, advocate) == (Decimal("30.00"), [])
    _expire_after(client, store, 30)
    tasks.expire_points(runtime)
    assert _points(runtime, advocate) == (Decimal("30.00"), [])
    clock.advance(days=6)  # day 41: the 30 left of day 10 expire
    tasks.expire_points(runtime)
    tasks.expire_points(runtime)  # twice: nothing more
    assert _points(runtime, advocate) == (Decimal("0.00"), [Decimal("-30.00")])
    give_points(runtime, store, advocate, 70)  # day 41
    clock.advance(days=29)
    tasks.expire_points(runtime)
    assert _points(runtime, advocate) == (Decimal("70.00"), [Decimal("-30.00")])
    clock.advance(days=2)
    tasks.expire_points(runtime)
    tasks.expire_points(runtime)
    assert _points(runtime, advocate) == (
        Decimal("0.00"),
        [Decimal("-30.00"), Decimal("-70.00")],
    )


def test_a_debt_is_never_expired_and_the_balance_never_goes_below_zero(
    client: TestClient, runtime: Runtime, clock: Clock, store: StoreKeys
) -> None:
    _expire_after(client, store, 30)
    advocate = enrol(client, store)["id"]
    other = enrol(client, store, email="khac@example.com")["id"]
    give_points(runtime, store, advocate, 100)
    give_points(runtime, store, other, 40)
    _clawback(runtime, store, advocate, 150)  # 50 owed
    clock.advance(days=40)
    tasks.expire_points(runtime)
    assert _points(runtime, advocate) == (Decimal("-50.00"), [])
    assert _points(runtime, other) == (Decimal("0.00"), [Decimal("-40.00")])
    give_points(runtime, store, advocate, 80)  # repays the 50; 30 are the advocate's
    clock.advance(days=20)
    tasks.expire_points(runtime)
    assert _points(runtime, advocate) == (Decimal("30.00"), [])
    clock.advance(days=11)
    tasks.expire_points(runtime)
    tasks.expire_points(runtime)
    assert _points(runtime, advocate) == (Decimal("0.00"), [Decimal("-30.00")])
    assert _points(runtime, other) == (Decimal("0.00"), [Decimal("-40.00")])


def test_the_portal_shows_the_points_and_when_the_next_expire(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    clock: Clock,
    store: StoreKeys,
) -> None:
    advocate = enrol(client, store, email="hethan@example.com")["id"]
    give_points(smtp_runtime, store, advocate, 100)
    portal = sign_in(client, smtp_runtime, smtp_server, store, "hethan@example.com")
    assert "hết hạn" not in client.get(portal).text  # points never expire
    _expire_after(client, store, 30)
    clock.advance(days=5)
    give_points(smtp_runtime, store, advocate, 40)
    _spend(smtp_runtime, store, advocate, 60, "spend")  # 40 left of the first 100
    day = (smtp_runtime.now() + timedelta(days=25)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    page = client.get(portal).text
    assert f"40 điểm sẽ hết hạn vào ngày {day:%d/%m/%Y}." in page
    clock.advance(days=26)
    tasks.expire_points(smtp_runtime)
    portal = sign_in(client, smtp_runtime, smtp_server, store, "hethan@example.com")
    page = client.get(portal).text
    assert "Điểm hết hạn" in page[page.index('id="ledger"') :]
    later = (smtp_runtime.now() + timedelta(days=4)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f"40 điểm sẽ hết hạn vào ngày {later:%d/%m/%Y}." in page


def test_a_clawback_takes_back_its_own_reward_not_the_oldest_points(
    client: TestClient, runtime: Runtime, clock: Clock, store: StoreKeys
) -> None:
    campaign = client.get("/api/v1/campaigns", headers=store.auth).json()["campaigns"][0]
    changed = client.patch(
        f"/api/v1/campaigns/{campaign['id']}",
        headers=store.auth,
        json={"advocate_reward_kind": "points", "advocate_reward_value": "100"},
    )
    assert changed.status_code == 200, changed.text
    _expire_after(client, store, 30)
    advocate = enrol(client, store)
    code = advocate["referral_code"]
    post_order(client, store, "R1", referral_code=code, email="a@example.com")  # day 0
    clock.advance(days=10)
    post_order(client, store, "R2", referral_code=code, email="b@example.com")  # day 10
    clock.advance(days=5)
    tasks.approve_rewards(runtime)  # day 15: R1's 100 points
    clock.advance(days=10)
    tasks.approve_rewards(runtime)  # day 25: R2's 100 points
    assert _points(runtime, advocate["id"]) == (Decimal("200.00"), [])
    refunded = client.post("/api/v1/orders/R2/refund", headers=store.auth)
    assert refunded.status_code == 200
    clock.advance(days=21)  # day 46: R1's points are 31 days old; R2's were taken back
    tasks.expire_points(runtime)
    assert _points(runtime, advocate["id"]) == (Decimal("0.00"), [Decimal("-100.00")])
