"""<rc-points> in a real browser: an advocate asks for a link with their e-mail, follows the link
e-mailed to a real SMTP server back to the shop's page, and spends points on a catalogue item;
two tabs racing spend the points once."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rcommerce.mail import SMTPMailer
from rcommerce.referrals import ledger
from rcommerce.referrals.models import LedgerEntry
from tests.support.smtp import Inbox, SMTPServer
from tests.support.widgets import Shop, Tab, serve, widget_page

pytestmark = pytest.mark.browser


def _painted(page: Any) -> None:
    page.wait_for_function(
        "() => { const el = document.querySelector('rc-points');"
        " return el && el.painted && !el.hasAttribute('aria-busy'); }"
    )


def test_an_advocate_spends_points_from_the_widget_once(
    tmp_path: Path,
    sqlite_template: Path,
    shop: Shop,
    tab: Tab,
    browser: Any,
    smtp_server: SMTPServer,
) -> None:
    with serve(tmp_path, sqlite_template) as live:
        live.runtime.mailer = SMTPMailer(smtp_server.url, live.settings.mail_from)
        keys = live.store(origins=[shop.origin])
        live.campaign(keys)
        joined = live.http.post(
            "/api/v1/advocates", headers=keys.auth, json={"email": "mai@example.com", "name": "Mai"}
        )
        advocate_id = joined.json()["id"]
        item = live.http.post(
            "/api/v1/catalogue",
            headers=keys.auth,
            json={"name": "Giảm 50.000 ₫", "points_cost": "500", "coupon_kind": "coupon_fixed",
                  "coupon_value": "50000"},
        )  # fmt: skip
        assert item.status_code == 201, item.text
        with live.runtime.transaction() as session:
            session.add(
                LedgerEntry(store_id=keys.store_id, advocate_id=advocate_id, unit="points",
                            kind="reward", amount=Decimal(700), created_at=live.runtime.now())
            )  # fmt: skip
        live.runtime.dispatcher.drain()  # type: ignore[attr-defined]  (the welcome e-mail)
        shop.pages["/diem"] = widget_page(
            live.base_url, keys.publishable_key, "<rc-points></rc-points>"
        )
        page = tab.page
        page.goto(shop.origin + "/diem?tab=1")
        _painted(page)
        widget = page.locator("rc-points")
        widget.get_by_label("E-mail của bạn").fill("mai@example.com")
        before = len(smtp_server.inbox.messages)
        widget.get_by_role("button", name="Gửi liên kết cho tôi").click()
        widget.get_by_text("liên kết đang được gửi").wait_for()
        live.runtime.dispatcher.drain()  # type: ignore[attr-defined]
        sent = smtp_server.inbox.wait_for(before + 1)[before:]
        links = [
            found.group(0)
            for m in sent
            if (found := re.search(re.escape(shop.origin) + r"/diem\?\S+", Inbox.text_of(m)))
        ]
        assert links, [Inbox.text_of(m) for m in sent]
        assert "tab=1" in links[0] and "rc_points=" in links[0]
        # The link brings the advocate back, signed in; the token leaves the address bar.
        page.goto(links[0])
        _painted(page)
        widget.get_by_text("Bạn có 700 điểm").wait_for()
        assert "rc_points" not in page.url and page.url.endswith("/diem?tab=1")
        # A second tab of the same session (the token is kept for this tab only: it follows
        # the link again) races the first.
        other = page.context.new_page()
        other.goto(links[0])
        _painted(other)
        buttons = [p.locator("rc-points").get_by_role("button", name="Đổi") for p in (page, other)]
        for button in buttons:
            button.wait_for()
        for button in buttons:
            button.click(no_wait_after=True)
        widget.locator(".code").or_(widget.get_by_text("Không đủ điểm.")).first.wait_for()
        other.locator("rc-points").locator(".code").or_(
            other.locator("rc-points").get_by_text("Không đủ điểm.")
        ).first.wait_for()
        codes = [p.locator("rc-points").locator(".code").all_text_contents() for p in (page, other)]
        assert sum(len(c) for c in codes) == 1, codes
        with live.runtime.transaction(readonly=True) as session:
            assert ledger.balance(session, advocate_id, "points") == Decimal("200.00")
        won = next(p for p, c in zip((page, other), codes, strict=True) if c)
        won.locator("rc-points").get_by_text("Bạn có 200 điểm").wait_for()
        assert codes[0 if won is page else 1][0].startswith("RC")
        assert tab.errors == [] and tab.dialogs == []
