"""Verified reviews through the review-request e-mail (a real SMTP server receives it)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews import requests, submission
from rcommerce.reviews.models import Review, ReviewRequest
from rcommerce.runtime import Runtime
from tests.support.reviews import make_order, reviews_of
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import Inbox, SMTPServer

LINK = re.compile(r"http://testserver(/reviews/write/\S+)")
UNSUBSCRIBE = re.compile(r"http://testserver(/reviews/unsubscribe/\S+)")


def _fulfil(client: TestClient, keys: StoreKeys, order_id: str) -> dict[str, object]:
    response = client.post(f"/api/v1/orders/{order_id}/fulfil", headers=keys.auth)
    assert response.status_code == 202, response.text
    body: dict[str, object] = response.json()
    return body


def test_verified_review_through_the_email_link_works_once(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    make_order(smtp_runtime, shop, "DH1", "an@example.com", ["ao-thun", "tai-nghe"])
    out = _fulfil(client, shop, "DH1")
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

    # The link is spent: the page and the form refuse it.
    again = client.get(link)
    assert again.status_code == 410
    resent = client.post(link, data={"product-0": "ao-thun", "rating-0": "5", "body-0": "x"})
    assert resent.status_code == 410
    # No reminder for a request that was answered.
    clock.advance(days=6)
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(smtp_server.inbox.messages) == 1


def test_review_link_expires(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    make_order(smtp_runtime, shop, "DH2", "binh@example.com", ["ca-phe"])
    _fulfil(client, shop, "DH2")
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
    first = _fulfil(client, shop, "DH3")
    assert _fulfil(client, shop, "DH3") == first  # fulfilling twice changes nothing
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
    out = _fulfil(client, shop, "DH4")
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
    _fulfil(client, shop, "DH6")
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
    assert client.get(path.group(1)).status_code == 410


def _link(
    runtime: Runtime,
    client: TestClient,
    smtp: SMTPServer,
    clock: Clock,
    keys: StoreKeys,
    order: str,
) -> str:
    """The review link of the order's request e-mail (sent a week after fulfilment)."""
    _fulfil(client, keys, order)
    clock.advance(days=7, minutes=1)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [mail] = smtp.inbox.wait_for(1)
    path = LINK.search(Inbox.text_of(mail))
    assert path is not None
    return path.group(1)


def test_the_form_needs_one_rating_and_refuses_an_altered_form(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    runtime = smtp_runtime
    make_order(runtime, shop, "DH7", "ha@example.com", ["ao-thun", "tai-nghe"])
    link = _link(runtime, client, smtp_server, clock, shop, "DH7")
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
    assert client.post(link, data={**base, "rating-0": "4"}).status_code == 410


def test_submit_request_form_is_a_service_without_http(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    runtime = smtp_runtime
    make_order(runtime, shop, "DH8", "vy@example.com", ["ca-phe"], customer_name="Vy")
    token = _link(runtime, client, smtp_server, clock, shop, "DH8").rsplit("/", 1)[1]
    entry = submission.FormEntry(product_id="ca-phe", rating="4", body="Thơm, đậm vị.")

    def submit(*entries: submission.FormEntry) -> tuple[requests.Form, list[Review]]:
        with runtime.transaction() as session:
            return submission.submit_request_form(
                session=session,
                settings=runtime.settings,
                token=token,
                answers=submission.FormAnswers(entries=entries, honeypot=True),
                ip_hash=None,
                now=runtime.now(),
            )

    form, made = submit(submission.FormEntry(product_id="ca-phe"))
    assert made == [] and [item.product_id for item in form.items] == ["ca-phe"]
    form, [review] = submit(entry)
    assert review.author_name == "Vy" and review.honeypot and review.verified
    with pytest.raises(requests.LinkUsed):
        submit(entry)
