"""Points for purchases: off until the store sets a rate; an advocate's own order earns points
pending for the hold period, then credited once; refunds void them or claw them back, in
proportion on a partial refund."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.referrals import ledger, tasks
from rcommerce.referrals.models import PurchasePoints
from rcommerce.runtime import Runtime
from tests.support.portal import sign_in
from tests.support.referrals import enrol, post_order
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import SMTPServer


def _settings(client: TestClient, store: StoreKeys, **changes: Any) -> dict[str, Any]:
    answer = client.patch("/api/v1/store", headers=store.auth, json=changes)
    assert answer.status_code == 200, answer.text
    shown: dict[str, Any] = answer.json()
    return shown


def _refund(client: TestClient, store: StoreKeys, order_id: str, **body: str) -> None:
    answer = client.post(f"/api/v1/orders/{order_id}/refund", headers=store.auth, json=body)
    assert answer.status_code == 200, answer.text


def _state(runtime: Runtime, advocate_id: int) -> tuple[Decimal, list[tuple[str, Decimal]]]:
    """The points balance and each purchase's (status, points), oldest first."""
    with runtime.transaction(readonly=True) as session:
        rows = session.exec(
            select(PurchasePoints)
            .where(PurchasePoints.advocate_id == advocate_id)
            .order_by(PurchasePoints.id)  # type: ignore[arg-type]
        ).all()
        return ledger.balance(session, advocate_id, "points"), [
            (r.status, Decimal(r.points)) for r in rows
        ]


def test_the_rate_is_off_by_default_and_checked(client: TestClient, store: StoreKeys) -> None:
    shown = client.get("/api/v1/store", headers=store.auth).json()
    assert shown["points_per_order_amount"] is None and shown["points_order_amount"] == "1000.00"
    for wrong in ({"points_per_order_amount": "0"}, {"points_order_amount": "-5"},
                  {"points_order_amount": None}, {"points_per_order_amount": "lots"}):  # fmt: skip
        answer = client.patch("/api/v1/store", headers=store.auth, json=wrong)
        assert answer.status_code == 422, wrong
    shown = _settings(client, store, points_per_order_amount="2", points_order_amount="10000")
    assert (shown["points_per_order_amount"], shown["points_order_amount"]) == ("2.00", "10000.00")
    assert _settings(client, store, points_per_order_amount=None)["points_per_order_amount"] is None


def test_an_advocate_earns_points_on_their_own_orders_after_the_hold(
    client: TestClient, runtime: Runtime, clock: Clock, store: StoreKeys
) -> None:
    lan = enrol(client, store, email="lan@example.com")["id"]
    post_order(client, store, "OFF", email="lan@example.com", total="500000")
    _settings(client, store, points_per_order_amount="1")  # 1 point per 1 000 VND
    post_order(client, store, "A1", email="Lan@Example.com", total="455500")
    post_order(client, store, "NOBODY", email="khach@example.com", total="900000")
    assert _state(runtime, lan) == (Decimal("0.00"), [("pending", Decimal("455.50"))])
    clock.advance(days=13)
    tasks.issue_purchase_points(runtime)
    assert _state(runtime, lan) == (Decimal("0.00"), [("pending", Decimal("455.50"))])
    clock.advance(days=1, minutes=1)  # the default campaign holds rewards 14 days
    tasks.issue_purchase_points(runtime)
    tasks.issue_purchase_points(runtime)
    assert _state(runtime, lan) == (Decimal("455.50"), [("issued", Decimal("455.50"))])
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(PurchasePoints)).all()[0].advocate_id == lan
    # A fifth refunded: a fifth of the points clawed back; then the rest, once.
    _refund(client, store, "A1", amount="91100", refund_id="R1")
    assert _state(runtime, lan) == (Decimal("364.40"), [("issued", Decimal("364.40"))])
    _refund(client, store, "A1")
    _refund(client, store, "A1")
    assert _state(runtime, lan) == (Decimal("0.00"), [("clawed_back", Decimal("364.40"))])


def test_a_refund_during_the_hold_lowers_or_voids_the_pending_points(
    client: TestClient, runtime: Runtime, clock: Clock, store: StoreKeys
) -> None:
    campaign = client.get("/api/v1/campaigns", headers=store.auth).json()["campaigns"][0]
    changed = client.patch(
        f"/api/v1/campaigns/{campaign['id']}", headers=store.auth, json={"hold_days": 3}
    )
    assert changed.status_code == 200, changed.text
    _settings(client, store, points_per_order_amount="5", points_order_amount="10000")
    mai = enrol(client, store, email="mai@example.com")["id"]
    post_order(client, store, "B1", email="mai@example.com", total="200000")  # 100 points
    post_order(client, store, "B2", email="mai@example.com", total="40000")  # 20 points
    _refund(client, store, "B1", amount="50000", refund_id="R1")
    assert _state(runtime, mai)[1] == [("pending", Decimal("75.00")), ("pending", Decimal("20"))]
    _refund(client, store, "B2")
    clock.advance(days=3, minutes=1)
    tasks.issue_purchase_points(runtime)
    assert _state(runtime, mai) == (
        Decimal("75.00"),
        [("issued", Decimal("75.00")), ("void", Decimal("20.00"))],
    )


def test_the_portal_and_the_export_show_points_on_their_way(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    _settings(client, store, points_per_order_amount="1")
    hoa = enrol(client, store, email="hoa@example.com")["id"]
    post_order(client, store, "C1", email="hoa@example.com", total="120500")
    portal = sign_in(client, smtp_runtime, smtp_server, store, "hoa@example.com")
    page = client.get(portal).text
    pending = page[page.index('id="pending"') : page.index('id="ledger"')]
    assert "120.5 điểm" in pending
    export = client.get(f"/api/v1/advocates/{hoa}/export", headers=store.auth).json()
    assert [(p["points"], p["status"]) for p in export["purchase_points"]] == [
        ("120.50", "pending")
    ]
