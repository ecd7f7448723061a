"""Google's product reviews feed: valid against Google's schema (tests/fixtures/google), every
published review of a matchable product in it, the 1-star ones included, nothing else."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import xmlschema
from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.reviews import (
    ORIGIN,
    add_products,
    jpeg_with_exif,
    make_order,
    review_id,
    review_link,
    upload_photo,
)
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import SMTPServer

XSD = Path(__file__).parents[1] / "fixtures" / "google" / "product_reviews-2.4.xsd"
XSD_22 = Path(__file__).parents[1] / "fixtures" / "google" / "product_reviews.xsd"


def schema_valid(feed: bytes) -> Any:
    """The feed validated, as it is, against the version 2.4 schema (SOURCE.md there)."""
    assert "<version>2.4</version>" in feed.decode()
    schema = xmlschema.XMLSchema(XSD)
    schema.validate(feed)  # raises, naming the element, when the feed is not valid
    return schema.to_dict(feed)


def test_the_24_schema_takes_googles_24_review_order_and_refuses_the_flags_elsewhere() -> None:
    """The 2.4 schema is Google's 2.2 file with the elements Google documents for 2.4, placed
    as Google's 2.4 sample feed places them; this holds it to that sample's element order."""
    schema = xmlschema.XMLSchema(XSD)
    review = (
        "<review><review_id>1</review_id><reviewer><name>An</name></reviewer>"
        "<is_verified_purchase>true</is_verified_purchase>"
        "<is_incentivized_review>false</is_incentivized_review>"
        "<review_timestamp>2026-01-02T03:04:05Z</review_timestamp><title>T</title>"
        "<content>Tốt</content><review_language>vi</review_language>"
        '<review_country>VN</review_country><review_url type="group">https://s.example/p'
        '</review_url><ratings><overall min="1" max="5">4</overall></ratings><products>'
        "<product><product_url>https://s.example/p</product_url></product></products>"
        "<is_spam>false</is_spam><collection_method>post_fulfillment</collection_method>"
        "<transaction_id>DH1</transaction_id></review>"
    )
    feed = (
        "<feed><version>{v}</version><publisher><name>S</name></publisher>"
        "<reviews>{r}</reviews></feed>"
    )
    schema.validate(feed.format(v="2.4", r=review))
    misplaced = review.replace(
        "<is_incentivized_review>false</is_incentivized_review>", ""
    ).replace("<is_spam>", "<is_incentivized_review>false</is_incentivized_review><is_spam>")
    assert not schema.is_valid(feed.format(v="2.4", r=misplaced))
    assert not schema.is_valid(feed.format(v="2.2", r=review))  # the version is fixed
    assert not xmlschema.XMLSchema(XSD_22).is_valid(feed.format(v="2.2", r=review))


def test_the_feed_validates_and_holds_every_published_review_one_star_included(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    add_products(runtime, store)
    for product_id, ids in {
        "ao-thun": {"gtin": "8934567890123", "brand": "Áo Việt"},
        "tai-nghe": {"brand": "Âm Thanh", "mpn": "TN-01"},
    }.items():
        put = client.put(
            f"/api/v1/products/{product_id}",
            headers=store.auth,
            json={
                "name": f"<{product_id}> & co",
                "url": f"https://shop.example/p/{product_id}",
                **ids,
            },
        )
        assert put.status_code in (200, 201), put.text
    sent = {}
    for n, (product_id, rating, body) in enumerate(
        [
            ("ao-thun", 1, "Áo xù lông sau một lần giặt, đường may bung. Thất vọng."),
            ("ao-thun", 5, 'Vải mát, form đẹp & "chuẩn" size <M>.'),
            ("tai-nghe", 1, "Tai nghe rè sau một tuần, pin tụt nhanh."),
            ("tai-nghe", 4, "Âm thanh ổn so với giá, kết nối nhanh."),
            ("ca-phe", 5, "Cà phê thơm, đậm vị."),  # no GTIN or brand: Google cannot match it
        ]
    ):
        body_json: dict[str, Any] = {
            "product_id": product_id, "rating": rating, "body": body, "name": f"Khách {n}",
            "email": f"k{n}@example.com",
        }  # fmt: skip
        if n == 1:
            body_json["photo_ids"] = [upload_photo(client, store)]
        response = client.post(
            f"/embed/v1/{store.publishable_key}/reviews", json=body_json, headers={"Origin": ORIGIN}
        )
        assert response.status_code == 202, response.text
        sent[n] = review_id(runtime, f"k{n}@example.com")
        runtime.dispatcher.drain()  # type: ignore[attr-defined]
    held = client.post(
        f"/embed/v1/{store.publishable_key}/reviews",
        json={
            "product_id": "ao-thun",
            "rating": 1,
            "body": "Gọi 0912 345 678 để mua rẻ hơn",
            "name": "X",
            "email": "x@example.com",
        },
        headers={"Origin": ORIGIN},
    )
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    response = client.get(f"/feeds/{store.publishable_key}/google-product-reviews.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert "max-age" in response.headers["cache-control"]
    data = schema_valid(response.content)
    assert "reviews" in data, response.text
    reviews = data["reviews"]["review"]
    by_id = {int(r["review_id"]): r for r in reviews}
    assert set(by_id) == {sent[0], sent[1], sent[2], sent[3]}  # not the coffee, not the held one
    assert held.status_code == 202
    assert review_id(runtime, "x@example.com") not in by_id
    ratings = sorted(float(r["ratings"]["overall"]["$"]) for r in reviews)
    assert ratings == [1.0, 1.0, 4.0, 5.0]  # the 1-star reviews are in
    one_star = by_id[sent[0]]
    assert one_star["content"] == "Áo xù lông sau một lần giặt, đường may bung. Thất vọng."
    assert one_star["reviewer"]["name"] == "Khách 0"
    product = one_star["products"]["product"][0]
    assert product["product_ids"]["gtins"]["gtin"] == ["8934567890123"]
    assert product["product_ids"]["skus"]["sku"] == ["ao-thun"]
    assert product["product_url"] == "https://shop.example/p/ao-thun"
    assert product["product_name"] == "<ao-thun> & co"
    assert by_id[sent[1]]["content"] == 'Vải mát, form đẹp & "chuẩn" size <M>.'  # text, escaped
    [image] = by_id[sent[1]]["reviewer_images"]["reviewer_image"]
    assert re.match(r"http://testserver/media/reviews/[0-9a-f]{32}\.jpg$", image["url"])
    mpn_only = by_id[sent[2]]["products"]["product"][0]["product_ids"]
    assert mpn_only["mpns"]["mpn"] == ["TN-01"] and mpn_only["brands"]["brand"] == ["Âm Thanh"]
    assert {r["collection_method"] for r in reviews} == {"unsolicited"}
    # Widget reviews from typed addresses: neither verified nor rewarded, and the feed says so.
    assert {(r["is_verified_purchase"], r["is_incentivized_review"]) for r in reviews} == {
        (False, False)
    }
    # Revalidation, and an unknown key.
    again = client.get(
        f"/feeds/{store.publishable_key}/google-product-reviews.xml",
        headers={"If-None-Match": response.headers["etag"]},
    )
    assert again.status_code == 304
    assert client.get("/feeds/pk_live_nope/google-product-reviews.xml").status_code == 404


def test_an_empty_store_has_a_valid_feed(client: TestClient, store: StoreKeys) -> None:
    response = client.get(f"/feeds/{store.publishable_key}/google-product-reviews.xml")
    assert response.status_code == 200
    data = schema_valid(response.content)
    assert "reviews" not in data


def test_the_feed_is_a_stored_file_regenerated_in_the_background(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    import os

    from rcommerce.reviews import feed, tasks

    add_products(runtime, store)
    put = client.put(
        "/api/v1/products/ao-thun",
        headers=store.auth,
        json={"name": "Áo thun", "url": "https://shop.example/p/ao-thun", "gtin": "8934567890123"},
    )
    assert put.status_code in (200, 201), put.text
    url = f"/feeds/{store.publishable_key}/google-product-reviews.xml"

    def review(n: int, rating: int) -> None:
        response = client.post(
            f"/embed/v1/{store.publishable_key}/reviews",
            json={"product_id": "ao-thun", "rating": rating, "name": f"Khách {n}",
                  "body": f"Đánh giá số {n}: áo mặc ổn, giao hàng đúng hẹn.",
                  "email": f"k{n}@example.com"},
            headers={"Origin": ORIGIN},
        )  # fmt: skip
        assert response.status_code == 202, response.text
        runtime.dispatcher.drain()  # type: ignore[attr-defined]

    def ratings() -> list[float]:
        data = schema_valid(client.get(url).content)
        return sorted(float(r["ratings"]["overall"]["$"]) for r in data["reviews"]["review"])

    review(1, 5)
    assert ratings() == [5.0]  # no file yet: built on the first fetch, and kept
    path = feed.feed_path(runtime.settings, store.store_id)
    assert path.exists()
    review(2, 1)
    assert ratings() == [5.0]  # the stored file is served until it is regenerated
    tasks.regenerate_feeds(runtime)  # the hourly job
    assert ratings() == [1.0, 5.0]
    review(3, 3)
    stale = path.stat().st_mtime - feed.STALE_AFTER - 60
    os.utime(path, (stale, stale))  # no worker regenerated it for hours
    assert ratings() == [1.0, 3.0, 5.0]
    # An erased person's review leaves the feed at once, not at the next regeneration.
    erased = client.post(
        "/api/v1/privacy/erase", headers=store.auth, json={"email": "k2@example.com"}
    )
    assert erased.status_code == 200 and erased.json()["reviews"] == 1, erased.text
    assert ratings() == [3.0, 5.0]


def test_a_review_requested_after_fulfilment_and_rewarded_is_flagged_so_in_the_feed(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    """The e-mailed form's review: a verified purchase, collected after fulfilment; with a
    photo it earns the store's rating-blind reward (even at 1 star) and the feed declares it."""
    runtime = smtp_runtime
    for product_id in ("ao-thun", "tai-nghe"):
        put = client.put(
            f"/api/v1/products/{product_id}",
            headers=shop.auth,
            json={"url": f"https://shop.example/p/{product_id}", "gtin": "8934567890123"},
        )
        assert put.status_code in (200, 201), put.text
    rules = {"active": True, "kind": "points", "value": "50", "min_chars": 20, "needs_media": True}
    assert client.put("/api/v1/review-incentive", headers=shop.auth, json=rules).status_code == 200
    make_order(runtime, shop, "DH5", "thu@example.com", ["ao-thun"])
    link = review_link(runtime, client, smtp_server, clock, shop, "DH5")
    sent = client.post(
        link,
        data={"product-0": "ao-thun", "rating-0": "1", "name": "Thu",
              "body-0": "Áo phai màu ngay lần giặt đầu, rất thất vọng."},
        files=[("photos-0", ("a.jpg", jpeg_with_exif(), "image/jpeg"))],
    )  # fmt: skip
    assert sent.status_code == 200, sent.text
    widget = client.post(
        f"/embed/v1/{shop.publishable_key}/reviews",
        json={"product_id": "tai-nghe", "rating": 5, "name": "Lan", "email": "lan@example.com",
              "body": "Nghe hay, pin lâu, đeo êm tai cả ngày."},
        headers={"Origin": ORIGIN},
    )  # fmt: skip
    assert widget.status_code == 202, widget.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    from rcommerce.reviews import tasks

    tasks.regenerate_feeds(runtime)
    data = schema_valid(
        client.get(f"/feeds/{shop.publishable_key}/google-product-reviews.xml").content
    )
    flags = {
        r["products"]["product"][0]["product_url"].rsplit("/", 1)[1]: (
            r["is_verified_purchase"], r["is_incentivized_review"], r["collection_method"],
            r["ratings"]["overall"]["$"],
        )
        for r in data["reviews"]["review"]
    }  # fmt: skip
    assert flags == {
        "ao-thun": (True, True, "post_fulfillment", 1.0),
        "tai-nghe": (False, False, "unsolicited", 5.0),
    }


def test_the_dashboards_feed_status_counts_what_the_feed_holds(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    """Reviews in the feed, products left out, distance to Google's 50: the same reviews the
    file holds (a Zalo rating's bare stars, with no text, are in neither)."""
    from rcommerce.reviews import feed
    from rcommerce.reviews.models import Review
    from rcommerce.stores.models import Store

    add_products(runtime, store)
    put = client.put(
        "/api/v1/products/ao-thun",
        headers=store.auth,
        json={"url": "https://shop.example/p/ao-thun", "brand": "Áo Việt"},
    )
    assert put.status_code in (200, 201), put.text
    for n, product_id in enumerate(["ao-thun", "ao-thun", "ca-phe"]):
        sent = client.post(
            f"/embed/v1/{store.publishable_key}/reviews",
            json={"product_id": product_id, "rating": 1 + n, "name": "Khách",
                  "body": f"Nhận xét số {n}, viết thật lòng về {product_id}.",
                  "email": f"k{n}@example.com"},
            headers={"Origin": ORIGIN},
        )  # fmt: skip
        assert sent.status_code == 202, sent.text
        runtime.dispatcher.drain()  # type: ignore[attr-defined]
    with runtime.transaction() as session:
        session.add(
            Review(store_id=store.store_id, product_id="ao-thun", rating=2, body=" ",
                   author_name="Zalo", source="zns", status="published", verified=True)
        )  # fmt: skip
    with runtime.transaction(readonly=True) as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        status = feed.status(session, shop)
        built = schema_valid(feed.build(session, shop, "http://testserver"))
    assert len(built["reviews"]["review"]) == status["in_feed"] == 2
    assert status["missing"] == [("ca-phe", 1)] and status["to_minimum"] == 48
