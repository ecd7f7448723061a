"""Testimonials: consent, approval, display order, and reviews featured as testimonials."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.reviews import (
    ORIGIN,
    Submit,
    published,
)
from tests.support.runtime import StoreKeys


def test_testimonials_need_consent_and_approval(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    pk = shop.publishable_key
    url = f"/embed/v1/{pk}/testimonials"
    body = {
        "body": "Shop tư vấn nhiệt tình, giao nhanh, mình đã giới thiệu cho cả nhóm bạn.",
        "name": "Trang",
        "email": "trang@example.com",
        "role": "Chủ quán cà phê",
        "rating": 5,
        "consent": False,
    }
    assert client.post(url, json=body, headers={"Origin": ORIGIN}).status_code == 422
    body["consent"] = True
    created = client.post(url, json=body, headers={"Origin": ORIGIN})
    assert created.status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert client.get(url, headers={"Origin": ORIGIN}).json() == {"testimonials": []}
    [row] = client.get("/api/v1/testimonials", headers=shop.auth).json()["testimonials"]
    assert row["status"] == "pending" and row["sentiment"]["scorer_version"]
    approve = client.patch(
        f"/api/v1/testimonials/{row['id']}",
        headers=shop.auth,
        json={"status": "published", "position": 2},
    )
    assert approve.status_code == 200

    # A review becomes a testimonial only with its author's consent.
    without = published(runtime, submit, email="no@example.com")
    assert (
        client.post(f"/api/v1/reviews/{without}/testimonial", headers=shop.auth).status_code == 403
    )
    with_consent = published(
        runtime,
        submit,
        email="yes@example.com",
        name="Minh",
        testimonial_consent=True,
        body="Áo đẹp, mặc đi làm rất lịch sự, sẽ ủng hộ shop dài dài.",
    )
    featured = client.post(f"/api/v1/reviews/{with_consent}/testimonial", headers=shop.auth)
    assert featured.status_code == 201
    assert (
        client.post(f"/api/v1/reviews/{with_consent}/testimonial", headers=shop.auth).status_code
        == 200
    )
    shown = client.get(url, headers={"Origin": ORIGIN}).json()["testimonials"]
    assert [t["author"] for t in shown] == ["Minh", "Trang"]  # position 0 before position 2
    assert "email" not in shown[0]
