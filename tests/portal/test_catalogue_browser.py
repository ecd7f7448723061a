"""Spending points in Debian's chromium: an advocate with points picks a catalogue reward in
the portal and sees its coupon code and ledger line; two tabs racing (one double-clicked)
spend the points once.

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
from tests.support.widgets import Live, serve

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "portal"

pytestmark = pytest.mark.browser


def _advocate_with_points(live: Live, keys: Any, email: str, points: int) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {keys.secret_key}"}
    joined: dict[str, Any] = live.http.post(
        "/api/v1/advocates", headers=auth, json={"email": email, "name": "Minh"}
    ).json()
    with live.runtime.transaction() as session:
        session.add(
            LedgerEntry(
                store_id=keys.store_id,
                advocate_id=joined["id"],
                unit="points",
                kind="reward",
                amount=Decimal(points),
                created_at=live.runtime.now(),
            )
        )
    return joined


def _add_item(live: Live, keys: Any, **body: str) -> dict[str, Any]:
    answer = live.http.post(
        "/api/v1/catalogue", headers={"Authorization": f"Bearer {keys.secret_key}"}, json=body
    )
    assert answer.status_code == 201, answer.text
    item: dict[str, Any] = answer.json()
    return item


def _sign_in(page: Any, live: Live, smtp: SMTPServer, portal: str, email: str) -> None:
    before = len(smtp.inbox.messages)
    page.goto(portal)
    page.fill("input[name=email]", email)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    live.runtime.dispatcher.drain()  # type: ignore[attr-defined]
    links = [
        found.group(0)
        for message in smtp.inbox.wait_for(before + 1)[before:]
        if (found := re.search(r"http://\S+/portal/\S+/login/\S+", Inbox.text_of(message)))
    ]
    assert links, "no sign-in link was e-mailed"
    page.goto(links[-1])
    page.click("button[type=submit]")  # opening the link only shows this button
    page.wait_for_url(portal)


def test_advocate_spends_points_on_a_reward_and_racing_tabs_spend_once(
    tmp_path: Path, sqlite_template: Path, smtp_server: SMTPServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(tmp_path, sqlite_template, smtp_url=smtp_server.url) as live:
        keys = live.store(origins=["https://shop.example"], name="Cửa hàng Hoa Sen")
        _advocate_with_points(live, keys, "minh@example.com", 700)
        shipping = _add_item(
            live, keys, name="Miễn phí vận chuyển", points_cost="200", coupon_kind="free_shipping"
        )
        voucher = _add_item(
            live, keys, name="Phiếu 50.000 ₫", points_cost="400", coupon_kind="coupon_fixed",
            coupon_value="50000",
        )  # fmt: skip
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        portal = f"{live.base_url}/portal/{keys.publishable_key}/"
        _sign_in(page, live, smtp_server, portal, "minh@example.com")
        assert "Bạn có 700 điểm" in page.locator("#catalogue").inner_text()

        # One reward: its coupon code is shown, and the ledger line that spent the points.
        page.click(f"li[data-item='{shipping['id']}'] button[type=submit]")
        page.wait_for_selector("#notice")
        code = re.search(r"RC[A-Z0-9]{8}", page.locator("#notice").inner_text())
        assert code is not None
        assert code.group(0) in page.locator("#coupons").inner_text()
        assert "miễn phí vận chuyển" in page.locator("#coupons").inner_text()
        ledger = page.locator("#ledger").inner_text()
        assert "Đổi thưởng" in ledger and code.group(0) in ledger and "−200 Điểm" in ledger
        page.screenshot(path=str(ARTIFACTS / "4-points-redeemed.png"), full_page=True)

        # 500 points left: enough for one voucher of 400. Two tabs show its form; the first
        # is double-clicked, the second clicked at the same moment.
        first, second = page, context.new_page()
        second.goto(portal)
        first.goto(portal)
        button = f"li[data-item='{voucher['id']}'] button[type=submit]"
        first.dblclick(button, no_wait_after=True)
        second.click(button, no_wait_after=True)
        for tab in (first, second):
            tab.wait_for_selector("#notice")
        notices = sorted(tab.locator("#notice").inner_text() for tab in (first, second))
        assert any("Mã giảm giá của bạn" in n for n in notices), notices
        assert any("Bạn chưa đủ điểm cho phần quà này." in n for n in notices), notices
        first.goto(portal)
        assert re.search(r"100\s*Điểm", first.locator(".stats").inner_text())
        coupons = first.locator("#coupons").inner_text()
        assert len(set(re.findall(r"RC[A-Z0-9]{8}", coupons))) == 2  # shipping + one voucher
        spent = first.locator("#ledger").inner_text().count("−400 Điểm")
        assert spent == 1
        first.screenshot(path=str(ARTIFACTS / "5-points-raced.png"), full_page=True)
        assert problems == []
        context.close()
