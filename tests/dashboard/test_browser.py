"""The dashboard in Debian's chromium: log in, moderate a review, read the report; walk every
page in Vietnamese looking for raw codes and developers' messages.

Screenshots are saved under test-artifacts/dashboard/.
"""

from __future__ import annotations

import random
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from rcommerce import db
from rcommerce.app import create_app
from rcommerce.boot import start_runtime
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores import service
from rcommerce.stores.models import Store
from tests.reports.seed import seed
from tests.support import servers
from tests.support.every_kind import seed_every_kind
from tests.support.page_text import problems
from tests.support.runtime import TEST_SECRET, ManualRunner

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
PASSWORD = "mat-khau-that-dai-2026"

pytestmark = pytest.mark.browser


@dataclass
class Live:
    base_url: str
    runtime: Runtime
    store_id: int
    review_id: int
    first: date
    last: date


@pytest.fixture
def live(tmp_path: Path, sqlite_template: Path) -> Iterator[Live]:
    database = tmp_path / "live.db"
    shutil.copy(sqlite_template, database)
    port = servers.free_port()
    settings = Settings(
        database_url=f"sqlite:///{database}",
        secret_key=TEST_SECRET,
        data_dir=tmp_path,
        base_url=f"http://127.0.0.1:{port}",
    )
    db.migrate(settings)
    runtime = start_runtime(settings, dispatcher=ManualRunner)
    today = runtime.now().date()
    first, last = today - timedelta(days=27), today
    with runtime.transaction() as session:
        store = service.create_store(
            session=session, name="Cửa hàng Hoa <b>Sen</b>", origins=["https://shop.example"]
        ).store
        assert store.id is not None
        service.create_manager(
            session=session, store=store, email="quanly@hoasen.example", password=PASSWORD
        )
        seed(session, store.id, random.Random(11), first, last)
        review = Review(
            store_id=store.id,
            product_id="ao-dai",
            rating=1,
            body="Giao hàng trễ 2 tuần, áo bị sờn <img src=x onerror=alert(1)>",
            author_name="Minh",
            email="minh@example.com",
            status="pending",
        )
        session.add(review)
        session.flush()
        assert review.id is not None
        store_id, review_id = store.id, review.id
    app = create_app(settings, runtime=runtime)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    )
    thread = threading.Thread(target=server.run, name="uvicorn-dashboard", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield Live(settings.base_url, runtime, store_id, review_id, first, last)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        runtime.close()


def test_manager_logs_in_moderates_a_review_and_reads_the_report(live: Live, browser: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))

    page.goto(f"{live.base_url}/dashboard/reviews?status=pending")
    assert "/dashboard/login" in page.url
    page.screenshot(path=str(ARTIFACTS / "1-login.png"))
    page.fill("input[name=email]", "quanly@hoasen.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/dashboard/reviews?status=pending")
    card = page.locator(f"#review-{live.review_id}")
    assert "onerror=alert(1)" in card.inner_text()  # shown as text, never run
    assert page.locator("img[src=x]").count() == 0
    page.screenshot(path=str(ARTIFACTS / "2-moderation-queue.png"), full_page=True)
    card.locator("button.primary").click()  # "Duyệt" (approve)
    page.wait_for_url("**notice=approved")
    assert "Đã duyệt" in page.locator(".notice").inner_text()
    assert page.locator(f"#review-{live.review_id}").count() == 0
    page.screenshot(path=str(ARTIFACTS / "3-approved.png"), full_page=True)
    with live.runtime.transaction() as session:
        review = session.get(Review, live.review_id)
        assert review is not None and review.status == "published"

    page.goto(f"{live.base_url}/dashboard/reports?from={live.first}&to={live.last}&group=week")
    assert page.locator("svg.chart").count() >= 6
    assert page.locator("#periods tbody tr").count() >= 4
    assert "Hệ số K" in page.content()
    page.screenshot(path=str(ARTIFACTS / "4-report-vi.png"), full_page=True)
    # Switch to English from the header.
    page.click("button.lang[value=en]")
    page.wait_for_load_state()
    assert "Word-of-mouth report" in page.locator("h1").inner_text()
    page.screenshot(path=str(ARTIFACTS / "5-report-en.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#periods >> xpath=ancestor::section//a[contains(@class,'csv')]")
    assert download.value.suggested_filename.startswith("word-of-mouth-periods-")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live.base_url}/dashboard/")
    page.screenshot(path=str(ARTIFACTS / "6-overview-phone.png"), full_page=True)
    with live.runtime.transaction() as session:
        store = session.get(Store, live.store_id)
        assert store is not None
    assert "Cửa hàng Hoa <b>Sen</b>" in page.locator(".brand").inner_text()
    assert problems == []  # no CSP violation, no script error, no dialog
    context.close()


def test_every_page_in_vietnamese_shows_words_not_codes(live: Live, browser: Any) -> None:
    """Every page of the navigation (and those behind it: review tabs, an advocate, report
    groupings, refusals), and every form sent wrong, with data showing every kind of status,
    reason, flag, reward kind and channel: no raw code, no developer's English."""
    walk = ARTIFACTS / "walk"
    walk.mkdir(parents=True, exist_ok=True)
    with live.runtime.transaction() as session:
        seeded = seed_every_kind(session, live.store_id, live.runtime.now())
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    seen: list[str] = []

    def check(name: str) -> None:
        page.wait_for_load_state()
        found = problems(page.content())
        assert found == [], f"{name} ({page.url}): {found}"
        assert page.locator("html").get_attribute("lang") == "vi", name
        page.screenshot(path=str(walk / f"{len(seen):02d}-{name}.png"), full_page=True)
        seen.append(name)

    page.goto(f"{live.base_url}/dashboard/login")
    check("login")
    page.fill("input[name=email]", "quanly@hoasen.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live.base_url}/dashboard/")
    nav = [a.get_attribute("href") for a in page.locator("nav.side a").all()]
    assert len(nav) >= 9
    for href in nav:
        page.goto(f"{live.base_url}{href}")
        check(href.strip("/").replace("/", "-") or "overview")
    for status in ("received", "pending", "published", "rejected", "unpublished"):
        page.goto(f"{live.base_url}/dashboard/reviews?status={status}")
        check(f"reviews-{status}")
    for query in ("sort=clicks&dir=desc", "sort=balance&dir=asc", "q=nguoi"):
        page.goto(f"{live.base_url}/dashboard/advocates?{query}")
        check("advocates-" + query.split("&")[0].replace("=", "-"))
    page.goto(f"{live.base_url}/dashboard/advocates/{seeded.advocate_id}")
    check("advocate")
    for group in ("week", "month"):
        page.goto(
            f"{live.base_url}/dashboard/reports?from={live.first}&to={live.last}&group={group}"
        )
        check(f"report-{group}")
        page.locator("figure.chart details").first.click()  # a chart's table, opened
    page.goto(f"{live.base_url}/dashboard/password")
    check("password")
    # Refusals: an unknown advocate, a forged paging link, a date that is no date.
    for name, path in (
        ("not-found", "/dashboard/advocates/999999"),
        ("bad-link", "/dashboard/conversions?before=x"),
        ("bad-date", "/dashboard/reports?from=2026-13-01"),
    ):
        page.goto(f"{live.base_url}{path}")
        check(name)

    # Forms sent wrong (the browser's own checks switched off, so the server answers).
    def send(selector: str, values: dict[str, str], name: str) -> None:
        form = page.locator(selector).first
        form.evaluate("f => { f.noValidate = true; }")
        for field, value in values.items():
            form.locator(f"[name={field}]").fill(value)
        form.locator("button.primary").click()
        check(name)
        assert page.locator(".field-error").count() >= 1, name

    page.goto(f"{live.base_url}/dashboard/campaigns")
    send("form.campaign", {"advocate_reward_value": "-1", "hold_days": "mười"}, "campaign-negative")
    assert "Không được là số âm." in page.locator(".field-error").first.inner_text()
    page.goto(f"{live.base_url}/dashboard/campaigns")
    send("form.campaign", {"friend_reward_value": "150"}, "campaign-percent")
    page.goto(f"{live.base_url}/dashboard/settings")
    send(
        "form.form",
        {"landing_url": "ftp://x", "allowed_origins": "shop", "review_request_delay_days": "999"},
        "settings-invalid",
    )
    page.goto(f"{live.base_url}/dashboard/password")
    send(
        "form.form",
        {
            "current_password": "sai-mat-khau-roi",
            "new_password": "mot-mat-khau-moi-dai",
            "new_password_again": "mot-mat-khau-moi-dai",
        },
        "password-wrong",
    )
    page.goto(f"{live.base_url}/dashboard/keys")
    page.click("button.danger")  # rotating without ticking the confirmation
    check("keys-unconfirmed")
    # Refusals and forms sent wrong answer 404 and 422 on purpose; anything else (a policy
    # violation, a script error) is a problem.
    refused = "Failed to load resource: the server responded with a status of 4"
    assert [m for m in console if not m.startswith(refused)] == []
    assert len(seen) >= 25
    context.close()
