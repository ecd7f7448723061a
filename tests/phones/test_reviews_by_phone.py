"""Widget reviews and testimonials typed with a phone: one review per phone per product, the
edit and the verified purchase proved only by a link sent to the phone (Zalo ZNS, then SMS),
and answers that never tell whether the phone had reviewed before."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.platform_apis import PlatformAPIs
from tests.support.reviews import ORIGIN, add_products, only_review, reviews_of
from tests.support.runtime import Clock, StoreKeys

SMS_LINK = re.compile(r"http://testserver(/reviews/(?:confirm|edit)/\S+)")


def _submit(client: TestClient, keys: StoreKeys, **fields: Any) -> Any:
    body: dict[str, Any] = {
        "product_id": "ao-thun",
        "rating": 5,
        "body": "Vải mát, form đẹp, giao hàng nhanh.",
        "name": "Lan",
        **fields,
    }
    return client.post(
        f"/embed/v1/{keys.publishable_key}/reviews", json=body, headers={"Origin": ORIGIN}
    )


def test_a_typed_phone_never_overwrites_that_phones_published_review(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs
) -> None:
    add_products(runtime, store)
    apis.zns_cta_param = "link"
    first = _submit(client, store, phone="0901 234 567")
    assert first.status_code == 202 and first.json() == {"id": None, "status": "received"}
    runtime.dispatcher.drain()
    assert only_review(runtime, phone="+84901234567").status == "published"
    assert apis.requests == []  # no order by the phone: nothing to confirm, nothing sent
    # Someone types the same number another way: answered exactly as a first review.
    hijack = _submit(client, store, phone="+84 90 123 4567", rating=1, body="Hàng dỏm.", name="X")
    assert hijack.status_code == 202 and hijack.json() == first.json()
    runtime.dispatcher.drain()
    review = only_review(runtime, phone="+84901234567")
    assert (review.rating, review.author_name) == (5, "Lan")
    assert reviews_of(client, store.publishable_key)["summary"]["count"] == 1
    # The link that would apply it went to the phone, by the ZNS confirmation template.
    assert apis.violations == []
    (call,) = apis.calls("/message/template")
    assert call.json["phone"] == "84901234567" and call.json["template_id"] == "301235"
    link = call.json["template_data"]["link"].removeprefix("http://testserver")
    assert link.startswith("/reviews/edit/")
    assert client.get(link).status_code == 200 and only_review(runtime).rating == 5
    assert client.post(link).status_code == 200
    runtime.dispatcher.drain()
    review = only_review(runtime, phone="+84901234567")
    assert (review.rating, review.author_name) == (1, "X")
    assert client.post(link).status_code == 410


def test_a_buyer_known_by_phone_is_verified_by_a_link_sent_to_the_orders_phone(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs
) -> None:
    add_products(runtime, store)
    placed = client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={
            "order_id": "DH1",
            "phone": "0912 345 678",
            "total": "250000",
            "currency": "VND",
            "items": [{"product_id": "ao-thun", "quantity": 1, "price": "250000"}],
        },
    )
    assert placed.status_code == 201, placed.text
    apis.zns_error = -118  # no Zalo account behind the number: the SMS carries the link
    sent = _submit(client, store, phone="84912345678")
    assert sent.status_code == 202 and sent.json() == {"id": None, "status": "received"}
    runtime.dispatcher.drain()
    assert reviews_of(client, store.publishable_key)["reviews"][0]["verified"] is False
    [sms] = [r.json for r in apis.calls("/sms/send")]
    assert sms["to"] == "84912345678"
    assert "/o/" not in sms["text"]  # asked for a moment ago: no opt-out link needed
    found = SMS_LINK.search(sms["text"])
    assert found is not None, sms["text"]
    assert client.post(found.group(1)).status_code == 200
    runtime.dispatcher.drain()
    assert reviews_of(client, store.publishable_key)["reviews"][0]["verified"] is True
    # The person's data by phone: the review, whatever way the number is typed.
    exported = client.post(
        "/api/v1/privacy/export", headers=store.auth, json={"phone": "+84 91 234 5678"}
    ).json()
    assert [r["phone"] for r in exported["reviews"]] == ["+84912345678"]


def test_reviews_and_testimonials_need_an_email_or_a_phone(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    add_products(runtime, store)
    assert _submit(client, store).status_code == 422
    assert _submit(client, store, phone="12345").status_code == 422
    assert _submit(client, store, email="lan@example.com").status_code == 202  # as before
    # A phone typed beside an e-mail proves nothing and is not kept.
    both = _submit(client, store, email="an@example.com", phone="0901234567", product_id="ca-phe")
    assert both.status_code == 202
    assert only_review(runtime, email="an@example.com").phone is None
    url = f"/embed/v1/{store.publishable_key}/testimonials"
    body = {"body": "Shop tư vấn rất nhiệt tình.", "name": "Hoa", "consent": True}
    assert client.post(url, json=body, headers={"Origin": ORIGIN}).status_code == 422
    by_phone = client.post(url, json={**body, "phone": "0987 654 321"}, headers={"Origin": ORIGIN})
    assert by_phone.status_code == 202, by_phone.text
    [listed] = client.get("/api/v1/testimonials", headers=store.auth).json()["testimonials"]
    assert (listed["email"], listed["phone"]) == (None, "+84987654321")
    exported = client.post(
        "/api/v1/privacy/export", headers=store.auth, json={"phone": "0987654321"}
    ).json()
    assert [t["body"] for t in exported["testimonials"]] == ["Shop tư vấn rất nhiệt tình."]
    erased = client.post("/api/v1/privacy/erase", headers=store.auth, json={"phone": "0987654321"})
    assert erased.json()["testimonials"] == 1


def test_a_widget_review_by_the_phone_a_review_link_was_sent_to_edits_that_review(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs, clock: Clock
) -> None:
    add_products(runtime, store)
    client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={
            "order_id": "DH2",
            "phone": "0912 345 678",
            "customer_name": "Hoa",
            "total": "1",
            "currency": "VND",
            "items": [{"product_id": "ao-thun"}],
        },
    )
    client.post("/api/v1/orders/DH2/fulfil", headers=store.auth)
    clock.advance(days=7, minutes=1)
    runtime.dispatcher.drain()
    (request,) = apis.calls("/message/template")
    link = urlsplit(request.json["template_data"]["review_url"]).path
    form = {"product-0": "ao-thun", "rating-0": "5", "body-0": "Vải đẹp.", "name": "Hoa"}
    assert client.post(link, data={**form, "website": ""}).status_code == 200
    runtime.dispatcher.drain()
    review = only_review(runtime, phone="+84912345678")
    assert (review.email, review.verified, review.body) == (None, True, "Vải đẹp.")
    # The same phone through the widget: the verified review stays, an edit link goes.
    apis.reset()
    apis.zns_cta_param = "link"
    sent = _submit(client, store, phone="84912345678", rating=2, body="Phai màu.")
    assert sent.json() == {"id": None, "status": "received"}
    runtime.dispatcher.drain()
    assert only_review(runtime).body == "Vải đẹp."
    (confirm,) = apis.calls("/message/template")
    assert confirm.json["template_data"]["link"].startswith("http://testserver/reviews/edit/")


def test_a_review_link_token_in_the_widget_is_claimed_by_the_phone_it_was_sent_to(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs, clock: Clock
) -> None:
    add_products(runtime, store)
    client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "DH3", "phone": "0912 345 678", "total": "1", "currency": "VND",
              "items": [{"product_id": "ao-thun"}]},
    )  # fmt: skip
    client.post("/api/v1/orders/DH3/fulfil", headers=store.auth)
    clock.advance(days=7, minutes=1)
    runtime.dispatcher.drain()
    (request,) = apis.calls("/message/template")
    token = urlsplit(request.json["template_data"]["review_url"]).path.rsplit("/", 1)[1]
    # Another number (or none) cannot spend it.
    wrong = _submit(client, store, phone="0987 654 321", token=token)
    assert wrong.status_code == 400
    claimed = _submit(client, store, phone="+84 91 234 5678", token=token)
    assert claimed.status_code == 202 and claimed.json()["id"] is not None
    runtime.dispatcher.drain()
    review = only_review(runtime)
    assert (review.phone, review.email, review.verified) == ("+84912345678", None, True)
