"""schema.org markup of a product's reviews (JSON-LD and its HTML snippet)."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.reviews import (
    Submit,
    published,
    upload_photo,
)
from tests.support.runtime import StoreKeys


def test_product_jsonld_has_every_field_google_requires(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    pk = shop.publishable_key
    empty = client.get(f"/embed/v1/{pk}/products/ao-thun/jsonld").json()
    assert "aggregateRating" not in empty and "review" not in empty  # no ratings, no stars
    published(runtime, submit, rating=4, title="Đáng tiền")
    published(runtime, submit, rating=2, email="b@example.com", body="Màu không giống ảnh.")
    response = client.get(f"/embed/v1/{pk}/products/ao-thun/jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    data = response.json()
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == "Áo thun cotton"
    assert data["offers"]["priceCurrency"] == "VND" and data["offers"]["price"] == "189000.00"
    rating = data["aggregateRating"]
    assert rating["@type"] == "AggregateRating"
    assert rating["ratingValue"] == 3 and rating["reviewCount"] == 2
    assert rating["bestRating"] == 5 and rating["worstRating"] == 1
    assert len(data["review"]) == 2
    for review in data["review"]:
        assert review["@type"] == "Review"
        assert review["author"]["@type"] == "Person" and 0 < len(review["author"]["name"]) < 100
        assert review["reviewRating"]["@type"] == "Rating"
        assert 1 <= review["reviewRating"]["ratingValue"] <= 5
        assert review["reviewRating"]["bestRating"] == 5
        assert review["datePublished"][:2] == "20" and review["reviewBody"]
    snippet = client.get(f"/embed/v1/{pk}/products/ao-thun/snippet").text
    assert snippet.startswith('<script type="application/ld+json">')


def test_an_incentivised_review_discloses_its_reward_in_the_jsonld(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    rules = {"active": True, "kind": "points", "value": "50", "min_chars": 20, "needs_media": True}
    assert client.put("/api/v1/review-incentive", headers=shop.auth, json=rules).status_code == 200
    published(
        runtime, submit, rating=1, body="Vải mỏng hơn mô tả, đường may lệch.",
        photo_ids=[upload_photo(client, shop)],
    )  # fmt: skip
    published(runtime, submit, rating=5, email="b@example.com", body="Đẹp, vừa vặn lắm.")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    data = client.get(f"/embed/v1/{shop.publishable_key}/products/ao-thun/jsonld").json()
    by_body = {r["reviewBody"]: r for r in data["review"]}
    marked = by_body["Vải mỏng hơn mô tả, đường may lệch."]
    assert marked["sponsor"] == {"@type": "Organization", "name": "Shop"}
    assert marked["disambiguatingDescription"] == "Đã nhận ưu đãi"
    assert marked["reviewRating"]["ratingValue"] == 1  # the text and rating are left as written
    unmarked = by_body["Đẹp, vừa vặn lắm."]
    assert "sponsor" not in unmarked and "disambiguatingDescription" not in unmarked
    assert len(data["review"]) == 2
