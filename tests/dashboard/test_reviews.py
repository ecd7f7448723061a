"""Dashboard moderation: approving, rejecting, replying to and featuring reviews."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.reviews import models as review_models
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from tests.support.dashboard import (
    ManagerLogin,
    add_review,
    log_in,
)


def test_moderation_queue_approve_reject_reply_feature(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    first = add_review(runtime, manager.store)
    second = add_review(runtime, manager.store, email="b@example.com", body="Spam spam")
    token = log_in(client, manager)
    queue = client.get("/dashboard/reviews?status=pending")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in queue.text  # user text is inert
    assert "<script>alert(1)" not in queue.text
    approved = client.post(
        f"/dashboard/reviews/{first}/approve",
        data={"csrf": token, "back": "/dashboard/reviews?status=pending"},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    assert approved.headers["location"] == "/dashboard/reviews?status=pending&notice=approved"
    no_reason = client.post(f"/dashboard/reviews/{second}/reject", data={"csrf": token})
    assert no_reason.status_code == 422
    rejected = client.post(
        f"/dashboard/reviews/{second}/reject",
        data={"csrf": token, "reason": "spam"},
        follow_redirects=False,
    )
    assert rejected.status_code == 303
    client.post(
        f"/dashboard/reviews/{first}/reply", data={"csrf": token, "body": "Cảm ơn chị Lan!"}
    )
    feature_form = f'action="/dashboard/reviews/{first}/feature"'
    assert feature_form in client.get("/dashboard/reviews?status=published").text
    featured = client.post(
        f"/dashboard/reviews/{first}/feature", data={"csrf": token}, follow_redirects=False
    )
    assert featured.status_code == 303
    assert feature_form not in client.get("/dashboard/reviews?status=published").text
    with runtime.transaction() as session:
        one, two = session.get(Review, first), session.get(Review, second)
        assert one is not None and one.status == "published" and one.reply_body == "Cảm ơn chị Lan!"
        assert two is not None and two.status == "rejected" and two.reason_code == "spam"
        assert session.exec(review_models.Testimonial.__table__.select()).first() is not None  # type: ignore[attr-defined]
    open_redirect = client.post(
        f"/dashboard/reviews/{first}/reply",
        data={"csrf": token, "body": "x", "back": "//evil.example/"},
        follow_redirects=False,
    )
    assert open_redirect.headers["location"].startswith("/dashboard/reviews?")


def test_held_and_flagged_counts_by_rating_and_the_photos_a_moderator_sees(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    from rcommerce.reviews import photos
    from rcommerce.stores.models import Store
    from tests.support.reviews import jpeg_with_exif

    held_one = add_review(runtime, manager.store, rating=1)
    add_review(runtime, manager.store, rating=1, email="b@example.com")
    add_review(runtime, manager.store, rating=5, email="c@example.com")
    add_review(
        runtime,
        manager.store,
        rating=5,
        email="d@example.com",
        status="published",
        flags=["rating_mismatch"],
        flagged=True,
    )
    with runtime.transaction() as session:
        store = session.get(Store, manager.store.store_id)
        assert store is not None
        jpeg, width, height = photos.process(runtime.settings, jpeg_with_exif())
        photo = photos.store_photo(
            session=session, store=store, settings=runtime.settings, jpeg=jpeg,
            width=width, height=height, ip_hash=None, now=runtime.now(),
        )  # fmt: skip
        review = session.get(Review, held_one)
        assert review is not None
        photos.attach_photos(session, store, review, [photo.id], now=runtime.now())
        photo_id = photo.id
    log_in(client, manager)
    queue = client.get("/dashboard/reviews?status=pending").text
    # Suppression would show: two 1-star reviews held, one 5-star one, one 5-star flagged.
    assert '<td data-held="1">2</td>' in queue and '<td data-held="5">1</td>' in queue
    assert '<td data-flagged="5">1</td>' in queue
    assert "sau 72 giờ" in queue
    # The moderator sees the held review's photo (shoppers cannot: it is not published).
    assert f'src="/dashboard/reviews/photos/{photo_id}.jpg"' in queue
    assert client.get(f"/dashboard/reviews/photos/{photo_id}.jpg").status_code == 200
    assert client.get(f"/media/reviews/{photo_id}.jpg").status_code == 404
    # And its video, which shoppers cannot fetch either.
    video_id = held_video(runtime, manager.store.store_id, held_one)
    queue = client.get("/dashboard/reviews?status=pending").text
    assert f'src="/dashboard/reviews/videos/{video_id}"' in queue
    watched = client.get(f"/dashboard/reviews/videos/{video_id}")
    assert watched.status_code == 200 and watched.headers["content-type"] == "video/mp4"
    assert client.get(f"/media/review-videos/{video_id}.mp4").status_code == 404
    flagged = client.get("/dashboard/reviews?status=flagged").text
    assert "Số sao trái với nội dung" in flagged and "d@example.com" not in flagged
    client.cookies.clear()
    logged_out = client.get(f"/dashboard/reviews/photos/{photo_id}.jpg", follow_redirects=False)
    assert logged_out.status_code in (302, 303) and "image" not in logged_out.headers.get(
        "content-type", ""
    )


def test_review_settings_are_kept_apart_from_the_store_settings(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    from rcommerce.stores.models import Store

    token = log_in(client, manager)
    saved = client.post(
        "/dashboard/reviews/settings",
        data={"csrf": token, "review_hold_hours": "48", "unverified_reviews": "confirm"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    bad = client.post(
        "/dashboard/reviews/settings",
        data={"csrf": token, "review_hold_hours": "0", "unverified_reviews": "confirm"},
    )
    assert bad.status_code == 422
    page = client.get("/dashboard/reviews").text
    assert 'value="48"' in page and 'value="confirm" checked' in page
    # Saving the store's general settings leaves the review settings alone.
    client.post(
        "/dashboard/settings",
        data={
            "csrf": token,
            "name": "Shop",
            "allowed_origins": "https://shop.example",
            "locale": "vi",
            "review_request_delay_days": "7",
        },
    )
    with runtime.transaction(readonly=True) as session:
        store = session.get(Store, manager.store.store_id)
        assert store is not None
        assert (store.review_hold_hours, store.unverified_reviews) == (48, "confirm")
        assert store.products_from_api_only is False


def held_video(runtime: Runtime, store_id: int, review_id: int) -> str:
    from rcommerce.reviews import videos
    from rcommerce.stores.models import Store
    from tests.reviews.test_videos import mp4

    with runtime.transaction() as session:
        store = session.get(Store, store_id)
        review = session.get(Review, review_id)
        assert store is not None and review is not None
        video = videos.store_video(
            session=session, store=store, settings=runtime.settings, data=mp4(8),
            content_type="video/mp4", duration=8.0, ip_hash=None, now=runtime.now(),
        )  # fmt: skip
        session.flush()
        videos.attach_video(session, runtime.settings, store, review, video.id, now=runtime.now())
        return video.id
