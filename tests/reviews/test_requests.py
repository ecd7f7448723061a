"""Verified reviews through the review-request e-mail (a real SMTP server receives it)."""

from __future__ import annotations

import re

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews.models import Review, ReviewRequest
from rcommerce.runtime import Runtime
from tests.support.reviews import LINK, fulfil, make_order, reviews_of
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import Inbox, SMTPServer

UNSUBSCRIBE = re.compile(r"http://testserver(/reviews/unsubscribe/\S+)")


def test_verified_review_through_the_email_link_works_once(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    make_order(smtp_runtime, shop, "DH1", "an@example.com", ["ao-thun", "tai-nghe"])
    out = fulfil(client, shop, "DH1")
    assert out["review_request"] is not None
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert smtp_server.inbox.messages == []  # not before the store's delay (7 days)

    clock.advance(days=7, minutes=1)
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [mail] = smtp_server.inbox.wait_for(1)
    assert mail["To"] == "an@example.com"
    assert "List-Unsubscribe" in mail
    text = Inbox.text_of(mail)
    assert "Áo thun cotton" in text and "Tai nghe Bluetooth" in text
    path = LINK.search(text)
    assert path is not None
    link = path.group(1)

    form = client.get(link)
    assert form.status_code == 200
    assert "Áo thun cotton" in form.text and "Tai nghe Bluetooth" in form.text
    assert 'value="Nguyễn Văn An"' in form.text  # pre-filled with the buyer's name

    sent = client.post(
        link,
        data={
            "product-0": "ao-thun",
            "rating-0": "2",
            "body-0": "Vải mỏng hơn mình nghĩ, giặt một lần đã xù lông.",
            "product-1": "tai-nghe",
            "rating-1": "",
            "name": "An N.",
            "website": "",
        },
    )
    assert sent.status_code == 200, sent.text
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    with smtp_runtime.transaction(readonly=True) as session:
        [review] = session.exec(select(Review)).all()
        assert review.verified and review.source == "email" and review.status == "published"
        assert review.email == "an@example.com" and review.author_name == "An N."
        assert review.sentiment_label is not None and review.scorer_version
    listed = reviews_of(client, shop.publishable_key)
    assert listed["reviews"][0]["verified"] is True
    assert "email" not in listed["reviews"][0]

    # The link is spent: it no longer makes a review for another address (the widget's
    # claim refuses it), but it opens the buyer's review again, to edit it.
    again = client.get(link)
    assert again.status_code == 200 and "giặt một lần đã xù lông" in again.text
    resent = client.post(link, data={"product-0": "ao-thun", "rating-0": "5", "body-0": "Ổn."})
    assert resent.status_code == 200
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    with smtp_runtime.transaction(readonly=True) as session:
        [review] = session.exec(select(Review)).all()
    assert review.rating == 5 and review.body == "Ổn." and review.verified
    # No reminder for a request that was answered (the second e-mail thanks An).
    clock.advance(days=6)
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    subjects = [str(m["Subject"]) for m in smtp_server.inbox.messages]
    assert len(subjects) == 2 and subjects[1].startswith("Cảm ơn bạn đã đánh giá"), subjects


def test_review_link_expires(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    make_order(smtp_runtime, shop, "DH2", "binh@example.com", ["ca-phe"])
    fulfil(client, shop, "DH2")
    clock.advance(days=8)
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [mail] = smtp_server.inbox.wait_for(1)
    path = LINK.search(Inbox.text_of(mail))
    assert path is not None
    assert client.get(path.group(1)).status_code == 200
    clock.advance(days=61)
    expired = client.get(path.group(1))
    assert expired.status_code == 400
    assert "hết hạn" in expired.text  # the store's locale is Vietnamese
    tampered = client.get(path.group(1)[:-3] + "abc")
    assert tampered.status_code == 400


def test_one_reminder_then_unsubscribe_stops_requests(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    make_order(smtp_runtime, shop, "DH3", "chi@example.com", ["ao-thun"])
    first = fulfil(client, shop, "DH3")
    assert fulfil(client, shop, "DH3") == first  # fulfilling twice changes nothing
    clock.advance(days=7, minutes=1)
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    clock.advance(days=5, minutes=1)
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    clock.advance(days=10)
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    messages = smtp_server.inbox.wait_for(2)
    assert len(messages) == 2  # the request and exactly one reminder
    assert "Nhắc" in str(messages[1]["Subject"])

    path = UNSUBSCRIBE.search(Inbox.text_of(messages[1]))
    assert path is not None
    ask = client.get(path.group(1))
    assert ask.status_code == 200 and "<form" in ask.text  # a GET never unsubscribes
    assert client.post(path.group(1)).status_code == 200
    make_order(smtp_runtime, shop, "DH4", "chi@example.com", ["ca-phe"])
    out = fulfil(client, shop, "DH4")
    assert out["review_request"] is None and out["skipped"] == "unsubscribed"
    with smtp_runtime.transaction(readonly=True) as session:
        statuses = {r.status for r in session.exec(select(ReviewRequest))}
    assert statuses == {"unsubscribed"}


def test_fulfil_unknown_order_or_other_store(
    client: TestClient, runtime: Runtime, shop: StoreKeys, make_store: object
) -> None:
    assert client.post("/api/v1/orders/nope/fulfil", headers=shop.auth).status_code == 404
    make_order(runtime, shop, "DH5", "d@example.com", ["ao-thun"])
    other = make_store(name="Other")  # type: ignore[operator]
    response = client.post("/api/v1/orders/DH5/fulfil", headers=other.auth)
    assert response.status_code == 404
    assert client.post("/api/v1/orders/DH5/fulfil").status_code == 401


def test_widget_token_marks_the_review_verified(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    make_order(smtp_runtime, shop, "DH6", "em@example.com", ["tai-nghe"])
    fulfil(client, shop, "DH6")
    clock.advance(days=7, minutes=1)
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [mail] = smtp_server.inbox.wait_for(1)
    path = LINK.search(Inbox.text_of(mail))
    assert path is not None
    token = path.group(1).rsplit("/", 1)[1]
    body = {
        "product_id": "tai-nghe",
        "rating": 4,
        "body": "Bass ổn, pin được khoảng 6 tiếng.",
        "name": "Em",
        "email": "someone-else@example.com",
        "token": token,
    }
    headers = {"Origin": "https://shop.example"}
    wrong = client.post(f"/embed/v1/{shop.publishable_key}/reviews", json=body, headers=headers)
    assert wrong.status_code == 400  # the token belongs to another e-mail
    body["email"] = "em@example.com"
    ok = client.post(f"/embed/v1/{shop.publishable_key}/reviews", json=body, headers=headers)
    assert ok.status_code == 202
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = reviews_of(client, shop.publishable_key, "tai-nghe")["reviews"][0]
    assert review["verified"] is True
    # Spent: a second widget claim is refused; the e-mailed form opens it to edit.
    body["rating"] = 5
    again = client.post(f"/embed/v1/{shop.publishable_key}/reviews", json=body, headers=headers)
    assert again.status_code == 410
    assert "Bass ổn" in client.get(path.group(1)).text
