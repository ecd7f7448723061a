"""Advocate tiers: named by the store, reached by referred buyers, raising later rewards by
their bonus, and shown in the portal."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.portal import sign_in
from tests.support.referrals import enrol, post_order
from tests.support.runtime import StoreKeys
from tests.support.smtp import SMTPServer

TIERS = [
    {"name": "Bạc", "min_referred_buyers": 0, "bonus_percent": 0},
    {"name": "Vàng", "min_referred_buyers": 2, "bonus_percent": 50},
    {"name": "Kim cương", "min_referred_buyers": 5, "bonus_percent": 100},
]


def test_tiers_are_the_stores_and_checked(client: TestClient, store: StoreKeys) -> None:
    assert client.get("/api/v1/tiers", headers=store.auth).json() == {"tiers": []}
    put = client.put("/api/v1/tiers", headers=store.auth, json={"tiers": TIERS[::-1]})
    assert put.status_code == 200 and put.json() == {"tiers": TIERS}
    for tiers in (
        [TIERS[0], {**TIERS[1], "min_referred_buyers": 0}],
        [{**TIERS[1], "bonus_percent": 101}],
        [{"name": "", "min_referred_buyers": 1}],
        [TIERS[0]] * 11,
    ):
        answer = client.put("/api/v1/tiers", headers=store.auth, json={"tiers": tiers})
        assert answer.status_code == 422, tiers
    assert client.get("/api/v1/tiers", headers=store.auth).json() == {"tiers": TIERS}


def test_a_tier_raises_later_rewards_and_shows_in_the_portal(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    client.put("/api/v1/tiers", headers=store.auth, json={"tiers": TIERS})
    advocate = enrol(client, store, email="hang@example.com")
    code = advocate["referral_code"]
    for n in range(3):
        post_order(client, store, f"tier-{n}", email=f"ban{n}@example.com", referral_code=code)
    # The same buyer again is no new referral (nor a new referred buyer).
    post_order(client, store, "tier-again", email="ban0@example.com", referral_code=code)
    detail = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()
    values = [r["value"] for r in detail["rewards"]]  # the advocate's own rewards
    # Default campaign: 50 000 store credit; the third buyer came with Vàng: 50% more.
    assert sorted(values, key=float) == ["50000.00", "50000.00", "75000.00"], values
    portal = sign_in(client, smtp_runtime, smtp_server, store, "hang@example.com")
    page = client.get(portal).text
    assert "Hạng của bạn: Vàng" in page
    assert "thưởng thêm 50% cho mỗi lần giới thiệu thành công" in page
    assert (
        "Bạn đã giới thiệu 3 người mua" in page and "thêm 2 người nữa để lên hạng Kim cương" in page
    )
