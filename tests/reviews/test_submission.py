"""Submitting reviews: a typed e-mail proves nothing (edits and verified purchases wait for a link
sent to the address), unknown products, the form service."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews import requests, submission
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from tests.support.reviews import (
    Submit,
    make_order,
    only_review,
    published,
    review_link,
    reviews_of,
)
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import Inbox, SMTPServer

CONFIRM = re.compile(r"http://testserver(/reviews/(?:confirm|edit)/\S+)")


def _link(mail: EmailMessage) -> str:
    found = CONFIRM.search(Inbox.text_of(mail))
    assert found is not None, Inbox.text_of(mail)
    return found.group(1)


def test_a_typed_email_never_overwrites_someone_elses_published_review(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    submit: Submit,
) -> None:
    runtime = smtp_runtime
    published(runtime, submit, rating=5, body="Vải mát, form đẹp, giao hàng nhanh.")
    smtp_server.inbox.wait_for(1)  # Lan is thanked for her published review
    # A competitor types Lan's e-mail with one star, a new text and a new name.
    hijack = submit(rating=1, body="Hàng dỏm, đừng mua.", name="Ai đó")
    # Answered as a first review is: the answer never tells that the address reviewed before.
    assert hijack.status_code == 202 and hijack.json() == {"id": None, "status": "received"}
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = only_review(runtime)
    assert (review.rating, review.author_name, review.status) == (5, "Lan", "published")
    assert reviews_of(client, shop.publishable_key)["reviews"][0]["body"].startswith("Vải mát")
    # Only Lan's mailbox gets the link that would apply it; it shows the edit and asks first.
    [_, mail] = smtp_server.inbox.wait_for(2)
    assert mail["To"] == "lan@example.com" and "Hàng dỏm" in Inbox.text_of(mail)
    link = _link(mail)
    assert link.startswith("/reviews/edit/")
    page = client.get(link)
    assert page.status_code == 200 and "Hàng dỏm" in page.text
    assert only_review(runtime).rating == 5  # a GET (a mail scanner) changes nothing
    assert client.post(link).status_code == 200
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = only_review(runtime)
    assert (review.rating, review.author_name, review.status) == (1, "Ai đó", "published")
    assert client.post(link).status_code == 410  # single use
    # A link signed for another purpose, or altered, is refused.
    assert client.post(link.replace("/edit/", "/confirm/")).status_code == 400
    assert client.post(link[:-2] + "xx").status_code == 400


def test_typing_a_buyers_email_does_not_make_a_verified_buyer(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    submit: Submit,
) -> None:
    runtime = smtp_runtime
    make_order(runtime, shop, "DH10", "lan@example.com", ["ao-thun"])
    published(runtime, submit)  # anyone could have typed lan@example.com
    shown = reviews_of(client, shop.publishable_key)["reviews"][0]
    assert shown["verified"] is False  # published at once, unverified
    mails = smtp_server.inbox.wait_for(2)  # the thank-you and the confirmation
    [link] = [_link(m) for m in mails if CONFIRM.search(Inbox.text_of(m))]
    assert all(m["To"] == "lan@example.com" for m in mails)  # the order's address
    assert client.post(link).status_code == 200
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert reviews_of(client, shop.publishable_key)["reviews"][0]["verified"] is True
    # A review of a product she never bought asks nothing and stays unverified.
    published(runtime, submit, product_id="ca-phe")
    assert reviews_of(client, shop.publishable_key, "ca-phe")["reviews"][0]["verified"] is False


def test_a_store_can_publish_only_confirmed_reviews(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    submit: Submit,
) -> None:
    runtime = smtp_runtime
    setting = client.patch(
        "/api/v1/store", headers=shop.auth, json={"unverified_reviews": "confirm"}
    )
    assert setting.status_code == 200 and setting.json()["unverified_reviews"] == "confirm"
    sent = submit()
    assert sent.json()["status"] == "confirmation_sent"
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert only_review(runtime).status == "unconfirmed"
    assert reviews_of(client, shop.publishable_key)["reviews"] == []
    [mail] = smtp_server.inbox.wait_for(1)
    assert client.post(_link(mail)).status_code == 200
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert only_review(runtime).status == "published"
    assert only_review(runtime).verified is False  # lan@ bought nothing here


def test_a_review_for_a_product_the_store_has_not_sent_creates_it(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    pk = shop.publishable_key
    assert reviews_of(client, pk, "san-pham-moi") == {
        "summary": {
            "average": None,
            "count": 0,
            "distribution": {str(n): 0 for n in range(1, 6)},
            "sentiment": {"positive": 0, "neutral": 0, "negative": 0, "unscored": 0},
        },
        "reviews": [],
        "next": None,
    }
    nameless = submit(product_id="san-pham-moi")
    assert nameless.status_code == 422 and nameless.json()["error"]["code"] == "unknown_product"
    named = submit(
        product_id="san-pham-moi",
        product_name="Sản phẩm mới",
        product_url="https://shop.example/p/san-pham-moi",
        product_image="https://cdn.example/img/moi.jpg",
        product_price="250000",
    )
    assert named.status_code == 202, named.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert reviews_of(client, pk, "san-pham-moi")["summary"]["count"] == 1
    product = client.get("/api/v1/products/san-pham-moi", headers=shop.auth)
    if product.status_code == 200:  # (the API reads products where it has the route)
        assert product.json()["name"] == "Sản phẩm mới"
    # A widget's attributes never rename a product the store has sent.
    submit(product_id="ao-thun", product_name="Tên giả", email="x@example.com")
    with runtime.transaction(readonly=True) as session:
        from rcommerce.orders.models import Product

        names = {p.product_id: p.name for p in session.exec(select(Product))}
    assert names["ao-thun"] == "Áo thun cotton" and names["san-pham-moi"] == "Sản phẩm mới"
    # A store that sends every product through its API turns that off.
    client.patch("/api/v1/store", headers=shop.auth, json={"products_from_api_only": True})
    refused = submit(product_id="khac", product_name="Khác", email="y@example.com")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "unknown_product"


def test_submit_request_form_is_a_service_without_http(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    runtime = smtp_runtime
    make_order(runtime, shop, "DH8", "vy@example.com", ["ca-phe"], customer_name="Vy")
    token = review_link(runtime, client, smtp_server, clock, shop, "DH8").rsplit("/", 1)[1]
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
    # The spent link edits the review it made; a widget claim of it is refused (LinkUsed).
    form, [again] = submit(submission.FormEntry(product_id="ca-phe", rating="5", body="Ngon."))
    assert again.id == review.id and again.rating == 5
    with runtime.transaction() as session, pytest.raises(requests.LinkUsed):
        requests.claim(
            session,
            runtime.settings,
            token,
            store=form.store,
            email="vy@example.com",
            product_id="ca-phe",
            now=runtime.now(),
        )
