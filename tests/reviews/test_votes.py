"""Shoppers' votes and abuse reports (and the store's public reply they are read with)."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.reviews import (
    ORIGIN,
    Submit,
    published,
    reviews_of,
)
from tests.support.runtime import StoreKeys


def test_reply_votes_and_reports(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    review_id = published(runtime, submit)
    reply = client.put(
        f"/api/v1/reviews/{review_id}/reply",
        headers=shop.auth,
        json={"body": "Cảm ơn chị Lan <3"},
    )
    assert reply.status_code == 200
    [shown] = reviews_of(client, shop.publishable_key)["reviews"]
    assert shown["reply"]["body"] == "Cảm ơn chị Lan <3"

    pk = shop.publishable_key
    vote_url = f"/embed/v1/{pk}/reviews/{review_id}/votes"
    alice = {"Origin": ORIGIN, "X-RC-Visitor": "visitor-alice"}
    bob = {"Origin": ORIGIN, "X-RC-Visitor": "visitor-bob"}
    assert client.post(vote_url, json={"helpful": True}, headers=alice).json() == {
        "helpful": 1,
        "not_helpful": 0,
    }
    assert client.post(vote_url, json={"helpful": True}, headers=alice).json() == {
        "helpful": 1,
        "not_helpful": 0,
    }
    assert client.post(vote_url, json={"helpful": False}, headers=bob).json() == {
        "helpful": 1,
        "not_helpful": 1,
    }
    assert client.post(vote_url, json={"helpful": False}, headers=alice).json() == {
        "helpful": 0,
        "not_helpful": 2,
    }
    assert reviews_of(client, pk)["reviews"][0]["not_helpful"] == 2
    assert client.post(vote_url, json={"helpful": "maybe"}, headers=alice).status_code == 422

    report_url = f"/embed/v1/{pk}/reviews/{review_id}/reports"
    for headers in (alice, alice, bob):
        assert client.post(report_url, json={"reason": "fake"}, headers=headers).status_code == 202
    admin = client.get(f"/api/v1/reviews/{review_id}", headers=shop.auth).json()
    assert admin["report_count"] == 2  # one per visitor
    assert admin["status"] == "published"  # reports never hide a review by themselves
    assert client.delete(f"/api/v1/reviews/{review_id}/reply", headers=shop.auth).status_code == 200
    assert reviews_of(client, pk)["reviews"][0]["reply"] is None
