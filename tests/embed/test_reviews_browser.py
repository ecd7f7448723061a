"""Review widgets on a real shop, in Debian's chromium: products the server has not seen yet,
phone-sized photos, the photo lightbox, store reviews and the site-wide badge, and a widget
that cannot load (a wrong key) staying out of sight."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image
from sqlmodel import select

from rcommerce.orders.models import Product
from rcommerce.reviews.models import Review, ReviewPhoto
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


def fill_form(form: object, *, body: str, name: str, email: str) -> None:
    form.locator("label.star").nth(4).click()  # type: ignore[attr-defined]
    form.get_by_label("Nội dung đánh giá").fill(body)  # type: ignore[attr-defined]
    form.get_by_label("Tên của bạn").fill(name)  # type: ignore[attr-defined]
    form.get_by_label("E-mail hoặc số điện thoại (không hiển thị công khai)").fill(email)  # type: ignore[attr-defined]
    form.get_by_label(  # type: ignore[attr-defined]
        "Tôi đồng ý cho cửa hàng đăng đánh giá, tên và hình ảnh của tôi."
    ).check()


def test_an_unknown_product_shows_the_empty_state_and_takes_the_first_review(
    live: Live, shop: Shop, tab: Tab
) -> None:
    keys = live.store(origins=[shop.origin])
    attrs = 'product="san-pham-moi" name="Áo khoác gió mới" price="350000"'
    shop.pages["/p/san-pham-moi"] = widget_page(
        live.base_url,
        keys.publishable_key,
        f'<rc-stars product="san-pham-moi"></rc-stars><rc-reviews product="san-pham-moi"></rc-reviews>'
        f"<rc-review-form {attrs}></rc-review-form>",
    )
    tab.page.goto(shop.origin + "/p/san-pham-moi")
    wait_rendered(tab, "rc-stars, rc-reviews, rc-review-form")
    assert "Chưa có đánh giá — hãy là người đầu tiên" in shadow_text(tab, "rc-reviews")
    assert "Chưa có đánh giá" in shadow_text(tab, "rc-stars")
    assert "Không tải được" not in shadow_text(tab, "rc-reviews")
    form = tab.page.locator("rc-review-form")
    fill_form(
        form,
        body="Áo khoác nhẹ, chống gió tốt, đi xe máy buổi sáng rất ổn.",
        name="Trần Bảo Ngọc",
        email="ngoc.tran@example.com",
    )
    form.get_by_role("button", name="Gửi đánh giá").click()
    tab.page.wait_for_function(
        "() => document.querySelector('rc-review-form').shadowRoot.textContent.includes('Cảm ơn bạn!')"
    )
    live.runtime.dispatcher.drain()
    with live.runtime.transaction(readonly=True) as session:
        product = session.exec(select(Product).where(Product.product_id == "san-pham-moi")).one()
        review = session.exec(select(Review)).one()
    assert product.name == "Áo khoác gió mới" and product.price == 350000
    assert product.url == shop.origin + "/p/san-pham-moi"  # the page it was written on
    assert review.status == "published" and review.product_id == "san-pham-moi"
    read = live.http.get(
        f"/embed/v1/{keys.publishable_key}/products/san-pham-moi/reviews",
        headers={"Origin": shop.origin},
    )
    assert read.json()["summary"]["count"] == 1, read.text
    # The next shopper sees it (the widgets' reads are cached in a browser for 30 seconds).
    context = tab.page.context.browser.new_context(locale="vi-VN")
    try:
        later = Tab(context.new_page(), [], [])
        later.page.goto(shop.origin + "/p/san-pham-moi")
        wait_rendered(later, "rc-stars, rc-reviews")
        assert "Trần Bảo Ngọc" in shadow_text(later, "rc-reviews")
        assert "(1 đánh giá)" in shadow_text(later, "rc-stars")
    finally:
        context.close()
    assert tab.errors == []


def _phone_photo(path: str) -> int:
    """A 12 MB JPEG, like a phone's: 4000 x 3000 of noise at high quality."""
    noise = Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3))
    out = io.BytesIO()
    noise.save(out, format="JPEG", quality=97)
    data = out.getvalue()
    assert len(data) > 12_000_000, len(data)
    with open(path, "wb") as handle:
        handle.write(data)
    return len(data)


def test_a_twelve_megabyte_photo_is_resized_then_uploaded_and_opens_in_a_lightbox(
    live: Live, shop: Shop, tab: Tab, tmp_path: object
) -> None:
    keys = live.store(origins=[shop.origin])
    live.product(keys, "ao-thun", "Áo thun", 189000)
    big = f"{tmp_path}/IMG_2041.jpg"
    _phone_photo(big)
    small = f"{tmp_path}/small.png"
    Image.new("RGB", (300, 200), (20, 120, 200)).save(small)
    shop.pages["/"] = widget_page(
        live.base_url, keys.publishable_key, '<rc-review-form product="ao-thun"></rc-review-form>'
    )
    uploads: list[int] = []
    tab.page.on(
        "request",
        lambda r: (
            uploads.append(len(r.post_data_buffer or b""))
            if r.method == "POST" and r.url.endswith("/photos")
            else None
        ),
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-review-form")
    form = tab.page.locator("rc-review-form")
    form.get_by_label("Hình ảnh (không bắt buộc, tối đa 5)").set_input_files([big, small])
    tab.page.wait_for_function(
        "() => document.querySelector('rc-review-form').shadowRoot.querySelector('rc-photo-picker').shadowRoot.querySelectorAll('img').length === 2",
        timeout=30_000,
    )
    tab.shot("rc-review-form", "review-form-photos")
    fill_form(form, body="Áo đẹp, ảnh thật đây.", name="Lan", email="lan@example.com")
    form.get_by_role("button", name="Gửi đánh giá").click()
    tab.page.wait_for_function(
        "() => document.querySelector('rc-review-form').shadowRoot.textContent.includes('Cảm ơn bạn!')",
        timeout=30_000,
    )
    assert len(uploads) == 2 and max(uploads) < 5_000_000  # shrunk before it left the phone
    live.runtime.dispatcher.drain()
    with live.runtime.transaction(readonly=True) as session:
        review = session.exec(select(Review)).one()
        stored = session.exec(select(ReviewPhoto)).all()
    assert review.status == "published" and review.photo_count == 2
    assert max(p.width for p in stored) == 2048 and {p.review_id for p in stored} == {review.id}

    # The photos open in a dialog on the page, not in a new tab.
    shop.pages["/list"] = widget_page(
        live.base_url, keys.publishable_key, '<rc-reviews product="ao-thun"></rc-reviews>'
    )
    tab.page.goto(shop.origin + "/list")
    wait_rendered(tab, "rc-reviews")
    pages_before = len(tab.page.context.pages)
    tab.page.locator("rc-reviews").locator(".photos a").first.click()
    dialog = tab.page.locator("rc-lightbox").locator("dialog")
    dialog.wait_for()
    assert dialog.evaluate("d => d.open") and len(tab.page.context.pages) == pages_before
    assert "1 / 2" in tab.page.locator("rc-lightbox").evaluate("e => e.shadowRoot.textContent")
    tab.shot("rc-lightbox dialog", "lightbox")
    tab.page.keyboard.press("Escape")
    tab.page.wait_for_function("() => !document.querySelector('rc-lightbox')")
    assert tab.errors == []


def test_store_reviews_and_the_site_wide_badge_render(live: Live, shop: Shop, tab: Tab) -> None:
    keys = live.store(origins=[shop.origin], name="Tiệm Áo Nhà Mây")
    for rating, name, email in ((5, "Hà", "ha@example.com"), (4, "Minh", "minh@example.com")):
        live.review(
            keys,
            "",
            rating=rating,
            body="Shop tư vấn nhiệt tình, giao hàng nhanh, đóng gói cẩn thận.",
            name=name,
            email=email,
        )
    shop.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        '<rc-store-badge floating href="/reviews"></rc-store-badge><rc-store-reviews></rc-store-reviews>',
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-store-badge, rc-store-reviews")
    badge = tab.page.locator("rc-store-badge")
    assert "4,5" in shadow_text(tab, "rc-store-badge") and "(2 đánh giá)" in shadow_text(
        tab, "rc-store-badge"
    )
    assert badge.get_by_role("link").get_attribute("href") == f"{shop.origin}/reviews"
    assert "Khách hàng nói gì về Tiệm Áo Nhà Mây" in shadow_text(tab, "rc-store-reviews")
    inner = tab.page.locator("rc-store-reviews").locator("rc-reviews")
    inner.locator("li.review").first.wait_for()
    assert inner.locator("li.review").count() == 2
    tab.shot("rc-store-badge", "store-badge")
    tab.shot("rc-store-reviews", "store-reviews")
    # The form in it reviews the store itself.
    form = tab.page.locator("rc-store-reviews").locator("rc-review-form")
    fill_form(form, body="Lần thứ ba mua ở đây, vẫn hài lòng.", name="Vy", email="vy@example.com")
    form.get_by_role("button", name="Gửi đánh giá").click()
    tab.page.wait_for_function(
        "() => document.querySelector('rc-store-reviews').shadowRoot.querySelector('rc-review-form').shadowRoot.textContent.includes('Cảm ơn bạn!')"
    )
    with live.runtime.transaction(readonly=True) as session:
        mine = session.exec(select(Review).where(Review.email == "vy@example.com")).one()
    assert mine.product_id == ""
    assert tab.errors == []


def test_a_wrong_key_renders_nothing_and_says_why_once(live: Live, shop: Shop, tab: Tab) -> None:
    console: list[str] = []
    tab.page.on("console", lambda m: console.append(m.text) if "rcommerce" in m.text else None)
    shop.pages["/"] = widget_page(
        live.base_url,
        "pk_live_not_a_key",
        '<rc-stars product="a"></rc-stars><rc-stars product="b"></rc-stars><rc-reviews product="a"></rc-reviews>',
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-stars, rc-reviews")
    assert tab.page.evaluate(
        "() => [...document.querySelectorAll('rc-stars, rc-reviews')].every(e => e.hidden && !e.shadowRoot.querySelector('.wrap').textContent)"
    )
    tab.page.wait_for_timeout(500)
    assert len(console) == 1 and "pk_live_not_a_key" in console[0], console
    assert tab.errors == []


def test_a_refusal_reaches_the_shopper_in_the_widgets_language(
    live: Live, shop: Shop, tab: Tab
) -> None:
    keys = live.store(origins=[shop.origin])
    setting = live.http.patch(
        "/api/v1/store", headers=keys.auth, json={"products_from_api_only": True}
    )
    assert setting.status_code == 200
    shop.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        '<rc-review-form product="chua-co" name="Chưa có"></rc-review-form>'
        '<rc-review-form id="en" lang="en" product="chua-co" name="Not yet"></rc-review-form>',
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-review-form")
    form = tab.page.locator("rc-review-form").first
    fill_form(form, body="Muốn đánh giá sản phẩm này.", name="Lan", email="lan@example.com")
    form.get_by_role("button", name="Gửi đánh giá").click()
    tab.page.wait_for_function(
        "() => document.querySelector('rc-review-form').shadowRoot.textContent.includes('Sản phẩm này chưa nhận đánh giá tại đây.')"
    )
    assert "No product" not in shadow_text(tab, "rc-review-form")  # the server's English
    english = tab.page.locator("#en")
    english.locator("label.star").nth(4).click()
    english.get_by_label("Your review").fill("I would like to review this.")
    english.get_by_label("Your name").fill("Emily")
    english.get_by_label("E-mail or phone (never published)").fill("emily@example.com")
    english.get_by_label(
        "I agree that my review, name and photo are published on this shop."
    ).check()
    english.get_by_role("button", name="Submit review").click()
    tab.page.wait_for_function(
        "() => document.querySelector('#en').shadowRoot.textContent.includes('This product cannot be reviewed here yet.')"
    )
    assert tab.errors == []


def test_a_video_is_picked_with_a_photo_and_plays_in_the_lightbox(
    live: Live, shop: Shop, tab: Tab, tmp_path: object
) -> None:
    from rcommerce.reviews.models import ReviewVideo
    from tests.reviews.test_videos import mp4

    keys = live.store(origins=[shop.origin])
    live.product(keys, "ao-thun", "Áo thun", 189000)
    small = f"{tmp_path}/small.png"
    Image.new("RGB", (300, 200), (20, 120, 200)).save(small)
    clip = f"{tmp_path}/clip.mp4"
    with open(clip, "wb") as handle:
        handle.write(mp4(12))
    shop.pages["/"] = widget_page(
        live.base_url, keys.publishable_key, '<rc-review-form product="ao-thun"></rc-review-form>'
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-review-form")
    form = tab.page.locator("rc-review-form")
    form.get_by_label("Hình ảnh (không bắt buộc, tối đa 5)").set_input_files([small, clip])
    tab.page.wait_for_function(
        "() => document.querySelector('rc-review-form').shadowRoot.querySelector('rc-photo-picker').shadowRoot.querySelectorAll('img, video').length === 2",
        timeout=30_000,
    )
    picker = "document.querySelector('rc-review-form').shadowRoot.querySelector('rc-photo-picker')"
    assert "một video" in tab.page.evaluate(f"() => {picker}.shadowRoot.textContent")
    assert "video/mp4" in tab.page.evaluate(f"() => {picker}.previousElementSibling.accept")
    fill_form(form, body="Áo đẹp, có cả video thử áo.", name="Lan", email="lan@example.com")
    form.get_by_role("button", name="Gửi đánh giá").click()
    tab.page.wait_for_function(
        "() => document.querySelector('rc-review-form').shadowRoot.textContent.includes('Cảm ơn bạn!')",
        timeout=30_000,
    )
    live.runtime.dispatcher.drain()
    with live.runtime.transaction(readonly=True) as session:
        review = session.exec(select(Review)).one()
        video = session.exec(select(ReviewVideo)).one()
    assert review.status == "published" and review.photo_count == 1
    assert video.review_id == review.id and review.video_id == video.id

    # The list shows the play tile after the photo; the lightbox plays the video.
    shop.pages["/list"] = widget_page(
        live.base_url, keys.publishable_key, '<rc-reviews product="ao-thun"></rc-reviews>'
    )
    tab.page.goto(shop.origin + "/list")
    wait_rendered(tab, "rc-reviews")
    tab.page.locator("rc-reviews").locator(".photos a").nth(1).click()
    player = tab.page.locator("rc-lightbox").locator("video")
    player.wait_for()
    assert player.get_attribute("src") == f"{live.base_url}/media/review-videos/{video.id}.mp4"
    assert player.get_attribute("preload") == "none" and player.get_attribute("controls") == ""
    tab.page.keyboard.press("Escape")
    tab.page.wait_for_function("() => !document.querySelector('rc-lightbox')")
    assert tab.errors == []
