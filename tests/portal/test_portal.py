"""Advocate portal: magic link by e-mail (real SMTP), single use, expiry, other stores; its
forms' tokens, its sessions ended on the server, its Content-Security-Policy, and a logout
that writes only known values into its headers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from httpx import Response
from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.dashboard import csrf_of
from tests.support.runtime import StoreKeys
from tests.support.smtp import Inbox, SMTPServer


def send_form(client: TestClient, page: str, action: str, **data: str) -> Response:
    """Open ``page`` (which sets the form token's cookie) and send its form to ``action``."""
    opened = client.get(page)
    return client.post(action, data={**data, "csrf": csrf_of(opened.text)}, follow_redirects=False)


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
    sent = send_form(client, portal, portal + "login", email="mai@example.com")
    assert sent.status_code == 200
    unknown = send_form(client, portal, portal + "login", email="nobody@example.com")
    assert unknown.text.count("liên kết đăng nhập đã được gửi") == sent.text.count(
        "liên kết đăng nhập đã được gửi"
    )  # the page does not reveal who is enrolled
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    link = magic_link(smtp_server, 2)
    assert len(smtp_server.inbox.messages) == 2  # nothing was sent for the unknown address

    assert client.get(link).status_code == 200  # a mail scanner opening it spends nothing
    signed_in = send_form(client, link, link)
    assert signed_in.status_code == 303
    page = client.get(portal + "?lang=en")
    assert page.status_code == 200
    assert advocate["referral_code"] in page.text and "Referred orders" in page.text
    assert "facebook.com/sharer" in page.text and "wa.me" in page.text
    assert f"/r/{advocate['referral_code']}/qr.svg" in page.text

    client.cookies.clear()
    replay = send_form(client, link, link)
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
    portal_a = f"/portal/{a.publishable_key}/"
    send_form(client, portal_a, portal_a + "login", email="x@example.com")
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    link = magic_link(smtp_server, 2)
    token = link.rsplit("/", 1)[1]
    other = f"/portal/{b.publishable_key}/login/{token}"
    wrong = send_form(client, other, other)
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


def _signed_in(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> str:
    """Enrol an advocate and sign them in with a magic link; the portal's path."""
    client.post("/api/v1/advocates", headers=store.auth, json={"email": "mai@example.com"})
    portal = f"/portal/{store.publishable_key}/"
    send_form(client, portal, portal + "login", email="mai@example.com")
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    link = magic_link(smtp_server, 2)
    assert send_form(client, link, link).status_code == 303
    return portal


def test_signing_out_ends_the_session_for_a_copied_cookie(
    client: TestClient,
    app: Any,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    store: StoreKeys,
) -> None:
    portal = _signed_in(client, smtp_runtime, smtp_server, store)
    stolen = client.cookies.get("rc_portal")
    assert stolen
    copy = TestClient(app, base_url="http://testserver")
    copy.cookies.set("rc_portal", stolen, path=portal)
    assert "Đăng xuất" in copy.get(portal).text
    out = send_form(client, portal, portal + "logout")
    assert out.status_code == 303 and out.headers["location"] == portal
    assert "Đăng xuất" not in copy.get(portal).text  # the copy is signed out too
    assert "Đăng xuất" not in client.get(portal).text


def test_forms_from_another_site_are_refused(
    client: TestClient,
    app: Any,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    store: StoreKeys,
) -> None:
    portal = _signed_in(client, smtp_runtime, smtp_server, store)
    sent_before = len(smtp_server.inbox.messages)
    # A page elsewhere posting to us: the browser sends no token (nor, SameSite, the cookie).
    for action, data in (
        (portal + "login", {"email": "mai@example.com"}),
        (portal + "logout", {}),
        (portal + "login", {"email": "mai@example.com", "csrf": "guessed"}),
    ):
        refused = client.post(action, data=data, follow_redirects=False)
        assert refused.status_code == 403, action
        assert "hết hạn" in refused.text
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(smtp_server.inbox.messages) == sent_before  # no sign-in link was sent
    assert "Đăng xuất" in client.get(portal).text  # still signed in
    # A magic link posted by another site (login CSRF) spends nothing and signs no one in.
    stranger = TestClient(app, base_url="http://testserver")
    send_form(stranger, portal, portal + "login", email="mai@example.com")
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    link = magic_link(smtp_server, sent_before + 1)
    forced = stranger.post(link, data={}, follow_redirects=False)
    assert forced.status_code == 403
    assert send_form(stranger, link, link).status_code == 303  # the link still works


def test_pages_carry_a_strict_content_security_policy(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    portal = _signed_in(client, smtp_runtime, smtp_server, store)
    page = client.get(portal)
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # Nothing inline to allow: one stylesheet and one script of our own.
    assert re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page.text) is None
    assert "<style" not in page.text and " style=" not in page.text
    assert '<script src="/portal/static/' in page.text


def test_logout_writes_no_header_from_the_path(client: TestClient, store: StoreKeys) -> None:
    """The key in the path used to be copied into Set-Cookie and Location: a crafted one could
    add cookie attributes, and a control character gave a 500."""
    for key in (
        "pk_x;%20Domain=evil.example;%20Path=",
        "pk_x%0d%0aSet-Cookie:%20a=b",
        "pk_live_x%09y",
        "%E1%BA%BF",
        "pk_live_unknown",
    ):
        response = client.post(f"/portal/{key}/logout", follow_redirects=False)
        assert response.status_code in (400, 404), (key, response.status_code)
        assert "set-cookie" not in response.headers and "location" not in response.headers
        assert response.json()["error"]["code"] in ("not_found", "bad_request")
