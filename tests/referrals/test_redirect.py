"""The /r/ redirect: a signed rc_ref for people, none for bots, previews and HEAD requests;
unique visitors; QR codes."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce import signing
from rcommerce.referrals.models import Click
from rcommerce.runtime import Runtime
from tests.support.referrals import BROWSER, drain, enrol, follow
from tests.support.runtime import StoreKeys

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


def test_a_mistyped_link_lands_on_the_only_store_without_rc_ref(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    response = client.get("/r/NOPE999", headers={"User-Agent": BROWSER}, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "https://shop.example"  # no rc_ref: nobody credited
    assert drain(runtime) == 0
    # An API client asking for JSON still gets the JSON 404.
    api = client.get("/r/NOPE999", headers={"Accept": "application/json"}, follow_redirects=False)
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_a_mistyped_link_lands_on_the_store_of_the_code_it_nearly_is(
    client: TestClient, runtime: Runtime, make_store: Callable[..., StoreKeys]
) -> None:
    a = make_store(name="A", origins=("https://a.example",))
    make_store(name="B", origins=("https://b.example",))
    code = enrol(client, a)["referral_code"]
    wrong = "3" if code[2] != "3" else "4"
    for slip in (
        code[:2] + wrong + code[3:],  # a character wrong
        code[:-1],  # the last one missing
        code[1] + code[0] + code[2:],  # two swapped
        code + "7",  # one too many
    ):
        if slip == code:  # the first two characters were the same
            continue
        response = client.get(f"/r/{slip}", headers={"User-Agent": BROWSER}, follow_redirects=False)
        assert response.status_code == 302, slip
        assert response.headers["location"] == "https://a.example", slip
    assert drain(runtime) == 0
    # Nothing near it, and two stores: a small page for the person, never raw JSON.
    page = client.get("/r/ZZZZZZZZZ", headers={"User-Agent": BROWSER}, follow_redirects=False)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Liên kết giới thiệu này không đúng" in page.text and '"error"' not in page.text


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


def test_qr_codes(client: TestClient, store: StoreKeys) -> None:
    advocate = enrol(client, store)
    svg = client.get(f"/r/{advocate['referral_code']}/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content
    png = client.get(f"/r/{advocate['referral_code']}/qr.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get("/r/NOPE999/qr.svg").status_code == 404
