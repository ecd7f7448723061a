"""The advocate portal in Debian's chromium: sign in with the e-mailed magic link, copy the link
(the clipboard holds it), redeem the balance, see the coupon code and the ledger line.

Screenshots are saved under test-artifacts/portal/.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rcommerce.referrals.models import LedgerEntry
from tests.support.smtp import Inbox, SMTPServer
from tests.support.widgets import serve

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "portal"

pytestmark = pytest.mark.browser


def test_advocate_signs_in_copies_the_link_and_redeems(
    tmp_path: Path, sqlite_template: Path, smtp_server: SMTPServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(tmp_path, sqlite_template, smtp_url=smtp_server.url) as live:
        keys = live.store(origins=["https://shop.example"], name="Cửa hàng Hoa Sen")
        joined = live.http.post(
            "/api/v1/advocates",
            headers={"Authorization": f"Bearer {keys.secret_key}"},
            json={"email": "minh@example.com", "name": "Minh"},
        ).json()
        with live.runtime.transaction() as session:
            session.add(
                LedgerEntry(
                    store_id=keys.store_id,
                    advocate_id=joined["id"],
                    kind="reward",
                    amount=Decimal(80_000),
                    created_at=live.runtime.now(),
                )
            )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="vi-VN",
            permissions=["clipboard-read", "clipboard-write"],
        )
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))

        portal = f"{live.base_url}/portal/{keys.publishable_key}/"
        page.goto(portal)
        page.fill("input[name=email]", "minh@example.com")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        live.runtime.dispatcher.drain()  # type: ignore[attr-defined]
        links = [
            found.group(0)
            for message in smtp_server.inbox.wait_for(2)
            if (found := re.search(r"http://\S+/portal/\S+/login/\S+", Inbox.text_of(message)))
        ]
        assert links, "no sign-in link was e-mailed"
        page.goto(links[-1])
        page.click("button[type=submit]")  # opening the link only shows this button
        page.wait_for_url(portal)
        page.screenshot(path=str(ARTIFACTS / "1-portal.png"), full_page=True)

        copy = page.locator("button.copy")
        copy.click()
        page.wait_for_function(
            "document.querySelector('button.copy').textContent === 'Đã sao chép'"
        )
        assert (
            page.evaluate("navigator.clipboard.readText()") == joined["referral_url"] + "?ch=copy"
        )
        for share in page.locator(".share a").all():  # every share link looks like a button
            look = share.evaluate(
                "a => { const s = getComputedStyle(a); return [s.display, s.paddingTop, s.borderRadius, s.textDecorationLine]; }"
            )
            # (a flex item's inline-flex computes to flex)
            assert look[0] in ("flex", "inline-flex") and look[1] != "0px", look
            assert look[2] != "0px", look
            assert look[3] == "none", look

        page.click("#wallet button[type=submit]")  # the whole balance, as the form offers
        page.wait_for_selector("#notice")
        notice = page.locator("#notice").inner_text()
        code = re.search(r"RC[A-Z0-9]{8}", notice)
        assert code is not None, notice
        assert code.group(0) in page.locator("#coupons").inner_text()
        ledger = page.locator("#ledger").inner_text()
        assert "Đổi thưởng" in ledger and code.group(0) in ledger and "80.000" in ledger
        assert "Bạn chưa có số dư để đổi." in page.locator("#wallet").inner_text()
        page.screenshot(path=str(ARTIFACTS / "2-redeemed.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(ARTIFACTS / "3-phone.png"), full_page=True)
        assert problems == []  # no policy violation, no script error
        context.close()
