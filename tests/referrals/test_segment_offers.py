"""Segment offers: a campaign's other terms for advocates of some segments (the advocate's
reward, and the offer their welcome code gives friends), the advocate's segments as the last
segments run found them."""

from __future__ import annotations

from typing import Any, get_args

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.customers.models import SEGMENTS
from rcommerce.customers.tasks import compute_store
from rcommerce.referrals.models import Coupon, Reward, SegmentName
from rcommerce.runtime import Runtime
from tests.support.referrals import enrol, post_order
from tests.support.runtime import StoreKeys

OFFERS = [
    # Bargain hunters first: an advocate in both segments gets this one.
    {
        "segment": "bargain_hunters",
        "friend_reward_kind": "coupon_percent",
        "friend_reward_value": "25",
    },
    {
        "segment": "routine",
        "advocate_reward_kind": "points",
        "advocate_reward_value": "900",
        "friend_reward_kind": "coupon_fixed",
        "friend_reward_value": "70000",
    },
    {
        "segment": "sociables",
        "advocate_reward_kind": "store_credit",
        "advocate_reward_value": "80000",
    },
]


def _default_campaign(client: TestClient, store: StoreKeys) -> dict[str, Any]:
    campaigns = client.get("/api/v1/campaigns", headers=store.auth).json()["campaigns"]
    return next(c for c in campaigns if c["is_default"])


def _bargain_hunter(client: TestClient, store: StoreKeys, email: str) -> None:
    """Two orders, both with a coupon: a bargain hunter by the default thresholds."""
    for n in range(2):
        post_order(client, store, f"{email}-{n}", email=email, coupon_codes=[f"SALE{n}"])


def test_the_segment_names_are_the_customers_six() -> None:
    assert get_args(SegmentName) == SEGMENTS


def test_segment_offers_are_checked_and_kept(client: TestClient, store: StoreKeys) -> None:
    campaign = _default_campaign(client, store)
    assert campaign["segment_offers"] == []
    url = f"/api/v1/campaigns/{campaign['id']}"
    for bad in (
        [{"segment": "vips", "advocate_reward_kind": "points", "advocate_reward_value": "1"}],
        [{"segment": "routine"}],  # changes nothing
        [{"segment": "routine", "advocate_reward_kind": "points"}],  # a kind without a value
        [
            {
                "segment": "routine",
                "friend_reward_kind": "coupon_percent",
                "friend_reward_value": "101",
            }
        ],
        [{"segment": "routine", "friend_reward_kind": "store_credit", "friend_reward_value": "1"}],
        [OFFERS[1], OFFERS[1]],
        None,
    ):
        answer = client.patch(url, headers=store.auth, json={"segment_offers": bad})
        assert answer.status_code == 422, (bad, answer.text)
    saved = client.patch(url, headers=store.auth, json={"segment_offers": OFFERS})
    assert saved.status_code == 200, saved.text
    assert saved.json()["segment_offers"] == [
        {
            "segment": "bargain_hunters",
            "advocate_reward_kind": None,
            "advocate_reward_value": None,
            "friend_reward_kind": "coupon_percent",
            "friend_reward_value": "25.00",
        },
        {
            "segment": "routine",
            "advocate_reward_kind": "points",
            "advocate_reward_value": "900.00",
            "friend_reward_kind": "coupon_fixed",
            "friend_reward_value": "70000.00",
        },
        {
            "segment": "sociables",
            "advocate_reward_kind": "store_credit",
            "advocate_reward_value": "80000.00",
            "friend_reward_kind": None,
            "friend_reward_value": None,
        },
    ]
    assert _default_campaign(client, store)["segment_offers"] == saved.json()["segment_offers"]


def test_the_advocates_segment_picks_the_reward_and_the_friends_offer(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    campaign = _default_campaign(client, store)
    client.patch(
        f"/api/v1/campaigns/{campaign['id']}", headers=store.auth, json={"segment_offers": OFFERS}
    )
    _bargain_hunter(client, store, "san@example.com")
    post_order(client, store, "plain-1", email="plain@example.com")  # a buyer of no segment
    compute_store(runtime, store.store_id)

    hunter = enrol(client, store, email="san@example.com", name="San")
    plain = enrol(client, store, email="plain@example.com", name="Plain")
    # The first referred buyer makes the hunter a sociable too at the next run; until then
    # only their bargain-hunter offer applies: the friend's 25%, the campaign's own reward.
    post_order(client, store, "f1", email="f1@example.com", referral_code=hunter["referral_code"])
    post_order(client, store, "f2", email="f2@example.com", referral_code=plain["referral_code"])

    def rewards(advocate: dict[str, Any]) -> list[tuple[str, str]]:
        detail = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()
        return sorted((r["kind"], r["value"]) for r in detail["rewards"])

    assert rewards(hunter) == [("store_credit", "50000.00")]
    assert rewards(plain) == [("store_credit", "50000.00")]
    with runtime.transaction(readonly=True) as session:
        coupons = {
            c.code: (c.kind, str(c.value))
            for c in session.exec(select(Coupon).where(Coupon.purpose == "friend"))
        }
    assert coupons == {
        hunter["friend_coupon_code"]: ("coupon_percent", "25.00"),
        plain["friend_coupon_code"]: ("coupon_percent", "10.00"),
    }
    # Now a sociable (a referred buyer) as well: the sociables' bigger reward for later ones.
    compute_store(runtime, store.store_id)
    post_order(client, store, "f3", email="f3@example.com", referral_code=hunter["referral_code"])
    assert rewards(hunter) == [("store_credit", "50000.00"), ("store_credit", "80000.00")]
    # A friend using the hunter's code gets (and the programme records) the 25% offer.
    order = post_order(
        client, store, "f4", email="f4@example.com", coupon_codes=[hunter["friend_coupon_code"]]
    )
    assert order["attributed"] is True
    with runtime.transaction(readonly=True) as session:
        friend_sides = [
            (r.kind, str(r.value))
            for r in session.exec(select(Reward).where(Reward.recipient == "friend"))
        ]
    assert friend_sides == [("coupon_percent", "25.00")]


def test_an_advocate_known_by_phone_gets_their_segments_offer(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    campaign = _default_campaign(client, store)
    client.patch(
        f"/api/v1/campaigns/{campaign['id']}", headers=store.auth, json={"segment_offers": OFFERS}
    )
    for n in range(2):  # two orders by phone, both with a coupon: a bargain hunter
        post_order(client, store, f"p-{n}", email=None, phone="0901 234 567", coupon_codes=["S"])
    compute_store(runtime, store.store_id)
    joined = client.post(
        "/api/v1/advocates", headers=store.auth, json={"phone": "+84 90 123 4567", "name": "Mai"}
    )
    assert joined.status_code == 201, joined.text
    with runtime.transaction(readonly=True) as session:
        coupon = session.exec(
            select(Coupon).where(Coupon.code == joined.json()["friend_coupon_code"])
        ).one()
    assert (coupon.kind, str(coupon.value)) == ("coupon_percent", "25.00")
