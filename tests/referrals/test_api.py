"""The store's referral API: pages of conversions, newest first, with a cursor."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.support.referrals import enrol, post_order
from tests.support.runtime import StoreKeys


def test_conversions_page_newest_first_with_a_cursor(
    client: TestClient, store: StoreKeys, make_store: Any
) -> None:
    advocate = enrol(client, store)
    ids = [
        post_order(
            client,
            store,
            f"P{i}",
            email=f"friend{i}@example.com",
            referral_code=advocate["referral_code"],
        )["conversion_id"]
        for i in range(5)
    ]
    other = make_store()
    other_advocate = enrol(client, other)
    post_order(client, other, "X1", referral_code=other_advocate["referral_code"])

    seen, cursor, pages = [], None, 0
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = client.get(f"/api/v1/conversions{query}", headers=store.auth).json()
        seen += [c["id"] for c in page["conversions"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)  # every one once, newest first, none of the other's
    assert pages == 3

    for bad in ("not-a-cursor", "WzAsMV0", "WyJ4Il0", "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ"):
        response = client.get(f"/api/v1/conversions?cursor={bad}", headers=store.auth)
        assert response.status_code == 422, bad
        assert response.json()["error"]["code"] == "invalid"
    huge = client.get("/api/v1/conversions?advocate_id=99999999999999999999", headers=store.auth)
    assert huge.status_code == 422
