"""Submitting reviews: verified buyers, a second review by the same person, the form service."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from rcommerce.reviews import requests, submission
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from tests.support.reviews import Submit, make_order, only_review, review_link, reviews_of
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import SMTPServer


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


def test_the_same_person_again_edits_their_review(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    assert submit(rating=5).status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert submit(rating=3, body="Dùng một tháng thì bạc màu, tạm ổn.").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = only_review(runtime)
    assert review.rating == 3 and review.status == "published"
    page = reviews_of(client, shop.publishable_key)
    assert page["summary"]["count"] == 1 and page["summary"]["distribution"]["5"] == 0


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
    with pytest.raises(requests.LinkUsed):
        submit(entry)
