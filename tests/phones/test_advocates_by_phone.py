"""Advocates known by phone: one advocate however the number is typed, self-referral by phone,
the welcome by SMS with its opt-out link, and the portal's sign-in link by Zalo ZNS."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from rcommerce.referrals import tasks
from rcommerce.runtime import Runtime
from tests.support.dashboard import csrf_of
from tests.support.platform_apis import PlatformAPIs
from tests.support.referrals import post_order
from tests.support.runtime import Clock, StoreKeys

SHOP = {"Origin": "https://shop.example"}


def test_one_advocate_however_the_phone_is_typed(client: TestClient, store: StoreKeys) -> None:
    first = client.post(
        "/api/v1/advocates", headers=store.auth, json={"phone": "0901 234 567", "name": "Lan"}
    )
    assert first.status_code == 201, first.text
    advocate_id = first.json()["id"]
    for typed in ("+84 90 123 4567", "84901234567"):
        again = client.post("/api/v1/advocates", headers=store.auth, json={"phone": typed})
        assert (again.status_code, again.json()["id"]) == (200, advocate_id)
    joined = client.post(
        f"/embed/v1/{store.publishable_key}/advocates",
        headers=SHOP,
        json={"phone": "090 123 45 67"},
    )
    assert joined.status_code == 200
    assert joined.json()["referral_code"] == first.json()["referral_code"]
    shown = client.get(f"/api/v1/advocates/{advocate_id}", headers=store.auth).json()
    assert (shown["email"], shown["phone"]) == (None, "+84901234567")
    # An e-mail given beside the phone is added to the same advocate.
    both = client.post(
        "/api/v1/advocates",
        headers=store.auth,
        json={"email": "lan@example.com", "phone": "0901234567"},
    )
    assert (both.status_code, both.json()["id"]) == (200, advocate_id)
    by_email = client.post(
        "/api/v1/advocates", headers=store.auth, json={"email": "LAN@example.com", "name": "x"}
    )
    assert (by_email.status_code, by_email.json()["id"]) == (200, advocate_id)
    # The fixed contract: {email, name} alone enrols as before.
    other = client.post(
        "/api/v1/advocates", headers=store.auth, json={"email": "mai@example.com", "name": "Mai"}
    )
    assert other.status_code == 201
    assert (
        client.get(f"/api/v1/advocates/{other.json()['id']}", headers=store.auth).json()["phone"]
        is None
    )


def test_the_widget_never_ties_a_typed_phone_to_a_typed_email(
    client: TestClient, store: StoreKeys
) -> None:
    """Nothing proves a widget's pair: keeping it would let anyone tie someone else's number
    to their own mailbox, and so to its sign-in links."""
    url = f"/embed/v1/{store.publishable_key}/advocates"
    lan = client.post(
        "/api/v1/advocates", headers=store.auth, json={"phone": "0901 234 567", "name": "Lan"}
    ).json()
    squat = client.post(
        url, headers=SHOP, json={"email": "attacker@example.com", "phone": "0901234567"}
    )
    assert squat.status_code == 201
    assert squat.json()["referral_code"] != lan["referral_code"]
    shown = client.get(f"/api/v1/advocates/{lan['id']}", headers=store.auth).json()
    assert (shown["email"], shown["phone"]) == (None, "+84901234567")
    listed = client.get(
        "/api/v1/advocates", headers=store.auth, params={"search": "attacker"}
    ).json()
    assert [(a["email"], a["phone"]) for a in listed["advocates"]] == [
        ("attacker@example.com", None)
    ]
    # A new number typed beside an e-mail is not kept either: the number joins on its own.
    client.post(url, headers=SHOP, json={"email": "x@example.com", "phone": "0987 654 321"})
    alone = client.post(url, headers=SHOP, json={"phone": "0987654321"})
    assert alone.status_code == 201


def test_bad_or_missing_phone_is_a_clear_error(client: TestClient, store: StoreKeys) -> None:
    for body in ({"phone": "12"}, {"name": "nobody"}, {"phone": "0901 234 567 999 999"}):
        answer = client.post("/api/v1/advocates", headers=store.auth, json=body)
        assert answer.status_code == 422, body
        widget = client.post(
            f"/embed/v1/{store.publishable_key}/advocates", headers=SHOP, json=body
        )
        assert widget.status_code == 422


def test_an_order_by_the_advocates_own_phone_is_self_referral(
    client: TestClient, store: StoreKeys
) -> None:
    advocate = client.post(
        "/api/v1/advocates", headers=store.auth, json={"phone": "0912 345 678", "name": "An"}
    ).json()
    held = post_order(
        client,
        store,
        "P1",
        email=None,
        phone="+84 91 234 5678",
        referral_code=advocate["referral_code"],
    )
    assert held["conversion_status"] == "held"
    assert "self_referral_phone" in held["reasons"]
    friend = post_order(
        client,
        store,
        "P2",
        email=None,
        phone="0987 654 321",
        referral_code=advocate["referral_code"],
    )
    assert friend["conversion_status"] == "pending"
    assert friend.get("reasons", []) == []


def _sms_to(apis: PlatformAPIs, number: str) -> list[str]:
    return [r.json["text"] for r in apis.calls("/sms/send") if r.json["to"] == number]


def test_welcome_goes_by_sms_with_an_opt_out_link_that_stops_review_requests(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs, clock: Clock
) -> None:
    advocate = client.post(
        "/api/v1/advocates", headers=store.auth, json={"phone": "0901 234 567", "name": "Lan"}
    ).json()
    runtime.dispatcher.drain()
    # No ZNS welcome template is registered: the welcome goes by SMS.
    assert not apis.calls("/message/template")
    (text,) = _sms_to(apis, "84901234567")
    assert advocate["referral_url"] in text and "Lan" in text
    found = re.search(r"http://testserver(/o/\S+)", text)
    assert found, text
    opt_out = found.group(1)
    # Opening the link (a link previewer does) only asks.
    asked = client.get(opt_out)
    assert asked.status_code == 200 and "<form" in asked.text
    assert "4567" in asked.text and "0901234567" not in asked.text
    exported = client.post(
        "/api/v1/privacy/export", headers=store.auth, json={"phone": "0901234567"}
    ).json()
    assert exported["phone_opt_outs"] == []
    assert client.post(opt_out).status_code == 200
    exported = client.post(
        "/api/v1/privacy/export", headers=store.auth, json={"phone": "+84901234567"}
    ).json()
    assert [o["phone"] for o in exported["phone_opt_outs"]] == ["+84901234567"]
    assert exported["advocates"][0]["advocate"]["phone"] == "+84901234567"
    assert client.get(opt_out[:-3] + "xyz").status_code == 400

    # An order by that phone, fulfilled: no review request goes to it, on any channel.
    apis.reset()
    placed = client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "Z1", "phone": "84901234567", "total": "100000", "currency": "VND"},
    )
    assert placed.status_code == 201
    assert client.post("/api/v1/orders/Z1/fulfil", headers=store.auth).status_code == 202
    clock.advance(days=30)
    runtime.dispatcher.drain()
    assert apis.requests == []
    order = client.get("/api/v1/orders/Z1", headers=store.auth).json()
    assert order["review_request"] is None
    # Another phone still gets its request, with the opt-out link in the SMS.
    client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "Z2", "phone": "0987654321", "total": "1", "currency": "VND"},
    )
    apis.zns_error = -118  # no Zalo account: the SMS goes
    client.post("/api/v1/orders/Z2/fulfil", headers=store.auth)
    clock.advance(days=30)
    runtime.dispatcher.drain()
    (request_text,) = _sms_to(apis, "84987654321")
    assert "/o/" in request_text and "/reviews/" in request_text

    # Erasing the person removes the opt-out with the rest.
    erased = client.post(
        "/api/v1/privacy/erase", headers=store.auth, json={"phone": "0901 234 567"}
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["phone_opt_outs"] == 1
    exported = client.post(
        "/api/v1/privacy/export", headers=store.auth, json={"phone": "0901234567"}
    ).json()
    assert exported["phone_opt_outs"] == [] and exported["advocates"] == []


def test_portal_sign_in_link_goes_to_the_phone_by_zns(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs
) -> None:
    client.post("/api/v1/advocates", headers=store.auth, json={"phone": "0901 234 567"})
    runtime.dispatcher.drain()
    apis.reset()
    apis.zns_cta_param = "link"
    portal = f"/portal/{store.publishable_key}/"
    page = client.get(portal)
    sent = client.post(
        portal + "login", data={"email": "+84 90 123 4567", "csrf": csrf_of(page.text)}
    )
    assert sent.status_code == 200
    unknown = client.post(
        portal + "login", data={"email": "0987 000 111", "csrf": csrf_of(page.text)}
    )
    assert unknown.text.count("liên kết đăng nhập đã được gửi") == 1
    runtime.dispatcher.drain()
    assert apis.violations == []
    (call,) = apis.calls("/message/template")
    assert call.json["template_id"] == "301234" and call.json["phone"] == "84901234567"
    assert not apis.calls("/sms/send")
    link = call.json["template_data"]["link"]
    path = link.removeprefix("http://testserver")
    confirm = client.get(path)
    assert confirm.status_code == 200
    signed_in = client.post(path, data={"csrf": csrf_of(confirm.text)}, follow_redirects=False)
    assert signed_in.status_code == 303
    assert client.get(portal).status_code == 200
    assert "/r/" in client.get(portal).text
    again = client.post(path, data={"csrf": csrf_of(confirm.text)}, follow_redirects=False)
    assert again.status_code >= 400  # single use


def test_reward_news_goes_to_a_phone_only_advocate_unless_the_phone_opted_out(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs, clock: Clock
) -> None:
    lan = client.post(
        "/api/v1/advocates", headers=store.auth, json={"phone": "0901 234 567", "name": "Lan"}
    ).json()
    mai = client.post(
        "/api/v1/advocates", headers=store.auth, json={"phone": "0912 345 678", "name": "Mai"}
    ).json()
    runtime.dispatcher.drain()
    (welcome,) = _sms_to(apis, "84912345678")
    opt_out = re.search(r"http://testserver(/o/\S+)", welcome)
    assert opt_out is not None
    assert client.post(opt_out.group(1)).status_code == 200
    apis.reset()
    for order_id, advocate in (("F1", lan), ("F2", mai)):
        placed = post_order(
            client,
            store,
            order_id,
            email=f"{order_id.lower()}@example.com",
            referral_code=advocate["referral_code"],
        )
        assert placed["conversion_status"] == "pending"
    clock.advance(days=30)
    tasks.approve_rewards(runtime)
    runtime.dispatcher.drain()
    (news,) = _sms_to(apis, "84901234567")
    assert "Lan" in news and "/portal/" in news and "/o/" in news
    assert _sms_to(apis, "84912345678") == []  # Mai's phone opted out
    detail = client.get(f"/api/v1/advocates/{mai['id']}", headers=store.auth).json()
    assert detail["rewards"][0]["status"] == "issued"  # the reward itself is not affected
