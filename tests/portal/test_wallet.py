"""The portal's page once signed in: the copy button, share buttons for each device, the policy,
and the wallet (pending rewards with release dates, orders under review, ledger, coupon codes,
redeeming through the ledger, and a debt that blocks redeeming)."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.portal import share
from rcommerce.referrals.models import LedgerEntry, Redemption
from rcommerce.runtime import Runtime
from tests.support.portal import build_wallet, hidden_fields, sign_in
from tests.support.referrals import enrol
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import SMTPServer

PHONE = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def _attr(html: str, selector_class: str, attr: str) -> str:
    found = re.search(rf'<[^>]*class="[^"]*\b{selector_class}\b[^"]*"[^>]*\b{attr}="([^"]*)"', html)
    assert found is not None, f"no {selector_class} with {attr}"
    return unescape(found.group(1))


def test_copy_button_copies_the_link_and_every_share_link_is_a_button(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    advocate = enrol(client, store, email="copy@example.com")
    portal = sign_in(client, smtp_runtime, smtp_server, store, "copy@example.com")
    page = client.get(portal, headers={"User-Agent": DESKTOP})
    html = page.text
    assert "built-in method" not in html
    assert _attr(html, "copy", "data-copy") == advocate["referral_url"] + "?ch=copy"
    share = html[
        html.index('<div class="share"') : html.index("</div>", html.index('<div class="share"'))
    ]
    links = re.findall(r"<a [^>]*>", share)
    assert len(links) >= 5
    assert all('class="button ' in a for a in links), links
    # The page's policy: scripts and styles from our own origin only, none inline.
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "<style" not in html and " style=" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert client.get("/portal/static/portal.js").status_code == 200
    assert client.get("/portal/static/portal.css").status_code == 200


def test_share_buttons_fit_the_device(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    advocate = enrol(client, store, email="share@example.com")
    portal = sign_in(client, smtp_runtime, smtp_server, store, "share@example.com")
    link = advocate["referral_url"]
    phone = client.get(portal, headers={"User-Agent": PHONE}).text
    assert _attr(phone, "messenger", "href").startswith("fb-messenger://share/?link=")
    zalo = _attr(phone, "zalo", "href")
    assert zalo.startswith("https://sp.zalo.me/plugins/share?href=")
    assert "ch%3Dzalo" in zalo and link.replace(":", "%3A").replace("/", "%2F") in zalo
    desktop = client.get(portal, headers={"User-Agent": DESKTOP}).text
    assert "fb-messenger://" not in desktop  # an app link does nothing on a computer
    assert "messenger" not in re.findall(r'class="button (\w+)"', desktop)
    # The client hint wins over the user agent.
    hinted = client.get(portal, headers={"User-Agent": DESKTOP, "Sec-CH-UA-Mobile": "?1"}).text
    assert "fb-messenger://" in hinted


def test_desktop_messenger_uses_the_send_dialog_when_an_app_id_is_set() -> None:
    buttons = share.share_buttons(
        link="https://rc.example/r/MINH",
        text="Mua sắm",
        subject="Shop",
        phone=False,
        facebook_app_id="1234567890",
        back_to="https://rc.example/portal/pk/",
    )
    dialog = next(b.href for b in buttons if b.channel == "messenger")
    assert dialog.startswith("https://www.facebook.com/dialog/send?app_id=1234567890&link=")
    assert "ch%3Dmessenger" in dialog and "redirect_uri=https%3A%2F%2Frc.example%2Fportal" in dialog
    assert share.on_phone(PHONE) and not share.on_phone(DESKTOP)
    assert share.on_phone(DESKTOP, "?1") and not share.on_phone(PHONE, "?0")


def test_wallet_shows_pending_rewards_held_orders_and_redeems_once(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    clock: Clock,
    store: StoreKeys,
) -> None:
    advocate = build_wallet(client, smtp_runtime, clock, store, "vi@example.com")
    portal = sign_in(client, smtp_runtime, smtp_server, store, "vi@example.com")
    html = client.get(portal + "?lang=en").text
    pending = html[html.index('id="pending"') : html.index('id="under-review"')]
    assert "Released on" in pending and pending.count("<tr>") == 2  # header + the one on its way
    review = html[html.index('id="under-review"') : html.index('id="coupons"')]
    assert "under review" in review and review.count("<li>") == 1
    ledger = html[html.index('id="ledger"') :]
    assert "Reward earned" in ledger and "+50.000 ₫" in ledger

    form = hidden_fields(html, "/redeem")
    assert form["token"] and form["idempotency_key"].startswith("portal-")
    spent = client.post(portal + "redeem", data={**form, "amount": "30000"}, follow_redirects=False)
    assert spent.status_code == 303 and "notice=redeemed" in spent.headers["location"]
    again = client.post(portal + "redeem", data={**form, "amount": "30000"}, follow_redirects=False)
    assert "notice=redeemed" in again.headers["location"]  # the same form spends once
    after = client.get(spent.headers["location"]).text
    code = re.search(r"Your coupon code: (RC[A-Z0-9]+)", after)
    assert code is not None
    assert after.count(code.group(1)) >= 3  # the notice, the coupon list, the ledger line
    assert "Redeemed" in after and "−30.000 ₫" in after
    with smtp_runtime.transaction(readonly=True) as session:
        spends = session.exec(
            select(Redemption).where(Redemption.advocate_id == advocate["id"])
        ).all()
        assert [r.succeeded for r in spends] == [True]

    # More than the balance: refused, nothing spent.
    form = hidden_fields(after, "/redeem")
    too_much = client.post(portal + "redeem", data={**form, "amount": "90000"})
    assert "does not cover" in too_much.text
    # A form without this session's token (a cross-site post) spends nothing.
    forged = client.post(
        portal + "redeem",
        data={"idempotency_key": "evil-1", "amount": "1000", "token": "x"},
        follow_redirects=False,
    )
    assert forged.status_code == 303 and "notice" not in forged.headers["location"]
    with smtp_runtime.transaction(readonly=True) as session:
        succeeded = session.exec(
            select(Redemption).where(
                Redemption.advocate_id == advocate["id"],
                Redemption.succeeded == True,  # noqa: E712
            )
        ).all()
        assert len(succeeded) == 1


def test_a_debt_is_shown_and_blocks_redeeming(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    clock: Clock,
    store: StoreKeys,
) -> None:
    advocate = build_wallet(client, smtp_runtime, clock, store, "no@example.com")
    portal = sign_in(client, smtp_runtime, smtp_server, store, "no@example.com")
    form = hidden_fields(client.get(portal).text, "/redeem")
    client.post(portal + "redeem", data={**form, "amount": "50000"})
    refunded = client.post("/api/v1/orders/paid-1/refund", headers=store.auth)
    assert refunded.status_code == 200, refunded.text
    with smtp_runtime.transaction(readonly=True) as session:
        entries = session.exec(
            select(LedgerEntry).where(LedgerEntry.advocate_id == advocate["id"])
        ).all()
        assert sum(e.amount for e in entries) == Decimal(-50000)
    page = client.get(portal).text
    assert "Bạn đang nợ 50.000 ₫" in page and 'action="' + portal + 'redeem"' not in page
    assert "Thu hồi (đơn hàng bị hoàn trả)" in page
    refused = client.post(
        portal + "redeem", data={**form, "idempotency_key": "portal-later", "amount": "1000"}
    )
    assert "Bạn đang nợ nên chưa thể đổi thưởng" in refused.text
