"""Review highlights: per aspect, the reviews that praise it and complain about it, from the
aspects the scorer stored on a product's published reviews; checked against a count by hand."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.reviews import ORIGIN, review_id
from tests.support.runtime import StoreKeys

# What each review says, read by hand: (rating, text, {aspect: praise (+) or complaint (-)}).
REVIEWS = [
    (5, "Giao hàng rất nhanh. Chất lượng vải rất tốt.", {"delivery": "+", "quality": "+"}),
    (5, "Giao hàng nhanh. Giá rẻ quá.", {"delivery": "+", "price": "+"}),
    (
        2,
        "Giao hàng quá chậm, mình rất thất vọng. Chất lượng vải tốt.",
        {"delivery": "-", "quality": "+"},
    ),
    (5, "Giao hàng nhanh, đóng gói cẩn thận.", {"delivery": "+", "packaging": "+"}),
    (1, "Chất lượng vải kém, mặc một lần đã xù lông.", {"quality": "-"}),
    (5, "Giá rẻ, chất lượng tốt.", {"price": "+", "quality": "+"}),
    (
        5,
        "Hàng đóng gói cẩn thận, shipper giao hàng nhanh và thân thiện.",
        {"delivery": "+", "packaging": "+"},
    ),
    (2, "Đóng gói sơ sài quá, hộp móp hết cả.", {"packaging": "-"}),
]
# The count by hand: delivery 5 mentions (4 praise, 1 complaint), quality 4 (3, 1),
# packaging 3 (2, 1); price has 2 mentions, below the 3 an aspect needs.
HAND_COUNT = {
    "delivery": (5, 4, 1),
    "quality": (4, 3, 1),
    "packaging": (3, 2, 1),
}


def highlights_of(client: TestClient, pk: str) -> dict[str, object]:
    response = client.get(f"/embed/v1/{pk}/products/ao-thun/highlights", headers={"Origin": ORIGIN})
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()
    return data


def test_highlights_match_a_count_by_hand(
    client: TestClient, runtime: Runtime, shop: StoreKeys
) -> None:
    ids = []
    for n, (rating, body, _) in enumerate(REVIEWS):
        # From the store's backend: one shopper's network sending eight reviews in an hour
        # would be held for a human (the velocity rule).
        sent = client.post(
            "/api/v1/reviews",
            headers=shop.auth,
            json={
                "product_id": "ao-thun",
                "rating": rating,
                "body": body,
                "name": f"Khách {n}",
                "email": f"k{n}@example.com",
            },
        )
        assert sent.status_code == 202, sent.text
        runtime.dispatcher.drain()  # type: ignore[attr-defined]
        ids.append(review_id(runtime, f"k{n}@example.com"))
        if n == 3:  # four scored reviews: too few to say anything
            assert highlights_of(client, shop.publishable_key) == {"scored": 4, "aspects": []}
    # One shopper found the second review helpful: it is the quote for delivery.
    vote = client.post(
        f"/embed/v1/{shop.publishable_key}/reviews/{ids[1]}/votes",
        json={"helpful": True},
        headers={"Origin": ORIGIN},
    )
    assert vote.status_code == 200
    data = highlights_of(client, shop.publishable_key)
    assert data["scored"] == len(REVIEWS)
    aspects = data["aspects"]
    assert isinstance(aspects, list)
    counted = {a["aspect"]: (a["mentions"], a["positive"], a["negative"]) for a in aspects}
    assert counted == HAND_COUNT
    # What the hand count rests on, aspect by aspect, is what the scorer stored.
    for aspect, (mentions, praise, complaints) in HAND_COUNT.items():
        said = [marks[aspect] for _, _, marks in REVIEWS if aspect in marks]
        assert (len(said), said.count("+"), said.count("-")) == (mentions, praise, complaints)
    assert [a["aspect"] for a in aspects] == ["delivery", "quality", "packaging"]
    by_aspect = {a["aspect"]: a for a in aspects}
    assert by_aspect["delivery"]["quote"]["text"] == "Giao hàng nhanh. Giá rẻ quá."
    assert by_aspect["delivery"]["quote"]["sentiment"] == "positive"
    praising_quality = {body for _, body, marks in REVIEWS if marks.get("quality") == "+"}
    assert by_aspect["quality"]["quote"]["text"] in praising_quality
    # Unpublishing a review takes it out of the counts at once (the cached read is retired).
    gone = client.patch(
        f"/api/v1/reviews/{ids[4]}",
        headers=shop.auth,
        json={"status": "unpublished", "reason": "spam"},
    )
    assert gone.status_code == 200, gone.text
    after = highlights_of(client, shop.publishable_key)
    quality = next(a for a in after["aspects"] if a["aspect"] == "quality")  # type: ignore[union-attr]
    assert (quality["mentions"], quality["positive"], quality["negative"]) == (3, 3, 0)
