"""Referral links as the redirect caches them: a changed advocate's link is forgotten at once."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.referrals import BROWSER, drain, enrol
from tests.support.runtime import StoreKeys


def test_blocked_advocate_link_lands_without_referral(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    blocked = client.patch(
        f"/api/v1/advocates/{advocate['id']}", headers=store.auth, json={"status": "blocked"}
    )
    assert blocked.status_code == 200
    response = client.get(
        f"/r/{advocate['referral_code']}", headers={"User-Agent": BROWSER}, follow_redirects=False
    )
    assert response.status_code == 302 and "rc_ref" not in response.headers["location"]
    assert drain(runtime) == 0
