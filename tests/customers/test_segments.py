from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.customers import report, service
from rcommerce.customers.models import CustomerSegment, ThresholdsUpdate
from rcommerce.customers.tasks import compute_store
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.customers.seed import EXPECTED, NOBODY, T0, seed
from tests.support.runtime import StoreKeys


def _seeded(runtime: Runtime, keys: StoreKeys) -> None:
    with runtime.transaction() as session:
        seed(session, keys.store_id)
    compute_store(runtime, keys.store_id)


def _memberships(runtime: Runtime, keys: StoreKeys) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    with runtime.transaction(readonly=True) as session:
        for m in session.exec(
            select(CustomerSegment).where(CustomerSegment.store_id == keys.store_id)
        ):
            found[m.segment].add(m.customer)
    return found


def _expected(**changes: set[str]) -> dict[str, set[str]]:
    return {name: members for name, members in {**EXPECTED, **changes}.items() if members}


def _set(runtime: Runtime, keys: StoreKeys, **thresholds: Any) -> None:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        service.update_thresholds(
            session=session,
            store=store,
            data=ThresholdsUpdate(**thresholds),
            now=runtime.now(),
        )
    runtime.dispatcher.drain()  # type: ignore[attr-defined]


def test_each_customer_lands_in_exactly_the_segments_built_for(
    runtime: Runtime, store: StoreKeys
) -> None:
    _seeded(runtime, store)
    found = _memberships(runtime, store)
    assert dict(found) == _expected()
    everyone = set().union(*found.values())
    assert not everyone & NOBODY


def test_changing_a_threshold_changes_the_segments(runtime: Runtime, store: StoreKeys) -> None:
    _seeded(runtime, store)
    # One coupon order is enough (and a whole share of them): the friend with a coupon joins;
    # ten clicks are needed now: the sharer with six leaves.
    _set(runtime, store, bargain_min_coupon_orders=1, sociable_min_clicks=10)
    assert dict(_memberships(runtime, store)) == _expected(
        bargain_hunters={"bargain@example.com", "friend.coupon@example.com"},
        sociables={"social.ref@example.com", "social.votes@example.com"},
    )
    # Marking toys as entertainment puts the phone buyer (two toys in three items) in it.
    _set(runtime, store, entertainment_categories=["đồ chơi"], entertainment_min_share=60)
    assert _memberships(runtime, store)["entertainment"] == {"+84901234567"}
    _set(runtime, store, entertainment_min_share=70)
    assert "entertainment" not in _memberships(runtime, store)
    # A tighter regularity leaves the routine shopper out; a longer decision leaves the seeker
    # (the asker stays: asking is enough), and two questions leave the asker out too.
    _set(runtime, store, routine_max_irregularity=5, information_min_days_to_decide=6)
    found = _memberships(runtime, store)
    assert "routine" not in found and found["information_seekers"] == {"asker@example.com"}
    _set(runtime, store, information_min_questions=2)
    assert "information_seekers" not in _memberships(runtime, store)


def test_reasons_name_the_rule_and_its_figures(runtime: Runtime, store: StoreKeys) -> None:
    _seeded(runtime, store)
    with runtime.transaction(readonly=True) as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        bargain = report.customer_segments(
            session=session, store=shop, customer="Bargain@Example.com"
        )
        phone = report.customer_segments(session=session, store=shop, customer="0901 234 567")
    assert bargain["segments"] == [
        {
            "name": "bargain_hunters",
            "reason": {
                "tests": ["coupon_share"],
                "figures": {"orders": 3, "coupon_orders": 2, "coupon_share": 67},
            },
        }
    ]
    assert phone == {
        "customer": "+84901234567",
        "segments": [],
        "computed_at": phone["computed_at"],
    }


def test_report_members_and_settings_over_the_api(
    runtime: Runtime, store: StoreKeys, client: TestClient
) -> None:
    _seeded(runtime, store)
    day = T0.date()
    answer = client.get(
        "/api/v1/reports/segments",
        params={"from": day.isoformat(), "to": (day + timedelta(days=44)).isoformat()},
        headers=store.auth,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    rows = {row["name"]: row for row in body["segments"]}
    assert [row["name"] for row in body["segments"]] == list(EXPECTED)
    assert rows["routine"]["customers"] == 1 and rows["routine"]["orders"] == 4
    assert rows["routine"]["revenue"] == "800000.00"
    assert rows["routine"]["average_order_value"] == "200000.00"
    # 19 orders of 200 000 each were kept (three were refunded): the routine shopper has 4.
    assert rows["routine"]["revenue_share"] == round(4 / 19, 4)
    assert rows["convenience"]["referral_rate"] == 1.0
    assert rows["sociables"]["review_rate"] == round(1 / 3, 4)
    assert rows["entertainment"]["orders"] == 0 and rows["entertainment"]["revenue_share"] == 0
    for row in body["segments"]:
        for rate in ("referral_rate", "review_rate", "revenue_share"):
            assert row[rate] is None or 0 <= row[rate] <= 1
    as_csv = client.get(
        "/api/v1/reports/segments",
        params={"from": day.isoformat(), "to": (day + timedelta(days=44)).isoformat()},
        headers={**store.auth, "Accept": "text/csv"},
    )
    table = list(csv.DictReader(io.StringIO(as_csv.text.lstrip("\ufeff"))))
    assert [r["name"] for r in table] == list(EXPECTED) and table[4]["orders"] == "4"
    members = client.get("/api/v1/segments/sociables/customers?limit=2", headers=store.auth)
    page = members.json()
    assert [c["customer"] for c in page["customers"]] == [
        "social.clicks@example.com",
        "social.ref@example.com",
    ]
    rest = client.get(
        "/api/v1/segments/sociables/customers", params={"after": page["next"]}, headers=store.auth
    ).json()
    assert [c["customer"] for c in rest["customers"]] == ["social.votes@example.com"]
    assert rest["next"] is None
    assert rest["customers"][0]["reason"]["tests"] == ["helpful_votes"]
    changed = client.patch(
        "/api/v1/store/segments", json={"sociable_min_helpful_votes": 5}, headers=store.auth
    )
    assert changed.status_code == 200
    assert changed.json()["thresholds"]["sociable_min_helpful_votes"] == 5
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    now = client.get("/api/v1/store/segments", headers=store.auth).json()
    assert now["members"]["sociables"] == 2


def test_bad_input_is_a_clear_4xx(store: StoreKeys, client: TestClient) -> None:
    for path, params in (
        ("/api/v1/reports/segments", {"from": "2026-13-01", "to": "2026-03-01"}),
        ("/api/v1/reports/segments", {"from": "2026-03-02", "to": "2026-03-01"}),
        ("/api/v1/reports/segments", {"from": "2020-01-01", "to": "2026-03-01"}),
        ("/api/v1/segments/whales/customers", {}),
        ("/api/v1/customers/not-a-phone", {}),
    ):
        answer = client.get(path, params=params, headers=store.auth)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["error"]["code"]
    for body in ({"routine_min_orders": 1}, {"nonsense": 3}, {"entertainment_min_share": 101}):
        answer = client.patch("/api/v1/store/segments", json=body, headers=store.auth)
        assert answer.status_code == 422, body
    assert client.get("/api/v1/reports/segments?from=2026-03-01&to=2026-03-02").status_code == 401


def test_stores_see_only_their_own_customers(
    runtime: Runtime, store: StoreKeys, make_store: Any, client: TestClient
) -> None:
    _seeded(runtime, store)
    other = make_store(name="Other")
    compute_store(runtime, other.store_id)
    assert _memberships(runtime, other) == {}
    answer = client.get("/api/v1/customers/bargain@example.com", headers=other.auth)
    assert answer.json()["segments"] == []


def test_an_erased_buyer_leaves_the_segments_at_once(
    runtime: Runtime, store: StoreKeys, client: TestClient
) -> None:
    _seeded(runtime, store)
    erased = client.post(
        "/api/v1/orders/privacy/erase", json={"email": "Routine@example.com"}, headers=store.auth
    )
    assert erased.status_code == 200, erased.text
    assert "routine" not in _memberships(runtime, store)  # before any run
    for body in ({"email": "bargain@example.com"}, {"phone": "0901 234 567"}):
        erased = client.post("/api/v1/orders/privacy/erase", json=body, headers=store.auth)
        assert erased.status_code == 200, erased.text
    _set(runtime, store, entertainment_categories=["đồ chơi"])  # recomputed: still gone
    found = _memberships(runtime, store)
    assert not {"routine", "bargain_hunters", "entertainment"} & set(found)
