"""The segments report compares segments' referral results, figures checked by hand on the
seeded store (tests/customers/seed.py)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.advocates.models import Advocate
from rcommerce.customers.tasks import compute_store
from rcommerce.orders.models import Order
from rcommerce.referrals.models import Conversion, Reward
from rcommerce.runtime import Runtime
from tests.customers.seed import T0, Seeder, seed
from tests.support.runtime import StoreKeys

ZERO = {
    "advocates": 0,
    "unique_clicks": 0,
    "referred_buyers": 0,
    "referral_revenue": "0.00",
    "conversion_rate": None,
    "rewards_cost": "0.00",
    "reward_points": "0.00",
}


def _reward(conversion: Conversion, recipient: str, kind: str, value: int, status: str) -> Reward:
    assert conversion.id is not None
    return Reward(
        store_id=conversion.store_id,
        conversion_id=conversion.id,
        advocate_id=conversion.advocate_id,
        recipient=recipient,
        kind=kind,
        value=Decimal(value),
        status=status,
    )


def _seeded(runtime: Runtime, store: StoreKeys) -> None:
    with runtime.transaction() as session:
        seed(session, store.store_id)
    compute_store(runtime, store.store_id)
    with runtime.transaction() as session:
        by_email = {
            a.email: a
            for a in session.exec(select(Advocate).where(Advocate.store_id == store.store_id))
        }
        buyers = {
            c.id: session.get(Order, c.order_pk)
            for c in session.exec(select(Conversion).where(Conversion.store_id == store.store_id))
        }
        conversion = {
            order.email: session.get(Conversion, pk) for pk, order in buyers.items() if order
        }
        quick = conversion["friend.quick@example.com"]  # social.ref's friend: 200 000
        seeker = conversion["seeker@example.com"]  # outsider's, by a click
        coupon = conversion["friend.coupon@example.com"]  # outsider's, by the friend's coupon
        assert quick and seeker and coupon
        session.add(_reward(quick, "advocate", "store_credit", 50_000, "pending"))
        session.add(_reward(quick, "friend", "coupon_percent", 10, "redeemed"))  # 20 000
        session.add(_reward(seeker, "advocate", "points", 500, "issued"))
        session.add(_reward(seeker, "friend", "store_credit", 50_000, "void"))  # refunded: none
        session.add(_reward(coupon, "friend", "coupon_fixed", 30_000, "redeemed"))
        # Outside the range, or not accepted: none of it counts.
        s = Seeder(session, store.store_id)
        s.n = 1000  # order ids after the seed's
        early = s.order("early@example.com", T0 - timedelta(days=10))
        s.referred(early, by_email["social.ref@example.com"])
        s.click(by_email["social.clicks@example.com"], T0 - timedelta(days=3))
        held = s.order("held@example.com", T0 + timedelta(days=12))
        held_conversion = s.referred(held, by_email["social.ref@example.com"])
        held_conversion.status = "held"
        session.add(held_conversion)
    # The segments job writes each segment's daily clicks: run it again over all of it.
    compute_store(runtime, store.store_id)


def test_each_segments_referral_results_side_by_side(
    runtime: Runtime, store: StoreKeys, client: TestClient
) -> None:
    _seeded(runtime, store)
    day = T0.date()
    params = {"from": day.isoformat(), "to": (day + timedelta(days=44)).isoformat()}
    body = client.get("/api/v1/reports/segments", params=params, headers=store.auth).json()
    found = {row["name"]: row["referrals"] for row in body["segments"]}
    # Sociables: social.ref (1 click, 1 buyer of 200 000, 50 000 credit + 10% of 200 000 to
    # the friend) and social.clicks (6 clicks in range; the one before it is left out).
    assert found["sociables"] == {
        "advocates": 2,
        "unique_clicks": 7,
        "referred_buyers": 1,
        "referral_revenue": "200000.00",
        "conversion_rate": round(1 / 7, 4),
        "rewards_cost": "70000.00",
        "reward_points": "0.00",
    }
    for name in ("convenience", "information_seekers", "bargain_hunters", "routine"):
        assert found[name] == ZERO, name
    # The whole programme adds the outsider (no orders, no segment): 1 click, 2 buyers,
    # 500 points and the friend's 30 000 coupon (the void reward costs nothing).
    assert body["referrals"] == {
        "advocates": 3,
        "unique_clicks": 8,
        "referred_buyers": 3,
        "referral_revenue": "600000.00",
        "conversion_rate": 0.375,
        "rewards_cost": "100000.00",
        "reward_points": "500.00",
    }
    # A range that holds only the early referral: it counts for social.ref's segment then.
    before = {
        "from": (day - timedelta(days=12)).isoformat(),
        "to": (day - timedelta(days=1)).isoformat(),
    }
    early = client.get("/api/v1/reports/segments", params=before, headers=store.auth).json()
    sociables = next(r for r in early["segments"] if r["name"] == "sociables")["referrals"]
    assert (sociables["referred_buyers"], sociables["unique_clicks"]) == (1, 1)
    assert sociables["referral_revenue"] == "200000.00" and sociables["conversion_rate"] == 1.0
    as_csv = client.get(
        "/api/v1/reports/segments", params=params, headers={**store.auth, "Accept": "text/csv"}
    )
    table = {r["name"]: r for r in csv.DictReader(io.StringIO(as_csv.text.lstrip("\ufeff")))}
    assert table["sociables"]["referral_advocates"] == "2"
    assert table["sociables"]["referred_buyers"] == "1"
    assert table["sociables"]["referral_revenue"] == "200000.00"
    assert table["sociables"]["referral_conversion_rate"] == str(round(1 / 7, 4))
    assert table["sociables"]["referral_rewards_cost"] == "70000.00"
    assert table["routine"]["referral_conversion_rate"] == ""
