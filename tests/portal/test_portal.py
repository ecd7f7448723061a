"""Advocate portal: magic link by e-mail (real SMTP), single use, expiry, other stores."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.runtime import StoreKeys
from tests.support.smtp import Inbox, SMTPServer


def magic_link(smtp_server: SMTPServer, count: int) -> str:
    message = smtp_server.inbox.wait_for(count)[-1]
    found = re.search(r"http://testserver(/portal/\S+/login/\S+)", Inbox.text_of(message))
    assert found is not None
    return found.group(1)


def test_magic_link_signs_in_once(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    advocate = client.post(
        "/api/v1/advocates", headers=store.auth, json={"email": "mai@example.com", "name": "Mai"}
    ).json()
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    welcome = smtp_server.inbox.wait_for(1)[0]
    assert "Chào mừng" in str(welcome["Subject"])  # the store's locale is Vietnamese
    assert advocate["referral_url"] in Inbox.text_of(welcome)
    assert welcome["List-Unsubscribe"]

    portal = f"/portal/{store.publishable_key}/"
    assert "Đăng nhập" in client.get(portal).text
    sent = client.post(portal + "login", data={"email": "mai@example.com"})
    assert sent.status_code == 200
    unknown = client.post(portal + "login", data={"email": "nobody@example.com"})
    assert unknown.text.count("liên kết đăng nhập đã được gửi") == sent.text.count(
        "liên kết đăng nhập đã được gửi"
    )  # the page does not reveal who is enrolled
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    link = magic_link(smtp_server, 2)
    assert len(smtp_server.inbox.messages) == 2  # nothing was sent for the unknown address

    assert client.get(link).status_code == 200  # a mail scanner opening it spends nothing
    signed_in = client.post(link, follow_redirects=False)
    assert signed_in.status_code == 303
    page = client.get(portal + "?lang=en")
    assert page.status_code == 200
    assert advocate["referral_code"] in page.text and "Referred orders" in page.text
    assert "facebook.com/sharer" in page.text and "wa.me" in page.text
    assert f"/r/{advocate['referral_code']}/qr.svg" in page.text

    client.cookies.clear()
    replay = client.post(link, follow_redirects=False)
    assert replay.status_code == 400  # single use
    assert advocate["referral_code"] not in client.get(portal).text


def test_magic_link_of_another_store_and_tampered_cookie(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    make_store: Callable[..., StoreKeys],
) -> None:
    a = make_store(name="A")
    b = make_store(name="B", origins=("https://b.example",))
    client.post("/api/v1/advocates", headers=a.auth, json={"email": "x@example.com"})
    client.post(f"/portal/{a.publishable_key}/login", data={"email": "x@example.com"})
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    link = magic_link(smtp_server, 2)
    token = link.rsplit("/", 1)[1]
    wrong = client.post(f"/portal/{b.publishable_key}/login/{token}", follow_redirects=False)
    assert wrong.status_code == 400
    client.cookies.set("rc_portal", "forged.value.here", path=f"/portal/{a.publishable_key}/")
    assert "Đăng nhập" in client.get(f"/portal/{a.publishable_key}/").text


def test_unsubscribe_link_stops_programme_emails(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    client.post("/api/v1/advocates", headers=store.auth, json={"email": "u@example.com"})
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    text = Inbox.text_of(smtp_server.inbox.wait_for(1)[0])
    found = re.search(r"http://testserver(/portal/\S+/unsubscribe/\S+)", text)
    assert found is not None
    assert client.get(found.group(1)).status_code == 200
    done = client.post(found.group(1))
    assert done.status_code == 200
    detail = client.get("/api/v1/advocates?search=u@example.com", headers=store.auth).json()
    export = client.get(
        f"/api/v1/advocates/{detail['advocates'][0]['id']}/export", headers=store.auth
    ).json()
    assert export["advocate"]["emails_opted_out_at"] is not None
