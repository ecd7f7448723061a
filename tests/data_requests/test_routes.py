"""One person's data across every part of the product: ``POST /api/v1/privacy/export`` and
``/api/v1/privacy/erase`` for a buyer known by phone in one place and by e-mail in others."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.advocates.models import Advocate
from rcommerce.customers.models import CustomerSegment
from rcommerce.data_requests.models import PersonExport
from rcommerce.referrals.models import Click
from rcommerce.runtime import Runtime
from tests.data_requests.conftest import BOTH, EMAIL, PHONE, lan_everywhere
from tests.support.platform_apis import PlatformAPIs
from tests.support.reviews import ORIGIN, add_products, reviews_of
from tests.support.runtime import Clock, StoreKeys

ERASED_NOTHING = {
    "orders": 0,
    "phone_opt_outs": 0,
    "advocates": 0,
    "reviews": 0,
    "testimonials": 0,
    "review_requests": 0,
    "questions": 0,
    "answers": 0,
    "answer_invitations": 0,
    "connector_coupons": 0,
    "customer_segments": 0,
}


def put_in_segment(runtime: Runtime, keys: StoreKeys, customer: str) -> None:
    """A membership as the segments job writes it."""
    with runtime.transaction() as session:
        session.add(
            CustomerSegment(
                store_id=keys.store_id,
                customer=customer,
                segment="routine",
                reason={"rule": "orders", "orders": 3},
            )
        )


def widget(client: TestClient, keys: StoreKeys, path: str) -> Any:
    response = client.get(f"/embed/v1/{keys.publishable_key}/{path}", headers={"Origin": ORIGIN})
    assert response.status_code == 200, response.text
    return response.json()


def test_one_request_exports_a_person_known_by_phone_and_by_email_everywhere(
    client: TestClient, lan: None, store: StoreKeys, other_store: StoreKeys
) -> None:
    response = client.post("/api/v1/privacy/export", headers=store.auth, json=BOTH)
    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["email"], data["phone"]) == (EMAIL, PHONE)
    assert list(data) == list(PersonExport.model_fields)  # every part's sections, declared
    [order] = data["orders"]
    assert (order["order_id"], order["phone"], order["email"]) == ("DH-PHONE", PHONE, None)
    assert order["customer_name"] == "Trần Thị Lan"
    assert [i["product_id"] for i in order["items"]] == ["ao-thun"]
    [advocate] = data["advocates"]
    assert advocate["advocate"]["email"] == EMAIL and advocate["advocate"]["referral_code"]
    assert advocate["clicks"] == {"total": 1, "unique": 1, "by_channel": {"zalo": 1}}
    assert advocate["rewards"] == [] and advocate["ledger"] == []
    assert [r["body"] for r in data["reviews"]] == ["Vải mát, form đẹp, giao hàng nhanh."]
    assert [q["body"] for q in data["questions"]] == ["Lan hỏi: áo này giặt máy được không?"]
    [request] = data["review_requests"]
    assert (request["phone"], request["email"], request["channel"]) == (PHONE, None, "zns")
    assert [(a["channel"], a["ok"]) for a in request["attempts"]] == [("zns", True)]
    assert data["testimonials"] == [] and data["answers"] == []
    assert [(o["phone"], o["source"]) for o in data["phone_opt_outs"]] == [(PHONE, "link")]
    # Nothing of Hoa, nor of Lan in the other store (whose rows carry other ids).
    text = response.text
    assert "hoa@example.com" not in text and "Hoa hỏi" not in text
    mine = client.post("/api/v1/privacy/export", headers=other_store.auth, json=BOTH).json()
    assert {r["id"] for r in mine["reviews"]}.isdisjoint(r["id"] for r in data["reviews"])
    # The export covers what each part's own endpoint answers.
    orders_part = client.post("/api/v1/orders/privacy/export", headers=store.auth, json=BOTH)
    assert orders_part.json()["orders"] == data["orders"]
    reviews_part = client.post("/api/v1/reviews/privacy/export", headers=store.auth, json=BOTH)
    assert reviews_part.json()["reviews"] == data["reviews"]
    # By phone alone: the phone's order (Lan's e-mail rows are not the phone's).
    by_phone = client.post("/api/v1/privacy/export", headers=store.auth, json={"phone": PHONE})
    assert [o["order_id"] for o in by_phone.json()["orders"]] == ["DH-PHONE"]
    assert len(by_phone.json()["review_requests"]) == 1
    assert by_phone.json()["reviews"] == [] and by_phone.json()["advocates"] == []


def test_one_erasure_forgets_the_person_everywhere_once_and_only_in_this_store(
    client: TestClient, runtime: Runtime, lan: None, store: StoreKeys, other_store: StoreKeys
) -> None:
    # Cached widget reads that show her review and question.
    assert widget(client, store, "products/ao-thun/reviews")["summary"]["count"] == 2
    assert len(widget(client, store, "products/tai-nghe/questions")["questions"]) == 2
    put_in_segment(runtime, store, PHONE)
    put_in_segment(runtime, other_store, PHONE)
    exported = client.post("/api/v1/privacy/export", headers=store.auth, json=BOTH).json()
    assert [(s["segment"], s["reason"]) for s in exported["customer_segments"]] == [
        ("routine", {"rule": "orders", "orders": 3})
    ]
    before_other = client.post("/api/v1/privacy/export", headers=other_store.auth, json=BOTH)
    assert len(before_other.json()["customer_segments"]) == 1

    erased = client.post("/api/v1/privacy/erase", headers=store.auth, json=BOTH)
    assert erased.status_code == 200, erased.text
    assert erased.json() == {
        **ERASED_NOTHING,
        "orders": 1,
        "phone_opt_outs": 1,
        "advocates": 1,
        "reviews": 1,
        "review_requests": 1,
        "questions": 1,
        "customer_segments": 1,
    }

    left = client.post("/api/v1/privacy/export", headers=store.auth, json=BOTH).json()
    for section in ERASED_NOTHING:
        assert left[section] == [], section
    # The order stays for the accounts, without its buyer.
    order = client.get("/api/v1/orders/DH-PHONE", headers=store.auth).json()
    assert (order["phone"], order["email"], order["customer_name"]) == (None, None, "")
    assert order["total"] == "189000.00"
    with runtime.transaction(readonly=True) as session:
        advocates = session.exec(select(Advocate).where(Advocate.store_id == store.store_id))
        [advocate] = advocates.all()
        assert advocate.status == "erased" and EMAIL not in advocate.email
        click = session.exec(select(Click).where(Click.store_id == store.store_id)).one()
        assert click.user_agent is None and click.ip_hash is None
    # The widgets no longer show her, though their reads were cached; Hoa's stay.
    reviews = reviews_of(client, store.publishable_key)
    assert reviews["summary"]["count"] == 1
    assert [r["author"] for r in reviews["reviews"]] == ["Hoa"]
    questions = widget(client, store, "products/tai-nghe/questions")["questions"]
    assert [q["body"] for q in questions] == ["Hoa hỏi: áo này giặt máy được không?"]

    # Asking again erases nothing, and says so.
    again = client.post("/api/v1/privacy/erase", headers=store.auth, json=BOTH)
    assert again.status_code == 200 and again.json() == ERASED_NOTHING
    # The other store's Lan, same e-mail and phone, is untouched.
    after_other = client.post("/api/v1/privacy/export", headers=other_store.auth, json=BOTH)
    assert after_other.json() == before_other.json()
    assert len(after_other.json()["reviews"]) == 1 and len(after_other.json()["advocates"]) == 1


def test_a_stores_key_never_reaches_another_stores_person(
    client: TestClient,
    runtime: Runtime,
    store: StoreKeys,
    other_store: StoreKeys,
    clock: Clock,
    apis: PlatformAPIs,
) -> None:
    lan_everywhere(client, runtime, other_store, clock)
    add_products(runtime, store)
    nothing = client.post("/api/v1/privacy/export", headers=store.auth, json=BOTH)
    assert nothing.status_code == 200
    assert all(nothing.json()[section] == [] for section in ERASED_NOTHING)
    erased = client.post("/api/v1/privacy/erase", headers=store.auth, json=BOTH)
    assert erased.json() == ERASED_NOTHING
    theirs = client.post("/api/v1/privacy/export", headers=other_store.auth, json=BOTH).json()
    assert [len(theirs[s]) for s in ("orders", "advocates", "reviews", "questions")] == [1, 1, 1, 1]
    for path in ("/api/v1/privacy/export", "/api/v1/privacy/erase"):
        anonymous = client.post(path, json=BOTH)
        assert anonymous.status_code == 401 and anonymous.json()["error"]["code"]
        forged = client.post(path, json=BOTH, headers={"Authorization": "Bearer sk_live_nope"})
        assert forged.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"email": None, "phone": None}, "body"),
        ({"phone": "12"}, "phone"),
        ({"phone": "0912 345 678\x00"}, "phone"),
        ({"email": "lan\x00@example.com"}, "email"),
        ({"email": "not an address"}, "email"),
        ({"email": EMAIL, "name": "Lan"}, "name"),
    ],
)
def test_bad_requests_are_refused_with_a_json_error(
    client: TestClient, store: StoreKeys, body: dict[str, Any], field: str
) -> None:
    for path in ("/api/v1/privacy/export", "/api/v1/privacy/erase"):
        response = client.post(path, headers=store.auth, json=body)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid" and error["message"]
        assert any(f["field"].startswith(field) for f in error["fields"]), error


def test_a_body_that_is_not_json_is_refused(client: TestClient, store: StoreKeys) -> None:
    response = client.post(
        "/api/v1/privacy/erase", headers={**store.auth, "Content-Type": "text/plain"}, content="x"
    )
    assert response.status_code == 415 and response.json()["error"]["code"]
    broken = client.post(
        "/api/v1/privacy/export",
        headers={**store.auth, "Content-Type": "application/json"},
        content=b"{",
    )
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_json"
