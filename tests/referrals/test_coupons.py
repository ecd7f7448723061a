"""Friend coupons: for new customers only, once per customer, and per campaign only for a
number of days after the friend's first click (a code typed without a click does not expire)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.referrals.models import Reward
from rcommerce.runtime import Runtime
from tests.support.referrals import drain, enrol, follow, post_order
from tests.support.runtime import Clock, StoreKeys


def lookup(client: TestClient, store: StoreKeys, code: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/coupons/{code}", headers=store.auth, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def friend_rewards_spent(runtime: Runtime) -> int:
    with runtime.transaction(readonly=True) as session:
        return len(session.exec(select(Reward).where(Reward.recipient == "friend")).all())


def test_a_friend_coupon_is_for_new_customers_only(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    coupon = enrol(client, store)["friend_coupon_code"]
    assert lookup(client, store, coupon, email="new@example.com")["valid"] is True
    post_order(client, store, "OLD", email="known@example.com")
    refused = lookup(client, store, coupon, email="Known@Example.com")
    assert (refused["valid"], refused["refused"]) == (False, "returning_customer")
    # Honoured anyway by a checkout that did not ask: the advocate earns nothing, and the
    # friend's side is not counted as given.
    again = post_order(client, store, "NEW", email="known@example.com", coupon_codes=[coupon])
    assert again["conversion_status"] == "ineligible"
    assert again["reasons"] == ["returning_customer"]
    assert friend_rewards_spent(runtime) == 0


def test_a_friend_coupon_is_used_once_per_customer(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    minh = enrol(client, store, email="minh@example.com", name="Minh")
    lan = enrol(client, store, email="lan@example.com", name="Lan")
    first = post_order(
        client, store, "F1", email="friend@example.com", coupon_codes=[minh["friend_coupon_code"]]
    )
    assert first["conversion_status"] == "pending" and friend_rewards_spent(runtime) == 1
    # Neither Minh's coupon again nor another advocate's.
    for code in (minh["friend_coupon_code"], lan["friend_coupon_code"]):
        refused = lookup(client, store, code, email="friend@example.com")
        assert (refused["valid"], refused["refused"]) == (False, "friend_coupon_used")
    second = post_order(
        client, store, "F2", email="friend@example.com", coupon_codes=[lan["friend_coupon_code"]]
    )
    assert second["conversion_status"] == "ineligible"
    assert set(second["reasons"]) == {"returning_customer", "friend_coupon_used"}
    assert friend_rewards_spent(runtime) == 1


def test_a_friend_coupon_expires_30_days_after_the_first_click(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    coupon = advocate["friend_coupon_code"]
    clicked = runtime.now()
    first = follow(client, advocate["referral_code"])
    drain(runtime)
    clock.advance(days=10)
    # A second click ten days later (last click wins for attribution) does not restart it.
    token = follow(client, advocate["referral_code"])
    drain(runtime)
    clock.advance(days=19)
    valid = lookup(client, store, coupon, email="friend@example.com", rc_ref=token)
    assert valid["valid"] is True
    expires = datetime.fromisoformat(valid["expires_at"])
    assert abs(expires - (clicked + timedelta(days=30))) < timedelta(seconds=2)
    offer = client.get(
        f"/embed/v1/{store.publishable_key}/referral-offer", params={"rc_ref": token}
    ).json()
    assert offer["expires_at"] == valid["expires_at"]

    clock.advance(days=2)  # 31 days after the first click
    expired = lookup(client, store, coupon, email="friend@example.com", rc_ref=token)
    assert (expired["valid"], expired["refused"]) == (False, "friend_coupon_expired")
    # The first click's token is past the attribution window: the coupon alone attributes it.
    late = post_order(client, store, "L1", referral_token=first, coupon_codes=[coupon])
    assert late["token_rejected"] == "token_expired"
    stored = client.get("/api/v1/orders/L1", headers=store.auth).json()["attribution"]
    assert stored["attributed_by"] == "coupon"
    assert late["conversion_status"] == "ineligible"
    assert late["reasons"] == ["friend_coupon_expired"]
    assert friend_rewards_spent(runtime) == 0


def test_a_code_typed_without_a_click_does_not_expire(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    coupon = advocate["friend_coupon_code"]
    clock.advance(days=400)
    typed = lookup(client, store, coupon, email="friend@example.com")
    assert (typed["valid"], typed["expires_at"]) == (True, None)
    order = post_order(client, store, "T1", coupon_codes=[coupon])
    assert order["conversion_status"] == "pending" and friend_rewards_spent(runtime) == 1


def test_the_expiry_is_set_per_campaign(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    campaign = client.get("/api/v1/campaigns", headers=store.auth).json()["campaigns"][0]
    assert campaign["friend_coupon_days"] == 30
    url = f"/api/v1/campaigns/{campaign['id']}"
    assert client.patch(url, headers=store.auth, json={"friend_coupon_days": 7}).status_code == 200
    token = follow(client, advocate["referral_code"])
    clock.advance(days=8)
    code = advocate["friend_coupon_code"]
    assert lookup(client, store, code, rc_ref=token)["refused"] == "friend_coupon_expired"
    # None: the coupon never expires.
    assert (
        client.patch(url, headers=store.auth, json={"friend_coupon_days": None}).json()[
            "friend_coupon_days"
        ]
        is None
    )
    assert lookup(client, store, code, rc_ref=token)["valid"] is True
    bad = client.patch(url, headers=store.auth, json={"friend_coupon_days": 0})
    assert bad.status_code == 422
