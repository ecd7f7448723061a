"""The review incentives page: a manager sets the rating-blind reward (CSRF checked), and reads
what Google's feed holds and which products stay out of it."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.dashboard import ManagerLogin, log_in
from tests.support.reviews import ORIGIN, add_products, review_id, upload_photo


def test_a_manager_sets_the_incentive_and_reads_the_feed_status(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    keys = manager.store
    add_products(runtime, keys)
    client.put(
        "/api/v1/products/ao-thun",
        headers=keys.auth,
        json={"name": "Áo thun", "url": "https://shop.example/p/ao-thun", "gtin": "8934567890123"},
    )
    for n, product_id in enumerate(["ao-thun", "ao-thun", "ca-phe"]):
        sent = client.post(
            f"/embed/v1/{keys.publishable_key}/reviews",
            json={
                "product_id": product_id,
                "rating": 1 + n,
                "body": f"Nhận xét số {n} về {product_id}, viết thật lòng.",
                "name": "Khách",
                "email": f"k{n}@example.com",
            },
            headers={"Origin": ORIGIN},
        )
        assert sent.status_code == 202, sent.text
        runtime.dispatcher.drain()  # type: ignore[attr-defined]
    token = log_in(client, manager)
    page = client.get("/dashboard/incentives")
    assert page.status_code == 200
    assert "không bao giờ dựa vào số sao" in page.text
    assert "<strong data-in-feed>2</strong>" in page.text
    assert "Còn thiếu 48 đánh giá" in page.text
    assert "<code>ca-phe</code> (1)" in page.text
    assert f"/feeds/{keys.publishable_key}/google-product-reviews.xml" in page.text
    form = {"active": "1", "kind": "points", "value": "100", "min_chars": "30", "needs_media": "1"}
    assert client.post("/dashboard/incentives", data=form).status_code == 403  # no CSRF token
    assert client.get("/api/v1/review-incentive", headers=keys.auth).status_code == 404
    saved = client.post(
        "/dashboard/incentives", data={**form, "csrf": token}, follow_redirects=False
    )
    assert saved.status_code == 303
    got = client.get("/api/v1/review-incentive", headers=keys.auth).json()
    assert got == {
        "active": True, "kind": "points", "value": "100.00", "min_chars": 30, "needs_media": True,
    }  # fmt: skip
    # A 1-star review with a photo is rewarded, and marked for the manager.
    rewarded = client.post(
        f"/embed/v1/{keys.publishable_key}/reviews",
        json={
            "product_id": "tai-nghe",
            "rating": 1,
            "body": "Tai nghe rè sau một tuần, pin tụt rất nhanh.",
            "name": "Bình",
            "email": "binh@example.com",
            "photo_ids": [upload_photo(client, keys)],
        },
        headers={"Origin": ORIGIN},
    )
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    published = client.get("/dashboard/reviews?status=published").text
    assert rewarded.status_code == 202, rewarded.text
    rewarded_id = review_id(runtime, "binh@example.com")
    card = published.split(f'id="review-{rewarded_id}"', 1)[1].split("</article>", 1)[0]
    assert "Đã nhận ưu đãi" in card
    assert published.count("Đã nhận ưu đãi") == 1  # the other reviews earned nothing
    refused = client.post(
        "/dashboard/incentives", data={**form, "csrf": token, "kind": "by_rating"}
    )
    assert refused.status_code == 422
    client.post("/dashboard/locale", data={"csrf": token, "locale": "en"})
    english = client.get("/dashboard/incentives").text
    assert "never on the stars" in english and "48 more reviews" in english
