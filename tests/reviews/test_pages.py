"""The review form of a review-request e-mail, as a page."""

from __future__ import annotations

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews.models import Review, ReviewRequest
from rcommerce.runtime import Runtime
from tests.support.reviews import (
    jpeg_with_exif,
    make_order,
    photo_files,
    review_link,
    reviews_of,
)
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import SMTPServer


def test_the_form_needs_one_rating_and_refuses_an_altered_form(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    runtime = smtp_runtime
    make_order(runtime, shop, "DH7", "ha@example.com", ["ao-thun", "tai-nghe"])
    link = review_link(runtime, client, smtp_server, clock, shop, "DH7")
    base = {"product-0": "ao-thun", "product-1": "tai-nghe", "name": "Hà"}

    unrated = client.post(link, data={**base, "body-0": "Chưa chấm sao."})
    assert unrated.status_code == 422
    assert "Hãy chấm sao cho ít nhất một sản phẩm." in unrated.text
    assert "Chưa chấm sao." in unrated.text  # what was typed is kept
    # A rating beyond the order's products is not one of the form's.
    beyond = client.post(link, data={**base, "product-2": "ao-thun", "rating-2": "5"})
    assert beyond.status_code == 422 and "ít nhất một" in beyond.text
    for altered in ({"product-0": "ca-phe", "rating-0": "5"}, {"rating-1": "6"}):
        refused = client.post(link, data={**base, **altered})
        assert refused.status_code == 422, altered
        assert refused.json()["error"] == {"code": "invalid", "message": "The form was altered."}

    assert client.get(link).status_code == 200  # none of that spent the link
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(Review)).all() == []

    sent = client.post(
        link, data={**base, "rating-0": "5", "title-0": "  Ưng  ", "rating-1": "3", "consent": "1"}
    )
    assert sent.status_code == 200, sent.text
    with runtime.transaction(readonly=True) as session:
        reviews = {r.product_id: r for r in session.exec(select(Review))}
        [review_request] = session.exec(select(ReviewRequest)).all()
    assert {p: r.rating for p, r in reviews.items()} == {"ao-thun": 5, "tai-nghe": 3}
    assert reviews["ao-thun"].title == "Ưng" and reviews["ao-thun"].author_name == "Hà"
    assert all(
        r.verified and r.source == "email" and r.testimonial_consent for r in reviews.values()
    )
    assert review_request.used_at is not None
    # The spent link edits the reviews it made (it was sent to the buyer), and only those.
    assert client.post(link, data={**base, "rating-0": "4"}).status_code == 200
    with runtime.transaction(readonly=True) as session:
        edited = {r.product_id: r.rating for r in session.exec(select(Review))}
    assert edited == {"ao-thun": 4, "tai-nghe": 3}


def test_the_emailed_form_shows_the_shop_and_takes_photos(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    runtime = smtp_runtime
    make_order(runtime, shop, "DH9", "thu@example.com", ["ao-thun"])
    link = review_link(runtime, client, smtp_server, clock, shop, "DH9")
    page = client.get(link)
    assert '<p class="shop">Shop</p>' in page.text  # the shop's name, not just the order
    assert 'enctype="multipart/form-data"' in page.text and 'name="photos-0"' in page.text
    fields = {"product-0": "ao-thun", "rating-0": "5", "body-0": "Đẹp như hình.", "name": "Thu"}
    broken = client.post(link, data=fields, files=[("photos-0", ("x.jpg", b"not a photo"))])
    assert broken.status_code == 422 and "Không đọc được một ảnh" in broken.text
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(Review)).all() == []  # nothing saved: the buyer retries
    photo = jpeg_with_exif()
    sent = client.post(
        link,
        data=fields,
        files=[("photos-0", ("a.jpg", photo, "image/jpeg")), ("photos-0", ("b.jpg", photo))],
    )
    assert sent.status_code == 200, sent.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [review] = reviews_of(client, shop.publishable_key)["reviews"]
    assert len(review["photos"]) == 2 and review["verified"] is True
    assert len(photo_files(runtime, shop)) == 2
