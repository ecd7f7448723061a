"""The referral widget endpoint: the welcome offer a referred friend sees."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.support.referrals import enrol, follow
from tests.support.runtime import StoreKeys


def test_friend_offer_for_the_widget(client: TestClient, store: StoreKeys) -> None:
    advocate = enrol(client, store, name="Nguyễn Thị Lan")
    token = follow(client, advocate["referral_code"])
    offer = client.get(
        f"/embed/v1/{store.publishable_key}/referral-offer", params={"rc_ref": token}
    )
    assert offer.status_code == 200, offer.text
    assert offer.json()["coupon_code"] == advocate["friend_coupon_code"]
    assert offer.json()["advocate_name"] == "Lan" and offer.json()["value"] == "10.00"
    bad = client.get(f"/embed/v1/{store.publishable_key}/referral-offer", params={"rc_ref": "x.y"})
    assert bad.status_code == 400
