"""Shoppers' votes and abuse reports (and the store's public reply they are read with)."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.reviews import votes
from rcommerce.runtime import Runtime
from tests.support.reviews import (
    ORIGIN,
    Submit,
    published,
    reviews_of,
)
from tests.support.runtime import StoreKeys

ALICE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Safari/604.1"
BOB = "Mozilla/5.0 (Linux; Android 14) Chrome/124.0 Mobile Safari/537.36"


def _as(user_agent: str, visitor: str | None = None) -> dict[str, str]:
    headers = {"Origin": ORIGIN, "User-Agent": user_agent}
    if visitor:
        headers["X-RC-Visitor"] = visitor
    return headers


def test_made_up_visitor_ids_do_not_stuff_helpful_votes(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    review_id = published(runtime, submit)
    url = f"/embed/v1/{shop.publishable_key}/reviews/{review_id}/votes"
    # A fresh made-up X-RC-Visitor per request was a fresh voter: now it counts as none,
    # and the voter is the network and user agent of the day.
    for n in range(20):
        answer = client.post(
            url, json={"helpful": True}, headers={**_as(ALICE), "X-RC-Visitor": f"fake-{n}"}
        )
        assert answer.status_code == 200
    assert answer.json()["helpful"] == 1
    # A signed id for another store, or a tampered one, is no better.
    token = answer.json()["visitor"]
    assert (
        token
        and client.post(url, json={"helpful": True}, headers=_as(ALICE, token[:-3] + "abc")).json()[
            "helpful"
        ]
        == 1
    )
    # Rotating user agents from one network: at most VOTES_PER_NETWORK_DAY votes a day.
    for n in range(10):
        client.post(url, json={"helpful": True}, headers=_as(f"{BOB} v{n}"))
    assert reviews_of(client, shop.publishable_key)["reviews"][0]["helpful"] == (
        votes.VOTES_PER_NETWORK_DAY
    )


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
    first = client.post(vote_url, json={"helpful": True}, headers=_as(ALICE))
    assert (first.json()["helpful"], first.json()["not_helpful"]) == (1, 0)
    alice = _as(ALICE, first.json()["visitor"])  # the signed id the widget keeps
    again = client.post(vote_url, json={"helpful": True}, headers=alice).json()
    assert (again["helpful"], again["not_helpful"], again["visitor"]) == (1, 0, None)
    bob = _as(BOB)
    assert client.post(vote_url, json={"helpful": False}, headers=bob).json()["not_helpful"] == 1
    changed = client.post(vote_url, json={"helpful": False}, headers=alice).json()
    assert (changed["helpful"], changed["not_helpful"]) == (0, 2)
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
