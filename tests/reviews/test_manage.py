"""A manager's decisions on reviews and their audit trail."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.reviews import (
    Submit,
    published,
    reviews_of,
)
from tests.support.runtime import StoreKeys


def test_manager_cannot_remove_a_review_for_being_negative(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    review_id = published(runtime, submit, rating=1, body="Áo co rút sau lần giặt đầu tiên.")
    url = f"/api/v1/reviews/{review_id}"
    for body in (
        {"status": "rejected", "reason": "negative"},
        {"status": "unpublished", "reason": "bad for sales"},
        {"status": "rejected"},
    ):
        response = client.patch(url, headers=shop.auth, json=body)
        assert response.status_code == 422, body
    assert (
        "FTC"
        in client.patch(
            url, headers=shop.auth, json={"status": "rejected", "reason": "negative"}
        ).json()["error"]["message"]
    )
    assert client.patch(url, headers=shop.auth, json={"status": "pending"}).status_code == 422
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 1

    out = client.patch(
        url,
        headers=shop.auth,
        json={"status": "unpublished", "reason": "personal_data", "note": "phone number"},
    )
    assert out.status_code == 200
    assert out.json()["status"] == "unpublished" and out.json()["reason_code"] == "personal_data"
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 0
    trail = client.get(url, headers=shop.auth).json()["decisions"]
    assert [(d["to_status"], d["actor"], d["reason_code"]) for d in trail] == [
        ("published", "system:moderation", None),
        ("unpublished", "manager:api", "personal_data"),
    ]
    listed = client.get("/api/v1/reviews", headers=shop.auth, params={"status": "unpublished"})
    assert [r["id"] for r in listed.json()["reviews"]] == [review_id]
    assert listed.json()["reviews"][0]["email"] == "lan@example.com"
    assert client.patch(url, headers=shop.auth, json={"status": "published"}).status_code == 200
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 1
