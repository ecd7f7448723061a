"""Moderation through the real submission path: what is published, held or rejected, and why."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews import rules
from rcommerce.reviews.models import ModerationDecision, Review
from rcommerce.runtime import Runtime
from tests.support.reviews import (
    Submit,
    only_review,
    reviews_of,
)
from tests.support.runtime import Clock, StoreKeys


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
    stored = only_review(runtime)
    assert stored.sentiment_label in ("positive", "neutral", "negative")
    assert stored.language == "vi" and stored.scorer_version


def test_one_star_honest_review_is_published_like_a_five_star_one(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    honest = "Hàng giao trễ 10 ngày, áo bị lỗi đường may, shop không trả lời tin nhắn. Thất vọng, lừa đảo."
    assert submit(rating=1, body=honest, email="a@example.com").status_code == 202
    assert submit(rating=5, email="b@example.com").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    one = only_review(runtime, rating=1)
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
        review = only_review(runtime, email=email)
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
    assert only_review(runtime, email="one@example.com").status == "published"
    second = only_review(runtime, email="two@example.com")
    assert second.status == "rejected" and second.reason_code == "duplicate"
    third = only_review(runtime, email="three@example.com")
    assert third.status == "pending" and "near_duplicate" in third.flags


def test_short_common_praise_is_not_a_duplicate(runtime: Runtime, submit: Submit) -> None:
    for email in ("p@example.com", "q@example.com"):
        assert submit(body="Hàng đẹp, ok", email=email).status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert only_review(runtime, email="q@example.com").status == "published"


def test_honeypot_and_link_spam_are_rejected(runtime: Runtime, submit: Submit) -> None:
    submit(email="bot@example.com", website="http://spam.example")
    submit(
        email="ads@example.com",
        body="Mua hàng giá rẻ tại https://cheap.example và www.sale.example.vn",
    )
    submit(email="one-link@example.com", body="Mình mua thêm ở shopee.vn cũng được giá này")
    submit(email="phone@example.com", body="Ai cần sỉ liên hệ 0912 345 678 nhé")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert only_review(runtime, email="bot@example.com").reason_code == "spam"
    assert only_review(runtime, email="ads@example.com").reason_code == "spam"
    assert only_review(runtime, email="one-link@example.com").flags == ["link"]
    assert only_review(runtime, email="phone@example.com").flags == ["personal_data"]


def test_stars_and_text_disagreeing_never_delay_a_review(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    text = (
        "Terrible. Broke after one day, awful quality, worst purchase ever, total waste of money."
    )
    assert submit(rating=5, body=text).status_code == 202
    # One star on a text of praise (a slip of the finger, or a grudge about something else).
    sarcasm = "Áo đẹp, vải mịn, giao hàng nhanh, rất hài lòng"
    assert submit(rating=1, body=sarcasm, email="mai@example.com").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = only_review(runtime, email="lan@example.com")
    assert review.status == "published" and review.flags == ["rating_mismatch"]
    assert review.flagged
    sarcastic = only_review(runtime, email="mai@example.com")
    assert sarcastic.status == "published" and sarcastic.flags == ["rating_mismatch"]
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 2
    flagged = client.get("/api/v1/reviews", params={"flagged": "true"}, headers=shop.auth)
    assert [r["id"] for r in flagged.json()["reviews"]] == [sarcastic.id, review.id]
    # A manager looks and approves: the flag is cleared, the review stays published.
    response = client.patch(
        f"/api/v1/reviews/{review.id}", headers=shop.auth, json={"status": "published"}
    )
    assert response.status_code == 200
    assert [d["actor"] for d in response.json()["decisions"]] == [
        "system:moderation",
        "manager:api",
    ]
    assert response.json()["flags"] == [] and not only_review(runtime, id=review.id).flagged
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 2


def test_a_held_review_is_published_after_the_review_window_unless_a_manager_decided(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit, clock: Clock
) -> None:
    from rcommerce.reviews import manage, tasks
    from rcommerce.stores.models import Store

    submit(rating=1, body="Hàng lỗi, gọi 0912 345 678 không ai nghe", email="held@example.com")
    submit(rating=2, body="Ai cần sỉ liên hệ 0912 345 679 nhé", email="spam@example.com")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    held = only_review(runtime, email="held@example.com")
    other = only_review(runtime, email="spam@example.com")
    assert held.status == other.status == "pending"
    with runtime.transaction(readonly=True) as session:
        store = session.get(Store, shop.store_id)
        assert store is not None and store.review_hold_hours == 72
        counts = manage.held_counts(session, store)
    assert counts["pending"] == {1: 1, 2: 1, 3: 0, 4: 0, 5: 0}  # suppression would show
    rejected = client.patch(
        f"/api/v1/reviews/{other.id}",
        headers=shop.auth,
        json={"status": "rejected", "reason": "personal_data"},
    )
    assert rejected.status_code == 200
    clock.advance(hours=71)
    tasks.release_held(runtime)
    assert only_review(runtime, email="held@example.com").status == "pending"
    clock.advance(hours=2)
    tasks.release_held(runtime)
    released = only_review(runtime, email="held@example.com")
    assert released.status == "published" and released.flagged  # the manager still sees it
    assert only_review(runtime, email="spam@example.com").status == "rejected"  # decided
    audit = client.get(f"/api/v1/reviews/{released.id}", headers=shop.auth).json()
    assert audit["decisions"][-1]["actor"] == "system:review-window"


def test_a_review_released_after_the_window_never_shows_personal_data(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit, clock: Clock
) -> None:
    from rcommerce.reviews import tasks

    submit(
        rating=1,
        title="Gọi 0912.345.678",
        body="Hàng lỗi, gọi 0912 345 678 hoặc mail shop@example.com không ai trả lời",
        email="held@example.com",
    )
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert only_review(runtime).status == "pending"
    clock.advance(hours=73)
    tasks.release_held(runtime)
    [shown] = reviews_of(client, shop.publishable_key)["reviews"]
    assert shown["rating"] == 1  # the honest complaint is published...
    assert shown["body"] == "Hàng lỗi, gọi ••• hoặc mail ••• không ai trả lời"
    assert shown["title"] == "Gọi •••"  # ...without the numbers and addresses in it
    audit = client.get(f"/api/v1/reviews/{shown['id']}", headers=shop.auth).json()
    assert "masked" in audit["decisions"][-1]["note"]


def test_the_published_bypass_forms_are_caught(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    # These two were published before the normalised view of the words.
    submit(body="d.m shop lừa đảo, đ.m", email="a@example.com", rating=1)
    submit(body="shop nhu lol, do ngu", email="b@example.com", rating=1)
    submit(body="v.c.l giao hàng chậm", email="c@example.com", rating=1)
    submit(body="Shop lừa đảo, hàng giả, thất vọng", email="d@example.com", rating=1)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        caught = only_review(runtime, email=email)
        assert (caught.status, caught.reason_code) == ("rejected", "abuse"), email
    # An honest complaint is still published.
    assert only_review(runtime, email="d@example.com").status == "published"
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 1


def test_near_duplicates_are_looked_for_in_the_300_latest_reviews_by_someone_else(
    runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    """However many of the store's latest reviews are the author's own: here 100 of them
    come between the author's new review and the other reviews, more than the room that
    moderation reads for a batch, and the original text is the 281st latest by others."""
    text = "Sản phẩm tuyệt vời, chất lượng vượt mong đợi, mọi người nên mua ngay nhé!"
    long_ago = runtime.now() - timedelta(days=3)  # no velocity rule involved

    def row(email: str, body: str, product_id: str = "ao-thun") -> Review:
        return Review(
            store_id=shop.store_id, product_id=product_id, rating=5, author_name="A",
            email=email, body=body, fingerprint=rules.fingerprint(body), status="published",
            created_at=long_ago, updated_at=long_ago,
        )  # fmt: skip

    with runtime.transaction() as session:
        session.add(row("first@example.com", text))
        for n in range(280):
            body = f"Lần thứ {n} mua ở shop, áo {n} màu đẹp, vải mát, giao hàng đúng hẹn"
            session.add(row(f"other{n}@example.com", body))
        for n in range(100):
            session.add(row("lan@example.com", f"Quần số {n} mặc vừa vặn", f"quan-{n}"))
    near = text.replace("ngay nhé", "ngay đi nhé")
    assert submit(body=near, email="lan@example.com").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = only_review(runtime, email="lan@example.com", product_id="ao-thun")
    assert review.status == "pending" and review.flags == ["near_duplicate"]
