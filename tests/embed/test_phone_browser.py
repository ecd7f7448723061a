"""The review form and the referral widget in a real browser, typed a phone number in place of
an e-mail: the widget sends it as ``phone``, and the server keeps it in E.164."""

from __future__ import annotations

import pytest
from sqlmodel import select

from rcommerce.advocates.models import Advocate
from rcommerce.reviews.models import Review
from tests.support.widgets import Live, Shop, Tab, widget_page

pytestmark = pytest.mark.browser


def shadow_text(tab: Tab, selector: str) -> str:
    text: str = tab.page.locator(selector).first.evaluate("el => el.shadowRoot.textContent")
    return text


def wait_rendered(tab: Tab, selector: str) -> None:
    tab.page.wait_for_function(
        "s => [...document.querySelectorAll(s)].every(el => el.painted && !el.hasAttribute('aria-busy'))",
        arg=selector,
    )


def test_the_forms_take_a_phone_number_in_place_of_an_email(
    live: Live, shop: Shop, tab: Tab
) -> None:
    keys = live.store(origins=[shop.origin])
    live.campaign(keys)
    live.product(keys, "ao-thun", "Áo thun", 189000)
    shop.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        '<rc-referral></rc-referral><rc-review-form product="ao-thun"></rc-review-form>',
    )
    sent: list[dict[str, object]] = []
    tab.page.on(
        "request",
        lambda r: sent.append(r.post_data_json) if r.method == "POST" else None,
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-referral")
    box = tab.page.locator("rc-referral")
    box.get_by_label("E-mail hoặc số điện thoại của bạn").fill("0901 234 567")
    box.get_by_role("button", name="Lấy link giới thiệu").click()
    box.get_by_label("Link giới thiệu của bạn").wait_for()
    assert {"phone": "0901 234 567"} in sent
    with live.runtime.transaction(readonly=True) as session:
        advocate = session.exec(select(Advocate)).one()
    assert (advocate.email, advocate.phone) == (None, "+84901234567")

    form = tab.page.locator("rc-review-form")
    form.locator("label.star").nth(4).click()
    form.get_by_label("Nội dung đánh giá").fill("Vải mát, mặc rất thích.")
    form.get_by_label("Tên của bạn").fill("Lan")
    form.get_by_label("E-mail hoặc số điện thoại (không hiển thị công khai)").fill("84 90 12")
    form.get_by_label("Tôi đồng ý cho cửa hàng đăng đánh giá, tên và hình ảnh của tôi.").check()
    form.get_by_role("button", name="Gửi đánh giá").click()
    assert "E-mail hoặc số điện thoại chưa hợp lệ." in shadow_text(tab, "rc-review-form")
    form.get_by_label("E-mail hoặc số điện thoại (không hiển thị công khai)").fill(
        "+84 90 123 4567"
    )
    form.get_by_role("button", name="Gửi đánh giá").click()
    tab.page.wait_for_function(
        "() => document.querySelector('rc-review-form').shadowRoot.textContent.includes('Cảm ơn bạn!')"
    )
    [review] = [b for b in sent if "rating" in b]
    assert review["phone"] == "+84 90 123 4567" and "email" not in review
    with live.runtime.transaction(readonly=True) as session:
        stored = session.exec(select(Review)).one()
    assert (stored.email, stored.phone) == (None, "+84901234567")
    assert tab.errors == []
