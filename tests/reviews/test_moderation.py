"""Moderation through the real submission path: what is published, held or rejected, and why."""

from __future__ import annotations

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews.models import ModerationDecision, Review
from rcommerce.runtime import Runtime
from tests.support.reviews import ORIGIN, Submit, make_order, reviews_of
from tests.support.runtime import StoreKeys


def _only(runtime: Runtime, **where: object) -> Review:
    with runtime.transaction(readonly=True) as session:
        query = select(Review)
        for name, value in where.items():
            query = query.where(getattr(Review, name) == value)
        [review] = session.exec(query).all()
        return review


def test_unverified_widget_review_is_published(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    response = submit()
    assert response.status_code == 202
    assert response.json()["status"] == "received"  # stored first, moderated after
    assert reviews_of(client, shop.publishable_key)["reviews"] == []
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    page = reviews_of(client, shop.publishable_key)
    [review] = page["reviews"]
    assert review["verified"] is False and review["author"] == "Lan" and review["rating"] == 5
    assert page["summary"]["count"] == 1 and page["summary"]["average"] == 5
    assert page["summary"]["distribution"]["5"] == 1
    assert sum(page["summary"]["sentiment"].values()) == 1
    assert page["summary"]["sentiment"]["unscored"] == 0
    stored = _only(runtime)
    assert stored.sentiment_label in ("positive", "neutral", "negative")
    assert stored.language == "vi" and stored.scorer_version


def test_a_buyer_of_the_product_is_verified_without_a_link(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    make_order(runtime, shop, "DH10", "lan@example.com", ["ao-thun"])
    assert submit().status_code == 202
    assert submit(product_id="ca-phe", email="lan@example.com").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert reviews_of(client, shop.publishable_key)["reviews"][0]["verified"] is True
    # She never bought the coffee: that review is not verified.
    assert reviews_of(client, shop.publishable_key, "ca-phe")["reviews"][0]["verified"] is False


def test_one_star_honest_review_is_published_like_a_five_star_one(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    honest = "Hàng giao trễ 10 ngày, áo bị lỗi đường may, shop không trả lời tin nhắn. Thất vọng, lừa đảo."
    assert submit(rating=1, body=honest, email="a@example.com").status_code == 202
    assert submit(rating=5, email="b@example.com").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    one = _only(runtime, rating=1)
    assert one.status == "published" and one.reason_code is None and one.flags == []
    assert one.scorer_version is not None and one.sentiment_compound is not None
    with runtime.transaction(readonly=True) as session:
        [decision] = session.exec(
            select(ModerationDecision).where(ModerationDecision.review_id == one.id)
        ).all()
    assert decision.actor == "system:moderation" and decision.to_status == "published"
    page = reviews_of(client, shop.publishable_key, sort="lowest")
    assert [r["rating"] for r in page["reviews"]] == [1, 5]
    assert page["summary"]["average"] == 3


def test_profane_vietnamese_without_diacritics_is_rejected(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    profane = "Shop lam an nhu cc, dmm giao hang cham vcl"
    assert submit(rating=1, body=profane, email="x@example.com").status_code == 202
    # The same words in a 5-star review get the same decision: stars play no part.
    assert (
        submit(rating=5, body="ao dep vcl, dmm mua them", email="y@example.com").status_code == 202
    )
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    for email in ("x@example.com", "y@example.com"):
        review = _only(runtime, email=email)
        assert review.status == "rejected" and review.reason_code == "abuse"
    assert reviews_of(client, shop.publishable_key)["reviews"] == []


def test_duplicate_text_from_another_person_is_rejected(
    runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    text = "Sản phẩm tuyệt vời, chất lượng vượt mong đợi, mọi người nên mua ngay nhé!"
    assert submit(body=text, email="one@example.com").status_code == 202
    assert submit(body=text.upper() + " 👍", email="two@example.com").status_code == 202
    near = text.replace("ngay nhé", "ngay đi nhé")
    assert submit(body=near, email="three@example.com").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert _only(runtime, email="one@example.com").status == "published"
    second = _only(runtime, email="two@example.com")
    assert second.status == "rejected" and second.reason_code == "duplicate"
    third = _only(runtime, email="three@example.com")
    assert third.status == "pending" and "near_duplicate" in third.flags


def test_short_common_praise_is_not_a_duplicate(runtime: Runtime, submit: Submit) -> None:
    for email in ("p@example.com", "q@example.com"):
        assert submit(body="Hàng đẹp, ok", email=email).status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert _only(runtime, email="q@example.com").status == "published"


def test_the_same_person_again_edits_their_review(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    assert submit(rating=5).status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert submit(rating=3, body="Dùng một tháng thì bạc màu, tạm ổn.").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = _only(runtime)
    assert review.rating == 3 and review.status == "published"
    page = reviews_of(client, shop.publishable_key)
    assert page["summary"]["count"] == 1 and page["summary"]["distribution"]["5"] == 0


def test_honeypot_and_link_spam_are_rejected(runtime: Runtime, submit: Submit) -> None:
    submit(email="bot@example.com", website="http://spam.example")
    submit(
        email="ads@example.com",
        body="Mua hàng giá rẻ tại https://cheap.example và www.sale.example.vn",
    )
    submit(email="one-link@example.com", body="Mình mua thêm ở shopee.vn cũng được giá này")
    submit(email="phone@example.com", body="Ai cần sỉ liên hệ 0912 345 678 nhé")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert _only(runtime, email="bot@example.com").reason_code == "spam"
    assert _only(runtime, email="ads@example.com").reason_code == "spam"
    assert _only(runtime, email="one-link@example.com").flags == ["link"]
    assert _only(runtime, email="phone@example.com").flags == ["personal_data"]


def test_five_stars_with_a_furious_text_waits_for_a_human(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    text = (
        "Terrible. Broke after one day, awful quality, worst purchase ever, total waste of money."
    )
    assert submit(rating=5, body=text).status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = _only(runtime)
    assert review.status == "pending" and review.flags == ["rating_mismatch"]
    # A manager approves; the review is published (never auto-rejected).
    response = client.patch(
        f"/api/v1/reviews/{review.id}", headers=shop.auth, json={"status": "published"}
    )
    assert response.status_code == 200
    assert [d["actor"] for d in response.json()["decisions"]] == [
        "system:moderation",
        "manager:api",
    ]
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 1


def test_html_and_script_payloads_stay_inert_text(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)> </script><!--'
    assert submit(body=f"Đẹp lắm {payload}", title=payload, name="<b>Lan</b>").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    stored = _only(runtime)
    assert stored.body == f"Đẹp lắm {payload}"  # stored as given
    response = client.get(
        f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews", headers={"Origin": ORIGIN}
    )
    assert response.headers["content-type"].startswith("application/json")
    [review] = response.json()["reviews"]
    assert review["title"] == payload and review["author"] == "<b>Lan</b>"
    snippet = client.get(f"/embed/v1/{shop.publishable_key}/products/ao-thun/snippet").text
    assert snippet.count("<script") == 1 and snippet.count("</script>") == 1
    assert "\\u003cscript" in snippet


def test_rate_limits_per_ip_and_per_email(client: TestClient, submit: Submit) -> None:
    for i in range(5):
        assert submit(email="same@example.com", product_id="ao-thun").status_code == 202, i
    limited = submit(email="same@example.com")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    for i in range(4):
        assert submit(email=f"p{i}@example.com").status_code == 202
    by_ip = submit(email="fresh@example.com")
    assert by_ip.status_code == 429 and int(by_ip.headers["retry-after"]) >= 1


def test_another_stores_key_gets_nothing(
    client: TestClient,
    runtime: Runtime,
    shop: StoreKeys,
    submit: Submit,
    make_store: object,
) -> None:
    assert submit().status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review_id = reviews_of(client, shop.publishable_key)["reviews"][0]["id"]
    other = make_store(name="Other", origins=("https://other.example",))  # type: ignore[operator]
    headers = {"Origin": "https://other.example"}
    pk = other.publishable_key
    assert (
        client.get(f"/embed/v1/{pk}/products/ao-thun/reviews", headers=headers).status_code == 404
    )
    assert client.get(f"/embed/v1/{pk}/products/ao-thun/jsonld").status_code == 404
    vote = client.post(
        f"/embed/v1/{pk}/reviews/{review_id}/votes", json={"helpful": True}, headers=headers
    )
    assert vote.status_code == 404
    assert client.get(f"/embed/v1/{pk}/testimonials", headers=headers).json() == {
        "testimonials": []
    }
    # The first store's key from the other store's origin: refused by CORS, no data.
    cross = client.get(
        f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews", headers=headers
    )
    assert cross.status_code == 403 and "reviews" not in cross.json()
    # Secret keys: the other store sees none of these reviews and cannot act on them.
    assert client.get("/api/v1/reviews", headers=other.auth).json()["reviews"] == []
    assert client.get(f"/api/v1/reviews/{review_id}", headers=other.auth).status_code == 404
    patch = client.patch(
        f"/api/v1/reviews/{review_id}",
        headers=other.auth,
        json={"status": "rejected", "reason": "spam"},
    )
    assert patch.status_code == 404
    export = client.post(
        "/api/v1/reviews/privacy/export", headers=other.auth, json={"email": "lan@example.com"}
    )
    assert export.json()["reviews"] == []
