"""Product questions end to end in a real browser: a shopper asks on the demo shop, the manager
answers in the dashboard, a verified buyer answers through the link e-mailed to them, both
answers show on the shop with their marks, and the asker's notices reach a real SMTP server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rcommerce.mail import SMTPMailer
from tests.support.smtp import Inbox, SMTPServer
from tests.support.widgets import ARTIFACTS, Tab, serve

QUESTION = "Áo này giặt máy được không, có bị co không?"
INVITE = re.compile(r"http://127\.0\.0\.1:\d+/questions/answer/\S+")


def wait_rendered(tab: Tab, selector: str) -> None:
    tab.page.wait_for_function(
        "s => [...document.querySelectorAll(s)].every(el => el.painted && !el.hasAttribute('aria-busy'))",
        arg=selector,
    )


def test_a_question_is_answered_by_the_shop_and_a_verified_buyer_on_the_demo_shop(
    tmp_path: Path, sqlite_template: Path, tab: Tab, browser: Any, smtp_server: SMTPServer
) -> None:
    from rcommerce.demo.seed import seed_demo

    with serve(tmp_path, sqlite_template, demo=True) as live:
        seeded = seed_demo(live.runtime)
        live.runtime.dispatcher.drain()  # type: ignore[attr-defined]
        live.runtime.mailer = SMTPMailer(smtp_server.url, live.settings.mail_from)
        page = tab.page
        # The shopper asks.
        page.goto(f"{live.base_url}/demo/")
        wait_rendered(tab, "rc-questions")
        widget = page.locator("rc-questions")
        widget.get_by_placeholder("Tìm hoặc đặt câu hỏi").fill(QUESTION)
        widget.get_by_placeholder("Tên của bạn").fill("Hoa")
        widget.get_by_placeholder(
            "E-mail hoặc số điện thoại nhận câu trả lời (không bắt buộc, không công khai)"
        ).fill("hoa.hoi@example.com")
        widget.get_by_role("button", name="Gửi câu hỏi").click()
        widget.get_by_text("Cảm ơn bạn! Câu hỏi đã được đăng.").wait_for()
        widget.get_by_text(QUESTION).wait_for()
        # The product's recent buyers are invited.
        live.runtime.dispatcher.drain()  # type: ignore[attr-defined]
        invites = [
            m for m in smtp_server.inbox.wait_for(1) if "/questions/answer/" in Inbox.text_of(m)
        ]
        assert invites, "no invitation was sent"
        link = INVITE.search(Inbox.text_of(invites[0]))
        assert link is not None
        # The manager answers in the dashboard.
        page.goto(f"{live.base_url}/dashboard/login")
        page.get_by_label("E-mail").fill(seeded.manager_email)
        page.get_by_label("Mật khẩu").fill(seeded.manager_password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(f"{live.base_url}/dashboard/questions?status=published")
        card = page.locator("article.question", has_text=QUESTION)
        card.get_by_label("Trả lời với tư cách cửa hàng").fill("Dạ giặt máy chế độ nhẹ được ạ.")
        card.get_by_role("button", name="Gửi câu trả lời").click()
        page.get_by_text("Đã gửi câu trả lời.").wait_for()
        # The buyer answers through the link e-mailed to them.
        page.goto(link.group(0))
        page.get_by_label("Câu trả lời của bạn").fill("Mình giặt máy 3 tháng rồi, không co.")
        page.get_by_role("button", name="Gửi câu trả lời").click()
        page.get_by_text("Câu trả lời của bạn đã được gửi.").wait_for()
        live.runtime.dispatcher.drain()  # type: ignore[attr-defined]
        # Both answers show on the shop with their marks (to a shopper whose browser has not
        # cached the product's questions for their 30 seconds).
        context = browser.new_context(locale="vi-VN")
        page = context.new_page()
        reader = Tab(page, [], [])
        page.on("pageerror", lambda exc: reader.errors.append(str(exc)))
        page.goto(f"{live.base_url}/demo/")
        wait_rendered(reader, "rc-questions")
        question = page.locator("rc-questions").locator("li.q", has_text=QUESTION)
        shop = question.locator(".a", has_text="Dạ giặt máy chế độ nhẹ được ạ.")
        buyer = question.locator(".a", has_text="Mình giặt máy 3 tháng rồi, không co.")
        assert shop.locator("[part=mark]").inner_text() == "Cửa hàng"
        assert buyer.locator("[part=mark]").inner_text() == "Người mua đã xác minh"
        # Above the reviews, what buyers say about each aspect, as the API counts it.
        product = page.locator("rc-questions").get_attribute("product")
        said = live.http.get(
            f"/embed/v1/{seeded.publishable_key}/products/{product}/highlights",
            headers={"Origin": live.base_url},
        ).json()
        assert said["aspects"], "the demo's featured product has highlights"
        wait_rendered(reader, "rc-highlights")
        first = said["aspects"][0]
        line = page.locator("rc-highlights li").first.inner_text()
        assert f"{first['positive']} khen · {first['negative']} chê" in line
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("rc-highlights").screenshot(path=str(ARTIFACTS / "highlights.png"))
        page.locator("rc-questions").screenshot(path=str(ARTIFACTS / "questions.png"))
        # The asker's notices reached the SMTP server: one per answer.
        deadline_messages = smtp_server.inbox.wait_for(len(invites) + 2)
        to_asker = [m for m in deadline_messages if m["To"] == "hoa.hoi@example.com"]
        assert len(to_asker) == 2
        texts = "\n".join(Inbox.text_of(m) for m in to_asker)
        assert "Dạ giặt máy chế độ nhẹ được ạ." in texts
        assert "Mình giặt máy 3 tháng rồi, không co." in texts
        assert tab.errors == [] and reader.errors == []
        context.close()


def test_a_shopper_asks_with_a_phone_for_the_answer(
    tmp_path: Path, sqlite_template: Path, tab: Tab
) -> None:
    """The ask form's one contact field takes an e-mail or a phone; a phone is sent as one and
    kept in E.164 (the answer then goes by Zalo or SMS)."""
    from sqlmodel import select

    from rcommerce.demo.seed import seed_demo
    from rcommerce.questions.models import Question

    asked = "Áo này có size XXL không shop?"
    with serve(tmp_path, sqlite_template, demo=True) as live:
        seed_demo(live.runtime)
        live.runtime.dispatcher.drain()  # type: ignore[attr-defined]
        page = tab.page
        page.goto(f"{live.base_url}/demo/")
        wait_rendered(tab, "rc-questions")
        widget = page.locator("rc-questions")
        widget.get_by_placeholder("Tìm hoặc đặt câu hỏi").fill(asked)
        widget.get_by_placeholder("Tên của bạn").fill("Minh")
        widget.get_by_placeholder(
            "E-mail hoặc số điện thoại nhận câu trả lời (không bắt buộc, không công khai)"
        ).fill("0912 345 678")
        widget.get_by_role("button", name="Gửi câu hỏi").click()
        widget.get_by_text("Cảm ơn bạn!").first.wait_for()
        with live.runtime.transaction(readonly=True) as session:
            row = session.exec(select(Question).where(Question.body == asked)).one()
        assert (row.email, row.phone) == (None, "+84912345678")
        assert tab.errors == []
