"""The signed rc_ref: a tampered, foreign or stale token is refused with a clear 400."""

from __future__ import annotations

from collections.abc import Callable

from itsdangerous import URLSafeTimedSerializer
from starlette.testclient import TestClient

from rcommerce import signing
from rcommerce.runtime import Runtime
from tests.support.referrals import enrol, follow, order
from tests.support.runtime import Clock, StoreKeys


def test_tampered_token_is_refused_and_nothing_recorded(
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
    for tampered in (flipped, forged):
        response = order(client, store, "T1", referral_token=tampered)
        assert response.status_code == 400  # type: ignore[attr-defined]
        assert response.json()["error"]["code"] == "token_invalid"  # type: ignore[attr-defined]
    garbage = order(client, store, "T1", referral_token="not-a-token")
    assert garbage.json()["error"]["code"] == "token_invalid"  # type: ignore[attr-defined]
    # Nothing was recorded: the store can send the order again without the token.
    clean = order(client, store, "T1")
    assert clean.status_code == 201 and clean.json() == {"order_id": "T1", "attributed": False}  # type: ignore[attr-defined]


def test_another_stores_token_is_refused(
    client: TestClient, make_store: Callable[..., StoreKeys]
) -> None:
    a = make_store(name="A")
    b = make_store(name="B", origins=("https://b.example",))
    advocate = enrol(client, a)
    token = follow(client, advocate["referral_code"])
    response = order(client, b, "X1", referral_token=token)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] == "token_wrong_store"  # type: ignore[attr-defined]
    # Nor does A's code attribute B's order.
    by_code = order(client, b, "X2", referral_code=advocate["referral_code"])
    assert by_code.json()["attributed"] is False  # type: ignore[attr-defined]


def test_token_older_than_the_attribution_window_is_refused(
    client: TestClient, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    token = follow(client, advocate["referral_code"])
    clock.advance(days=29)
    assert order(client, store, "E1", referral_token=token).status_code == 201  # type: ignore[attr-defined]
    clock.advance(days=2)
    response = order(client, store, "E2", referral_token=token, email="other@example.com")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] == "token_expired"  # type: ignore[attr-defined]
