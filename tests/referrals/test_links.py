"""Signed links and trustworthy clicks: tampering, other stores, expiry, bots, HEAD, replays."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce import signing
from rcommerce.referrals.models import Click, Conversion
from rcommerce.runtime import Runtime
from tests.support.referrals import BROWSER, drain, enrol, follow
from tests.support.runtime import Clock, StoreKeys

PREVIEWERS = [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Facebot",
    "Mozilla/5.0 (compatible; Zalo-Link-Crawler/1.0; +https://zalo.me)",
    "WhatsApp/2.23.20.0 A",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "TelegramBot (like TwitterBot)",
    "curl/8.5.0",
    "",
]
PEOPLE = [
    BROWSER,  # Zalo's in-app browser
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/456.0.0.37.107;FBBV/0;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBCR/;FBID/phone;FBLC/vi_VN;FBOP/5]",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0 Mobile Safari/537.36 [FB_IAB/Orca-Android;FBAV/452.0.0.46.115;]",
]


def order(client: TestClient, store: StoreKeys, order_id: str, **extra: object) -> object:
    return client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={
            "order_id": order_id,
            "email": "friend@example.com",
            "total": "300000",
            "currency": "VND",
            **extra,
        },
    )


def test_redirect_lands_on_the_store_with_a_signed_token(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    response = client.get(
        f"/r/{advocate['referral_code'].lower()}?ch=facebook",
        headers={"User-Agent": BROWSER},
        follow_redirects=False,
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}" == "https://shop.example"
    token = parse_qs(location.query)["rc_ref"][0]
    payload = signing.unsign(runtime.settings, "referral", token)
    assert payload["s"] == store.store_id and payload["a"] == advocate["id"]
    assert response.headers["cache-control"] == "no-store"
    drain(runtime)
    with runtime.transaction(readonly=True) as session:
        click = session.exec(select(Click)).one()
    assert click.id == payload["k"] and click.channel == "facebook"
    assert click.ip_hash and "testclient" not in click.ip_hash  # only a keyed hash is kept


def test_unknown_code_is_a_clear_404(client: TestClient, store: StoreKeys) -> None:
    response = client.get("/r/NOPE999", headers={"User-Agent": BROWSER}, follow_redirects=False)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("user_agent", PREVIEWERS)
def test_previewers_and_bots_land_but_are_not_counted(
    client: TestClient, runtime: Runtime, store: StoreKeys, user_agent: str
) -> None:
    advocate = enrol(client, store)
    response = client.get(
        f"/r/{advocate['referral_code']}",
        headers={"User-Agent": user_agent},
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert "rc_ref" not in response.headers["location"]
    assert drain(runtime) == 0


def test_people_in_in_app_browsers_are_counted(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    for user_agent in PEOPLE:
        follow(client, advocate["referral_code"], "messenger", ua=user_agent)
    assert drain(runtime) == len(PEOPLE)


def test_head_request_is_not_a_click(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    response = client.head(
        f"/r/{advocate['referral_code']}", headers={"User-Agent": BROWSER}, follow_redirects=False
    )
    assert response.status_code == 302
    assert "rc_ref" not in response.headers["location"]
    assert drain(runtime) == 0


def test_repeat_visits_within_an_hour_count_once_as_unique(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    for _ in range(3):
        follow(client, advocate["referral_code"], "zalo")
    follow(client, advocate["referral_code"], "zalo", ua=PEOPLE[2])  # another device
    drain(runtime)
    detail = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()
    assert detail["clicks"] == 4 and detail["unique_clicks"] == 2


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


def test_replayed_order_counts_once(client: TestClient, runtime: Runtime, store: StoreKeys) -> None:
    advocate = enrol(client, store)
    token = follow(client, advocate["referral_code"])
    first = order(client, store, "R1", referral_token=token)
    assert first.status_code == 201  # type: ignore[attr-defined]
    for _ in range(3):
        again = order(client, store, "R1", referral_token=token)
        assert again.status_code == 200  # type: ignore[attr-defined]
        assert again.json() == first.json()  # type: ignore[attr-defined]
    with runtime.transaction(readonly=True) as session:
        assert len(session.exec(select(Conversion)).all()) == 1


def test_blocked_advocate_link_lands_without_referral(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    blocked = client.patch(
        f"/api/v1/advocates/{advocate['id']}", headers=store.auth, json={"status": "blocked"}
    )
    assert blocked.status_code == 200
    response = client.get(
        f"/r/{advocate['referral_code']}", headers={"User-Agent": BROWSER}, follow_redirects=False
    )
    assert response.status_code == 302 and "rc_ref" not in response.headers["location"]
    assert drain(runtime) == 0


def test_qr_codes(client: TestClient, store: StoreKeys) -> None:
    advocate = enrol(client, store)
    svg = client.get(f"/r/{advocate['referral_code']}/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content
    png = client.get(f"/r/{advocate['referral_code']}/qr.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get("/r/NOPE999/qr.svg").status_code == 404
