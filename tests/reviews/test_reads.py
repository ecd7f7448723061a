"""What widgets read: sorting, filters, pagination by cursor, and a fresh answer after a change."""

from __future__ import annotations

import base64
from typing import Any

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.reviews import (
    ORIGIN,
    Submit,
    review_id,
    reviews_of,
)
from tests.support.runtime import StoreKeys


def test_sorting_filters_pagination_and_etag(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    texts = [
        (4, "Màu đẹp giống hình, vải dày dặn."),
        (2, "Size nhỏ hơn bảng size, phải đổi lại."),
        (5, "Great shirt, soft cotton and fast delivery."),
        (3, "Tạm được so với giá tiền."),
        (1, "Đường may bị bung sau hai tuần mặc."),
    ]
    for i, (rating, text) in enumerate(texts):
        assert submit(rating=rating, body=text, email=f"u{i}@example.com").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    pk = shop.publishable_key
    assert [r["rating"] for r in reviews_of(client, pk, sort="highest")["reviews"]] == [
        5,
        4,
        3,
        2,
        1,
    ]
    assert [r["rating"] for r in reviews_of(client, pk, sort="lowest")["reviews"]] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert [r["rating"] for r in reviews_of(client, pk, rating=2)["reviews"]] == [2]
    assert [r["language"] for r in reviews_of(client, pk, language="en")["reviews"]] == ["en"]
    assert reviews_of(client, pk, verified="true")["reviews"] == []

    seen: list[int] = []
    cursor = None
    for _ in range(3):
        params: dict[str, Any] = {"sort": "highest", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = reviews_of(client, pk, **params)
        seen += [r["rating"] for r in page["reviews"]]
        cursor = page.get("next")
        if cursor is None:
            break
    assert seen == [5, 4, 3, 2, 1]
    bad = client.get(f"/embed/v1/{pk}/products/ao-thun/reviews", params={"cursor": "!!"})
    assert bad.status_code == 422
    assert (
        client.get(f"/embed/v1/{pk}/products/ao-thun/reviews", params={"sort": "x"}).status_code
        == 422
    )

    first = client.get(f"/embed/v1/{pk}/products/ao-thun/reviews", headers={"Origin": ORIGIN})
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    again = client.get(
        f"/embed/v1/{pk}/products/ao-thun/reviews",
        headers={"Origin": ORIGIN, "If-None-Match": etag},
    )
    assert again.status_code == 304
    # A change invalidates the cache: a new review changes the answer and its ETag. (A sixth
    # review from one address within the hour waits for a human: the velocity rule.)
    submit(rating=5, body="Mua lần hai vẫn ưng.", email="u9@example.com")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    sixth = review_id(runtime, "u9@example.com")
    held = client.get(f"/api/v1/reviews/{sixth}", headers=shop.auth).json()
    assert held["status"] == "pending" and held["flags"] == ["velocity"]
    approve = client.patch(
        f"/api/v1/reviews/{sixth}", headers=shop.auth, json={"status": "published"}
    )
    assert approve.status_code == 200
    fresh = client.get(
        f"/embed/v1/{pk}/products/ao-thun/reviews",
        headers={"Origin": ORIGIN, "If-None-Match": etag},
    )
    assert fresh.status_code == 200 and fresh.json()["summary"]["count"] == 6
    summary = client.get(
        f"/embed/v1/{pk}/products/ao-thun/summary", headers={"Origin": ORIGIN}
    ).json()
    assert summary["count"] == 6 and summary["average"] == round(20 / 6, 2)
    # A product the store has not sent yet reads as one without reviews (not an error).
    unknown = client.get(f"/embed/v1/{pk}/products/nope/summary")
    assert unknown.status_code == 200 and unknown.json()["count"] == 0


def test_a_forged_cursor_is_a_422_not_a_500(client: TestClient, shop: StoreKeys) -> None:
    """A cursor is opaque but anyone can write one: every malformed value is the shopper's
    mistake (422), including a time with no zone, which the database layer refuses."""
    url = f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews"
    forged = [
        '["2026-01-01T00:00:00", 7]',  # newest: no time zone
        '["2026-01-01T00:00:00+00:00", "7"]',  # id as text
        '[true, "2026-01-01T00:00:00+00:00", 7]',  # highest: a boolean rating
        "{}",
    ]
    for raw in forged:
        cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        params = {"cursor": cursor, "sort": "highest" if raw.startswith("[true") else "newest"}
        response = client.get(url, params=params, headers={"Origin": ORIGIN})
        assert response.status_code == 422, (raw, response.text)
        assert response.json()["error"]["code"] == "invalid"
