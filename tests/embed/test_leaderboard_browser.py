"""<rc-leaderboard> in a real browser: the module is fetched from the app on another origin and
renders the store's top advocates as text (given name and family initial, tier, count)."""

from __future__ import annotations

import pytest

from tests.support.runtime import StoreKeys
from tests.support.widgets import Live, Shop, Tab, widget_page

pytestmark = pytest.mark.browser


def _advocate(live: Live, keys: StoreKeys, email: str, name: str, buyers: int) -> None:
    answer = live.http.post(
        "/api/v1/advocates", headers=keys.auth, json={"email": email, "name": name}
    )
    assert answer.status_code in (200, 201), answer.text
    code = answer.json()["referral_code"]
    for i in range(buyers):
        order = live.http.post(
            "/api/v1/orders",
            headers=keys.auth,
            json={
                "order_id": f"{code}-{i}",
                "email": f"{code.lower()}-{i}@buyer.example",
                "total": "300000",
                "currency": "VND",
                "referral_code": code,
            },
        )
        assert order.status_code in (200, 201), order.text


def test_the_leaderboard_renders_names_as_text(live: Live, shop: Shop, tab: Tab) -> None:
    keys = live.store(origins=[shop.origin])
    live.campaign(keys)
    on = live.http.patch("/api/v1/store", headers=keys.auth, json={"leaderboard_enabled": True})
    assert on.status_code == 200, on.text
    _advocate(live, keys, "mai@example.com", "Nguyễn Thị Mai", 2)
    _advocate(live, keys, "x@example.com", "<img src=x onerror=alert(1)> Carter", 1)
    shop.pages["/"] = widget_page(
        live.base_url, keys.publishable_key, '<rc-leaderboard period="all"></rc-leaderboard>'
    )
    tab.page.goto(shop.origin + "/")
    tab.page.wait_for_function(
        "() => { const el = document.querySelector('rc-leaderboard');"
        " return el.painted && !el.hasAttribute('aria-busy') && el.shadowRoot.querySelector('li'); }"
    )
    board = tab.page.locator("rc-leaderboard")
    items = board.locator("li")
    assert items.count() == 2
    first = items.nth(0).text_content() or ""
    second = items.nth(1).text_content() or ""
    assert "Mai N." in first and "2 người mua" in first
    assert "<img C." in second and "1 người mua" in second  # the markup typed as a name is text
    text: str = board.evaluate("el => el.shadowRoot.textContent")
    assert "Người giới thiệu hàng đầu" in text
    assert "@" not in text and "Nguyễn" not in text
    assert board.evaluate("el => el.shadowRoot.querySelectorAll('img').length") == 0
    assert tab.errors == [] and tab.dialogs == []
