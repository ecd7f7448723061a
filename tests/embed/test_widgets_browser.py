"""The widgets in a real browser: a plain HTML shop on one loopback origin embeds the script
from the app on another, exactly as a shop on Haravan or Shopify would."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import select

from tests.support.runtime import StoreKeys
from tests.support.widgets import ARTIFACTS, Live, Shop, Tab, serve, widget_page

pytestmark = pytest.mark.browser

PRODUCT = "ao-thun-basic"


def seeded(live: Live, shop: Shop, *, locale: str = "vi") -> StoreKeys:
    keys = live.store(origins=[shop.origin], locale=locale)
    live.product(keys, PRODUCT, "Áo thun cotton basic", 189000)
    live.order(keys, "DH1001", "an.nguyen@example.com", PRODUCT)
    live.review(
        keys,
        PRODUCT,
        rating=5,
        title="Vải mát, form đẹp",
        body="Áo mặc rất mát, giao hàng nhanh. Sẽ ủng hộ shop tiếp!",
        name="Nguyễn Văn An",
        email="an.nguyen@example.com",
        reply="Cảm ơn anh An đã tin tưởng shop ạ!",
        order_id="DH1001",
    )
    live.review(
        keys,
        PRODUCT,
        rating=4,
        body="Good quality for the price, but the size runs a little small.",
        name="Emily Carter",
        email="emily.carter@example.com",
    )
    live.review(
        keys,
        PRODUCT,
        rating=2,
        body="ao bi phai mau sau 2 lan giat, hoi that vong",
        name="Lê Hoàng Minh",
        email="minh.le@example.com",
    )
    return keys


def shadow_text(tab: Tab, selector: str) -> str:
    text: str = tab.page.locator(selector).first.evaluate("el => el.shadowRoot.textContent")
    return text


def wait_rendered(tab: Tab, selector: str) -> None:
    tab.page.wait_for_function(
        "s => [...document.querySelectorAll(s)].every(el => el.painted && !el.hasAttribute('aria-busy'))",
        arg=selector,
    )


def test_stars_and_reviews_render_from_another_origin(live: Live, shop: Shop, tab: Tab) -> None:
    keys = seeded(live, shop)
    shop.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        f'<rc-stars product="{PRODUCT}"></rc-stars>\n<rc-reviews product="{PRODUCT}"></rc-reviews>',
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-stars, rc-reviews")
    stars = tab.page.locator("rc-stars")
    assert stars.get_by_role("img").first.get_attribute("aria-label") == "Đánh giá 3,7 trên 5 sao"
    assert "(3 đánh giá)" in shadow_text(tab, "rc-stars")
    reviews = tab.page.locator("rc-reviews")
    assert reviews.locator("li.review").count() == 3
    text = shadow_text(tab, "rc-reviews")
    assert "Dựa trên 3 đánh giá" in text
    assert "Nguyễn Văn An" in text and "Áo mặc rất mát" in text
    assert "Phản hồi của cửa hàng" in text and "Cảm ơn anh An" in text
    assert "Đã mua hàng" in text  # the order DH1001 makes An's review verified
    # Distribution row for 5 stars: one of three reviews.
    assert reviews.get_by_role("button", name="5 sao: 1 đánh giá (33%)").count() == 1
    tab.shot("rc-stars", "stars")
    tab.shot("rc-reviews", "reviews")

    # Filter by a rating through the distribution, then sort: the list follows.
    reviews.get_by_role("button", name="2 sao: 1 đánh giá (33%)").click()
    tab.page.wait_for_function(
        "() => document.querySelector('rc-reviews').shadowRoot.querySelectorAll('li.review').length === 1"
    )
    assert "phai mau" in shadow_text(tab, "rc-reviews")
    reviews.get_by_role("button", name="2 sao: 1 đánh giá (33%)").click()
    reviews.get_by_label("Sắp xếp").select_option("lowest")
    wait_rendered(tab, "rc-reviews")
    first = reviews.locator("li.review").first.text_content() or ""
    assert "Lê Hoàng Minh" in first

    # A helpful vote reaches the server and the count comes back.
    reviews.locator("li.review").first.get_by_role("button", name=re.compile(r"^Có")).click()
    tab.page.wait_for_function(
        "() => document.querySelector('rc-reviews').shadowRoot.textContent.includes('Cảm ơn bạn đã góp ý')"
    )

    # An element added after the script has run upgrades too.
    tab.page.evaluate(
        f"""() => {{ const el = document.createElement('rc-stars');
        el.setAttribute('product', '{PRODUCT}'); el.id = 'late'; document.body.append(el); }}"""
    )
    wait_rendered(tab, "#late")
    assert "(3 đánh giá)" in shadow_text(tab, "#late")
    assert tab.errors == [] and tab.dialogs == []


def test_an_incentivised_review_carries_its_mark(live: Live, shop: Shop, tab: Tab) -> None:
    """A review the store rewarded (rating-blind incentives) says so beside the name."""
    from rcommerce.reviews import aggregates
    from rcommerce.reviews.models import Review

    keys = seeded(live, shop)
    with live.runtime.transaction() as session:
        emily = session.exec(select(Review).where(Review.author_name == "Emily Carter")).one()
        emily.incentivized = True
        session.add(emily)
        aggregates.invalidate(session, keys.store_id, PRODUCT)
    shop.pages["/"] = widget_page(
        live.base_url, keys.publishable_key, f'<rc-reviews product="{PRODUCT}"></rc-reviews>'
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-reviews")
    items = tab.page.locator("rc-reviews").locator("li.review")
    marked = [
        i for i in range(items.count()) if "Đã nhận ưu đãi" in (items.nth(i).text_content() or "")
    ]
    assert len(marked) == 1 and "Emily Carter" in (items.nth(marked[0]).text_content() or "")
    assert "✓ Đã mua hàng" in shadow_text(tab, "rc-reviews")  # An's order still verifies his
    assert tab.errors == []


def test_review_form_checks_then_submits(live: Live, shop: Shop, tab: Tab) -> None:
    keys = seeded(live, shop)
    shop.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        f'<rc-review-form product="{PRODUCT}"></rc-review-form>',
    )
    posts: list[str] = []
    tab.page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-review-form")
    form = tab.page.locator("rc-review-form")
    tab.shot("rc-review-form", "review-form")

    form.get_by_role("button", name="Gửi đánh giá").click()
    text = shadow_text(tab, "rc-review-form")
    assert "Vui lòng chọn từ 1 đến 5 sao." in text
    assert "E-mail hoặc số điện thoại chưa hợp lệ." in text and "Vui lòng nhập tên." in text
    assert posts == []  # nothing is sent until the form is right
    assert form.get_by_label("Tên của bạn").get_attribute("aria-invalid") == "true"

    form.locator("label.star").nth(2).click()  # the third star, with the pointer
    assert form.get_by_role("radio", name="3 sao").is_checked()
    tab.page.keyboard.press("ArrowRight")  # and on to four with the keyboard
    assert form.get_by_role("radio", name="4 sao").is_checked()
    assert form.locator("label.star.on").count() == 4
    form.get_by_label("Nội dung đánh giá").fill(
        "Áo đẹp, đường may chắc chắn. Giao hàng 2 ngày là tới."
    )
    form.get_by_label("Tên của bạn").fill("Phạm Thu Trang")
    form.get_by_label("E-mail hoặc số điện thoại (không hiển thị công khai)").fill(
        "trang.pham@example.com"
    )
    form.get_by_label("Tôi đồng ý cho cửa hàng đăng đánh giá, tên và hình ảnh của tôi.").check()
    form.get_by_role("button", name="Gửi đánh giá").click()
    tab.page.wait_for_function(
        "() => document.querySelector('rc-review-form').shadowRoot.textContent.includes('Cảm ơn bạn!')"
    )
    assert any(url.endswith("/reviews") for url in posts)

    from rcommerce.reviews.models import Review

    with live.runtime.transaction(readonly=True) as session:
        review = session.exec(select(Review).where(Review.email == "trang.pham@example.com")).one()
    assert review.rating == 4 and review.author_name == "Phạm Thu Trang"
    assert review.body.startswith("Áo đẹp, đường may chắc chắn")
    assert review.store_id == keys.store_id and review.product_id == PRODUCT
    assert tab.errors == []


def test_language_follows_the_store_and_the_lang_attribute(
    live: Live, shop: Shop, tab: Tab
) -> None:
    keys = seeded(live, shop, locale="en")
    shop.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        f'<rc-reviews product="{PRODUCT}"></rc-reviews><rc-referral></rc-referral>',
        lang="",
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-reviews, rc-referral")
    assert "Based on 3 reviews" in shadow_text(tab, "rc-reviews")  # the store's locale
    assert "Get my link" in shadow_text(tab, "rc-referral")
    tab.page.locator("rc-reviews").evaluate("el => el.setAttribute('lang', 'vi')")
    assert "Dựa trên 3 đánh giá" in shadow_text(tab, "rc-reviews")
    assert "Get my link" in shadow_text(tab, "rc-referral")  # only that element switched
    tab.page.evaluate("() => window.rcommerce.setLang('vi')")
    assert "Lấy link giới thiệu" in shadow_text(tab, "rc-referral")
    tab.shot("rc-referral", "referral-form-vi")
    tab.page.evaluate("() => window.rcommerce.setLang('en')")
    tab.page.locator("rc-reviews").evaluate("el => el.removeAttribute('lang')")
    assert "Based on 3 reviews" in shadow_text(tab, "rc-reviews")
    assert "Get my link" in shadow_text(tab, "rc-referral")
    tab.shot("rc-reviews", "reviews-en")
    assert tab.errors == []


def test_testimonials_carousel_and_wall(live: Live, shop: Shop, tab: Tab) -> None:
    keys = live.store(origins=[shop.origin])
    for name, body in [
        ("Võ Ngọc Lan", "Shop tư vấn nhiệt tình, hàng đúng mô tả, đóng gói cẩn thận."),
        ("David Nguyen", "Fast delivery to Đà Nẵng and friendly support. Recommended!"),
        ("Bùi Đức Thắng", "Mua lần thứ ba rồi, lần nào cũng hài lòng."),
    ]:
        live.testimonial(keys, body=body, name=name)
    shop.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        '<rc-testimonials layout="carousel"></rc-testimonials><rc-testimonials id="wall" layout="wall"></rc-testimonials>',
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-testimonials")
    carousel = tab.page.locator("rc-testimonials").first
    assert carousel.locator("li.card").count() == 3
    assert carousel.get_by_role("button", name="Tiếp").count() == 1
    assert "Võ Ngọc Lan" in shadow_text(tab, "rc-testimonials")
    assert tab.page.locator("#wall").locator("li.card").count() == 3
    tab.shot("rc-testimonials", "testimonials-carousel")
    tab.shot("#wall", "testimonials-wall")
    assert tab.errors == []


def test_modules_load_only_on_pages_that_use_them(live: Live, shop: Shop, tab: Tab) -> None:
    keys = seeded(live, shop)
    live.testimonial(keys, body="Giao hàng nhanh, shop dễ thương.", name="Lan")
    requested: list[str] = []
    tab.page.on("request", lambda request: requested.append(request.url))
    shop.pages["/core"] = widget_page(
        live.base_url,
        keys.publishable_key,
        f'<rc-stars product="{PRODUCT}"></rc-stars><rc-reviews product="{PRODUCT}"></rc-reviews>'
        f'<rc-review-form product="{PRODUCT}"></rc-review-form><rc-referral></rc-referral>',
    )
    tab.page.goto(shop.origin + "/core")
    wait_rendered(tab, "rc-stars, rc-reviews, rc-review-form, rc-referral")
    assert not [url for url in requested if "/embed/v1/m/" in url]
    shop.pages["/home"] = widget_page(
        live.base_url,
        keys.publishable_key,
        f'<rc-stars product="{PRODUCT}"></rc-stars><rc-testimonials></rc-testimonials>',
    )
    requested.clear()
    tab.page.goto(shop.origin + "/home")
    wait_rendered(tab, "rc-stars, rc-testimonials")
    modules = [url for url in requested if "/embed/v1/m/" in url]
    assert len(modules) == 1 and re.search(r"/m/testimonials\.[0-9a-f]{8}\.js$", modules[0])
    assert "Giao hàng nhanh" in shadow_text(tab, "rc-testimonials")
    # Added later (a single-page app): the module is fetched once, the element renders.
    tab.page.evaluate(
        "document.body.append(Object.assign(document.createElement('rc-testimonials'), {id: 'late'}))"
    )
    wait_rendered(tab, "#late")
    assert len([url for url in requested if "/embed/v1/m/" in url]) == 1
    assert tab.errors == []


def test_join_the_referral_programme_and_share(live: Live, shop: Shop, tab: Tab) -> None:
    keys = live.store(origins=[shop.origin])
    live.campaign(keys)
    shop.pages["/"] = widget_page(
        live.base_url, keys.publishable_key, "<rc-referral></rc-referral>"
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-referral")
    box = tab.page.locator("rc-referral")
    assert "Bạn bè được 10%, bạn nhận 50.000" in shadow_text(tab, "rc-referral")  # VND offer
    box.get_by_role("button", name="Lấy link giới thiệu").click()
    assert "E-mail hoặc số điện thoại chưa hợp lệ." in shadow_text(tab, "rc-referral")
    box.get_by_label("E-mail hoặc số điện thoại của bạn").fill("lan.vo@example.com")
    box.get_by_label("Tên của bạn").fill("Võ Ngọc Lan")
    box.get_by_role("button", name="Lấy link giới thiệu").click()
    link = box.get_by_label("Link giới thiệu của bạn")
    link.wait_for()
    url = link.input_value()
    assert url.startswith(f"{live.base_url}/r/")
    code = url.rsplit("/", 1)[1]
    assert code in shadow_text(tab, "rc-referral")
    hrefs = {
        a.get_attribute("part").split()[-1]: a.get_attribute("href")
        for a in box.locator("a.btn").all()
    }
    for channel in ("zalo", "facebook", "messenger", "whatsapp", "sms", "email"):
        assert f"share-{channel}" in hrefs
    assert hrefs["share-zalo"].startswith("https://button-share.zalo.me/share_external?")
    assert "ch%3Dfacebook" in hrefs["share-facebook"]
    assert "ch%3Dwhatsapp" in hrefs["share-whatsapp"] and hrefs["share-sms"].startswith("sms:")
    tab.page.wait_for_function(
        "() => { const img = document.querySelector('rc-referral').shadowRoot.querySelector('img.qr'); return img.complete && img.naturalWidth > 0; }"
    )
    tab.shot("rc-referral", "referral-joined")
    # The shopper comes back later: the same link is shown without joining again.
    tab.page.reload()
    box.get_by_label("Link giới thiệu của bạn").wait_for()
    assert box.get_by_label("Link giới thiệu của bạn").input_value() == url
    assert tab.errors == []


def test_referral_link_keeps_rc_ref_on_the_shops_origin(live: Live, shop: Shop, tab: Tab) -> None:
    keys = live.store(origins=[shop.origin])
    joined = live.http.post(
        "/api/v1/advocates",
        headers=keys.auth,
        json={"email": "huy.dang@example.com", "name": "Huy"},
    )
    assert joined.status_code in (200, 201), joined.text
    code = joined.json()["referral_code"]
    shop.pages["/"] = widget_page(live.base_url, keys.publishable_key, "<p>Trang chủ</p>")
    tab.page.goto(f"{live.base_url}/r/{code}?ch=zalo")
    tab.page.wait_for_function("() => window.rcommerce && window.rcommerce.referral()")
    assert tab.page.url.startswith(shop.origin + "/")
    assert "rc_ref" not in tab.page.url  # kept first-party, not left in the address bar
    token = tab.page.evaluate("() => window.rcommerce.referral()")
    stored = tab.page.evaluate("() => JSON.parse(localStorage.getItem('rc_ref')).t")
    cookie = tab.page.evaluate("() => document.cookie")
    assert token and stored == token and f"rc_ref={token}" in cookie
    cookies = tab.page.context.cookies(shop.origin)
    assert any(c["name"] == "rc_ref" and c["value"] == token for c in cookies)
    # Later pages of the shop still know it, and the shop's backend can send it with the order.
    tab.page.goto(shop.origin + "/")
    tab.page.wait_for_function("() => window.rcommerce")
    assert tab.page.evaluate("() => window.rcommerce.referral()") == token
    order = live.http.post(
        "/api/v1/orders",
        headers=keys.auth,
        json={
            "order_id": "DH2001",
            "email": "friend@example.com",
            "total": "450000",
            "currency": "VND",
            "referral_token": token,
        },
    )
    assert order.status_code in (200, 201), order.text
    assert order.json()["attributed"] is True
    assert tab.errors == []


XSS_PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<IMG SRC=x onerror="window.__xss=1">',
    "<svg/onload=window.__xss=1>",
    '"><script>window.__xss=1</script>',
    "'';!--\"<XSS>=&{()}",
    '<IMG SRC="javascript:window.__xss=1;">',
    '<a href="javascript:window.__xss=1">click</a>',
    '<iframe src="javascript:window.__xss=1"></iframe>',
    "<BODY ONLOAD=window.__xss=1>",
    '<IMG SRC=# onmouseover="window.__xss=1">',
    "<<SCRIPT>window.__xss=1;//<</SCRIPT>",
    "<SCRIPT SRC=//127.0.0.1/.j></SCRIPT>",
    '<STYLE>li {list-style-image: url("javascript:window.__xss=1");}</STYLE>',
    '<div style="background-image:url(javascript:window.__xss=1)">',
    "<details open ontoggle=window.__xss=1>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__xss=1>",
    "`\"'><img src=xxx:x onerror=window.__xss=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
]


def test_xss_payloads_render_as_text_and_nothing_runs(live: Live, shop: Shop, tab: Tab) -> None:
    keys = live.store(origins=[shop.origin])
    live.product(keys, PRODUCT, "Áo", 189000)
    for number, payload in enumerate(XSS_PAYLOADS):
        live.review(
            keys,
            PRODUCT,
            rating=1 + number % 5,
            title=payload[:200],
            body=f"{payload} body {number}",
            name=payload[:100],
            email=f"xss{number}@example.com",
            reply=payload,
        )
    live.testimonial(keys, body=f"{XSS_PAYLOADS[0]} {XSS_PAYLOADS[1]}", name=XSS_PAYLOADS[2])
    shop.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        f'<rc-reviews product="{PRODUCT}"></rc-reviews><rc-testimonials layout="wall"></rc-testimonials>',
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-reviews, rc-testimonials")
    reviews = tab.page.locator("rc-reviews")
    while reviews.get_by_role("button", name="Xem thêm đánh giá").count():
        before = reviews.locator("li.review").count()
        reviews.get_by_role("button", name="Xem thêm đánh giá").click()
        tab.page.wait_for_function(
            "n => document.querySelector('rc-reviews').shadowRoot.querySelectorAll('li.review').length > n",
            arg=before,
        )
    items = reviews.locator("li.review")
    assert items.count() == len(XSS_PAYLOADS)
    bodies = [b.text_content() for b in reviews.locator("p.body").all()]
    names = [n.text_content() for n in reviews.locator("strong.name").all()]
    for number, payload in enumerate(XSS_PAYLOADS):
        assert f"{payload} body {number}" in bodies, payload  # shown as typed, as text
        assert payload[:100] in names
    # No element was made from the data: bodies, names, titles and replies hold text only.
    assert tab.page.evaluate(
        """() => [...document.querySelectorAll('rc-reviews, rc-testimonials')].flatMap(el =>
            [...el.shadowRoot.querySelectorAll('.body, .name, .title, .reply p, blockquote, figcaption strong')])
            .every(node => node.children.length === 0)"""
    )
    assert "<script>window.__xss=1</script>" in shadow_text(tab, "rc-testimonials")
    for item in items.all()[:5]:  # hovering fires onmouseover payloads, had they become elements
        item.hover()
    tab.page.wait_for_timeout(300)
    assert tab.page.evaluate("() => window.__xss") is None
    assert tab.dialogs == [] and tab.errors == []
    tab.shot("rc-reviews", "reviews-xss-as-text")


LEAKY_PAGE_CSS = """<style>
  body { color: rgb(255, 0, 0); font: 30px/3 "Comic Sans MS", cursive; letter-spacing: 4px; text-align: right; }
  p, li, h2, h3, strong, span, button, a, label { color: rgb(0, 128, 0) !important; background: rgb(255, 255, 0) !important; font-size: 40px !important; }
  .box, .review, .stars, .body, ul, form { display: none !important; }
</style>"""


def test_no_style_leaks_into_or_out_of_the_shadow_root(live: Live, shop: Shop, tab: Tab) -> None:
    keys = seeded(live, shop)
    shop.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        f"""<div class="box"><p class="muted body" id="own-p">Shop text</p>
        <button class="ghost" id="own-button">Shop button</button><span class="stars" id="own-stars">x</span></div>
        <rc-reviews product="{PRODUCT}"></rc-reviews>""",
        head=LEAKY_PAGE_CSS,
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-reviews")
    inside = tab.page.locator("rc-reviews").evaluate(
        """el => { const r = el.shadowRoot, cs = (s) => getComputedStyle(r.querySelector(s));
        const body = cs('p.body'), name = cs('strong.name'), button = cs('button.bar-row'), list = cs('ul.list');
        return { bodyColor: body.color, bodySize: body.fontSize, bodyDisplay: body.display,
                 bodyFont: body.fontFamily, spacing: body.letterSpacing, align: body.textAlign,
                 nameColor: name.color, nameBackground: name.backgroundColor, listDisplay: list.display,
                 buttonSize: button.fontSize }; }"""
    )
    assert inside["bodyColor"] == "rgb(31, 35, 40)"
    assert inside["nameColor"] == "rgb(31, 35, 40)"
    assert inside["bodySize"] == "15px" and inside["buttonSize"] == "15px"
    assert inside["bodyDisplay"] == "block" and inside["listDisplay"] == "block"
    assert "Comic" not in inside["bodyFont"]
    assert inside["spacing"] == "normal" and inside["align"] in ("start", "left")
    assert inside["nameBackground"] == "rgba(0, 0, 0, 0)"
    outside = tab.page.evaluate(
        """() => { const cs = (s) => getComputedStyle(document.querySelector(s));
        return { pColor: cs('#own-p').color, pSize: cs('#own-p').fontSize, buttonBg: cs('#own-button').backgroundColor,
                 boxBorder: cs('.box').borderTopWidth, starsPosition: cs('#own-stars').position }; }"""
    )
    # The page's own rules still apply to its elements; the widget's .muted, button, .box and
    # .stars rules do not reach them.
    assert outside == {
        "pColor": "rgb(0, 128, 0)",
        "pSize": "40px",
        "buttonBg": "rgb(255, 255, 0)",
        "boxBorder": "0px",
        "starsPosition": "static",
    }
    tab.shot("rc-reviews", "reviews-on-hostile-css")
    # Theming goes through custom properties and ::part, the two doors the widget opens.
    tab.page.add_style_tag(
        content="rc-reviews { --rc-text: rgb(1, 2, 3); } rc-reviews::part(review-name) { color: rgb(9, 8, 7) !important; }"
    )
    themed = tab.page.locator("rc-reviews").evaluate(
        """el => [getComputedStyle(el.shadowRoot.querySelector('p.body')).color,
                  getComputedStyle(el.shadowRoot.querySelector('strong.name')).color]"""
    )
    assert themed == ["rgb(1, 2, 3)", "rgb(9, 8, 7)"]
    assert tab.errors == []


def test_a_page_on_an_origin_the_key_does_not_allow_gets_no_data(
    live: Live, shop: Shop, make_shop: Callable[[], Shop], tab: Tab
) -> None:
    console: list[str] = []
    tab.page.on("console", lambda m: console.append(m.text) if "rcommerce" in m.text else None)
    keys = seeded(live, shop)
    elsewhere = make_shop()  # another origin, not in the store's allowed origins
    elsewhere.pages["/"] = widget_page(
        live.base_url,
        keys.publishable_key,
        f"""<rc-stars product="{PRODUCT}"></rc-stars><rc-reviews product="{PRODUCT}"></rc-reviews>
        <rc-testimonials></rc-testimonials><rc-referral></rc-referral>""",
    )
    asked: list[str] = []
    answered: list[int] = []
    prefix = f"{live.base_url}/embed/v1/{keys.publishable_key}/"
    tab.page.on("request", lambda r: asked.append(r.url) if r.url.startswith(prefix) else None)
    tab.page.on(
        "response", lambda r: answered.append(r.status) if r.url.startswith(prefix) else None
    )
    tab.page.goto(elsewhere.origin + "/")
    wait_rendered(tab, "rc-stars, rc-reviews, rc-testimonials, rc-referral")
    assert asked  # the widgets did ask...
    assert all(status == 403 for status in answered), answered  # ...and were refused
    for url in set(asked):
        refused = live.http.get(url, headers={"Origin": elsewhere.origin})
        assert refused.status_code == 403, url
        assert "access-control-allow-origin" not in refused.headers
    page_text = tab.page.evaluate(
        "() => [...document.querySelectorAll('rc-stars, rc-reviews, rc-testimonials, rc-referral')].map(e => e.shadowRoot.querySelector('.wrap').textContent).join(' ')"
    )
    for secret in ("Nguyễn Văn An", "Áo mặc rất mát", "3 đánh giá", "Cảm ơn anh An"):
        assert secret not in page_text
    # Nothing at all on the shop's page (no error line on every card)...
    assert page_text.strip() == "" and "Không tải được" not in page_text
    hidden = tab.page.evaluate(
        "() => [...document.querySelectorAll('rc-stars, rc-reviews, rc-testimonials, rc-referral')].map(e => e.getBoundingClientRect().height)"
    )
    assert hidden == [0, 0, 0, 0]
    # ...and one line in the console saying why.
    tab.page.wait_for_function("() => true")
    tab.page.wait_for_timeout(500)
    assert len(console) == 1, console
    assert elsewhere.origin in console[0] and "not an allowed origin" in console[0]
    assert (
        tab.page.locator("rc-referral").get_by_role("button", name="Lấy link giới thiệu").count()
        == 0
    )
    assert tab.errors == []


def test_demo_shop_shows_every_widget(tmp_path: Path, sqlite_template: Path, tab: Tab) -> None:
    from rcommerce.demo.seed import seed_demo

    with serve(tmp_path, sqlite_template, demo=True) as live:
        seed_demo(live.runtime)
        live.runtime.dispatcher.drain()
        tab.page.goto(f"{live.base_url}/demo/")
        tags = "rc-stars, rc-reviews, rc-review-form, rc-testimonials, rc-referral"
        wait_rendered(tab, tags)
        counts = tab.page.evaluate(
            f"() => [...document.querySelectorAll('{tags}')].map(e => e.localName)"
        )
        assert {
            "rc-stars",
            "rc-reviews",
            "rc-review-form",
            "rc-testimonials",
            "rc-referral",
        } <= set(counts)
        failed = tab.page.evaluate(
            f"() => [...document.querySelectorAll('{tags}')].filter(e => e.hidden).map(e => e.localName)"
        )
        assert failed == []
        assert "Cảm ơn bạn đã đặt đơn DH1001" in shadow_text(tab, "rc-referral[order]")
        tab.page.get_by_role("button", name="English").click()
        assert "Get my link" in shadow_text(tab, "rc-referral:not([order])")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(ARTIFACTS / "demo-shop.png"), full_page=True)
        # A 320 px phone: no widget is wider than the screen.
        tab.page.set_viewport_size({"width": 320, "height": 800})
        overflow = tab.page.evaluate(
            f"""() => [...document.querySelectorAll('{tags}')].filter(e =>
                e.getBoundingClientRect().right > 321 || e.shadowRoot.querySelector('.wrap').scrollWidth > e.clientWidth + 1
            ).map(e => e.localName)"""
        )
        assert overflow == []
        tab.page.screenshot(path=str(ARTIFACTS / "demo-shop-320px.png"), full_page=True)
        assert tab.errors == []


def test_a_referred_friend_sees_the_gift_and_copies_the_code(
    live: Live, shop: Shop, tab: Tab
) -> None:
    keys = live.store(origins=[shop.origin])
    joined = live.http.post(
        "/api/v1/advocates",
        headers=keys.auth,
        json={"email": "minh@example.com", "name": "Lê Minh"},
    )
    assert joined.status_code in (200, 201), joined.text
    code, coupon = joined.json()["referral_code"], joined.json()["friend_coupon_code"]
    shop.pages["/"] = widget_page(live.base_url, keys.publishable_key, "<h1>Cửa hàng</h1>")
    shop.pages["/gioi-thieu"] = widget_page(
        live.base_url, keys.publishable_key, "<rc-referral></rc-referral>"
    )
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=shop.origin)
    # The friend opens the link they were sent and lands on the shop's home page.
    tab.page.goto(f"{live.base_url}/r/{code}?ch=zalo")
    assert tab.page.url.startswith(shop.origin + "/")
    shown = (
        "() => { const el = document.querySelector('rc-friend-offer');"
        " return el && !el.hidden && el.shadowRoot.textContent.includes('BAN'); }"
    )
    tab.page.wait_for_function(shown)
    banner = tab.page.locator("rc-friend-offer")
    assert banner.is_visible()
    gift = f"Minh tặng bạn 10% cho đơn đầu tiên — mã {coupon}"
    assert gift in shadow_text(tab, "rc-friend-offer")
    box = banner.bounding_box()
    assert box is not None and box["y"] + box["height"] > 850  # at the foot of the window
    tab.shot("rc-friend-offer", "friend-offer-banner")
    # One tap copies the code.
    banner.get_by_role("button", name="Sao chép mã").click()
    assert tab.page.evaluate("() => navigator.clipboard.readText()") == coupon
    assert "Đã sao chép mã." in shadow_text(tab, "rc-friend-offer")
    # <rc-referral> shows it too.
    tab.page.goto(shop.origin + "/gioi-thieu")
    wait_rendered(tab, "rc-referral")
    tab.page.wait_for_function(
        "() => { const el = document.querySelector('rc-referral').shadowRoot.querySelector('rc-friend-offer');"
        " return el && !el.hidden && el.painted; }"
    )
    inline = tab.page.locator("rc-referral rc-friend-offer")
    assert gift in inline.evaluate("el => el.shadowRoot.textContent")
    assert inline.get_by_role("button", name="Sao chép mã").is_visible()
    tab.shot("rc-referral", "referral-with-friend-offer")
    # Dismissed, the banner stays away on the next pages.
    tab.page.goto(shop.origin + "/")
    tab.page.wait_for_function(shown)
    banner.get_by_role("button", name="Đóng").click()
    assert not banner.is_visible()
    tab.page.reload()
    tab.page.wait_for_function(
        "() => { const el = document.querySelector('rc-friend-offer'); return el && el.painted; }"
    )
    assert not tab.page.locator("rc-friend-offer").is_visible()
    assert tab.errors == []


def test_no_gift_without_a_referral_or_with_a_stale_one(live: Live, shop: Shop, tab: Tab) -> None:
    keys = live.store(origins=[shop.origin])
    shop.pages["/"] = widget_page(
        live.base_url, keys.publishable_key, "<rc-referral></rc-referral>"
    )
    tab.page.goto(shop.origin + "/")
    wait_rendered(tab, "rc-referral")
    assert tab.page.evaluate("() => document.querySelector('rc-friend-offer')") is None
    modules = "() => performance.getEntriesByType('resource').filter(e => e.name.includes('/m/offer')).length"
    assert tab.page.evaluate(modules) == 0  # the module is not even fetched
    # A token that is not (or no longer) valid shows nothing, and nothing fails.
    tab.page.goto(shop.origin + "/?rc_ref=not-a-valid.token-at-all")
    tab.page.wait_for_function(
        "() => { const el = document.querySelector('rc-friend-offer'); return el && el.painted; }"
    )
    assert not tab.page.locator("body > rc-friend-offer").is_visible()
    assert not tab.page.locator("rc-referral rc-friend-offer").is_visible()
    assert tab.errors == []
