"""The signed rc_ref: a tampered, foreign or stale token attributes nothing, but the order it
came with is always recorded, with the reason, and by its code or coupon when it has one."""

from __future__ import annotations

from collections.abc import Callable

from itsdangerous import URLSafeTimedSerializer
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce import signing
from rcommerce.orders.models import Order
from rcommerce.referrals.models import Conversion
from rcommerce.runtime import Runtime
from tests.support.referrals import enrol, follow, order, post_order
from tests.support.runtime import Clock, StoreKeys


def test_tampered_token_attributes_nothing_but_the_order_is_recorded(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    token = follow(client, advocate["referral_code"])
    payload = signing.unsign(runtime.settings, "referral", token)
    # Change the signature's first character: it carries six significant bits (the last one
    # may carry padding bits that decode to the same bytes).
    at = token.rindex(".") + 1
    flipped = token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1 :]
    forged = URLSafeTimedSerializer("an attacker's key" * 3, salt="rcommerce.referral").dumps(
        {**payload, "a": payload["a"] + 1}
    )
    for number, tampered in enumerate((flipped, forged, "not-a-token")):
        response = order(client, store, f"T{number}", referral_token=tampered)
        assert response.status_code == 201  # type: ignore[attr-defined]
        assert response.json() == {  # type: ignore[attr-defined]
            "order_id": f"T{number}",
            "attributed": False,
            "token_rejected": "token_invalid",
        }
        # Recorded: the store reads it back, with the reason; a retry gets the same answer.
        stored = client.get(f"/api/v1/orders/T{number}", headers=store.auth).json()
        assert stored["attribution"] == {"attributed": False, "token_rejected": "token_invalid"}
        again = order(client, store, f"T{number}", referral_token=tampered)
        assert again.status_code == 200 and again.json() == response.json()  # type: ignore[attr-defined]
    with runtime.transaction(readonly=True) as session:
        assert len(session.exec(select(Order)).all()) == 3
        assert session.exec(select(Conversion)).all() == []


def test_a_bad_token_leaves_attribution_to_the_code_or_coupon(
    client: TestClient, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    stale = follow(client, advocate["referral_code"])
    clock.advance(days=31)
    by_code = post_order(
        client, store, "K1", referral_token=stale, referral_code=advocate["referral_code"]
    )
    assert by_code["attributed"] and by_code["advocate_id"] == advocate["id"]
    assert by_code["token_rejected"] == "token_expired"
    by_coupon = post_order(
        client,
        store,
        "K2",
        email="second@example.com",
        referral_token="garbage.token",
        coupon_codes=[advocate["friend_coupon_code"]],
    )
    assert by_coupon["attributed"] and by_coupon["token_rejected"] == "token_invalid"
    stored = client.get("/api/v1/orders/K2", headers=store.auth).json()["attribution"]
    assert stored["attributed_by"] == "coupon" and stored["token_rejected"] == "token_invalid"


def test_another_stores_token_is_refused(
    client: TestClient, make_store: Callable[..., StoreKeys]
) -> None:
    a = make_store(name="A")
    b = make_store(name="B", origins=("https://b.example",))
    advocate = enrol(client, a)
    token = follow(client, advocate["referral_code"])
    response = order(client, b, "X1", referral_token=token)
    assert response.status_code == 201  # type: ignore[attr-defined]
    assert response.json()["token_rejected"] == "token_wrong_store"  # type: ignore[attr-defined]
    assert response.json()["attributed"] is False  # type: ignore[attr-defined]
    # Nor does A's code attribute B's order.
    by_code = order(client, b, "X2", referral_code=advocate["referral_code"])
    assert by_code.json()["attributed"] is False  # type: ignore[attr-defined]


def test_token_older_than_the_attribution_window_attributes_nothing(
    client: TestClient, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    token = follow(client, advocate["referral_code"])
    clock.advance(days=29)
    assert order(client, store, "E1", referral_token=token).status_code == 201  # type: ignore[attr-defined]
    clock.advance(days=2)
    response = order(client, store, "E2", referral_token=token, email="other@example.com")
    assert response.status_code == 201  # type: ignore[attr-defined]
    assert response.json() == {  # type: ignore[attr-defined]
        "order_id": "E2",
        "attributed": False,
        "token_rejected": "token_expired",
    }
