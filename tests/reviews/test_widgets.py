"""The widgets' embed API: rate limits, inert user text, one store's key against another's data."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.reviews import (
    ORIGIN,
    Submit,
    only_review,
    reviews_of,
)
from tests.support.runtime import StoreKeys


def test_html_and_script_payloads_stay_inert_text(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)> </script><!--'
    assert submit(body=f"Đẹp lắm {payload}", title=payload, name="<b>Lan</b>").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    stored = only_review(runtime)
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
    theirs = client.get(f"/embed/v1/{pk}/products/ao-thun/reviews", headers=headers)
    assert theirs.status_code == 200 and theirs.json()["reviews"] == []
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
