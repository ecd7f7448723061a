"""The customer segments page in Debian's chromium: a manager reads the segments with their
chart, opens a segment's customers with why, and tightens a threshold from the form.

Screenshots are saved under test-artifacts/dashboard/.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from rcommerce.customers.tasks import compute_store
from rcommerce.stores import service
from rcommerce.stores.models import Store
from tests.customers.seed import T0, seed
from tests.support.page_text import problems
from tests.support.smtp import SMTPServer
from tests.support.widgets import serve

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
PASSWORD = "mat-khau-that-dai-2026"

pytestmark = pytest.mark.browser


def test_manager_reads_the_segments_and_tunes_a_threshold(
    tmp_path: Path, sqlite_template: Path, smtp_server: SMTPServer, browser: Any
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(tmp_path, sqlite_template, smtp_url=smtp_server.url) as live:
        keys = live.store(origins=["https://shop.example"], name="Cửa hàng Hoa Sen")
        with live.runtime.transaction() as session:
            store = session.get(Store, keys.store_id)
            assert store is not None
            service.create_manager(
                session=session, store=store, email="quanly@hoasen.example", password=PASSWORD
            )
            seed(session, keys.store_id)
        compute_store(live.runtime, keys.store_id)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        first, last = T0.date(), T0.date() + timedelta(days=44)
        page.goto(f"{live.base_url}/dashboard/segments?from={first}&to={last}")
        page.fill("input[name=email]", "quanly@hoasen.example")
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        page.wait_for_url("**/dashboard/segments**")
        assert page.locator("figure.chart svg").count() == 1
        row = page.locator("#segment-sociables").inner_text()
        assert "Thích chia sẻ" in row and "3" in row
        assert problems(page.content()) == []
        page.screenshot(path=str(ARTIFACTS / "segments.png"), full_page=True)

        page.click("#segment-sociables a")
        page.wait_for_url("**/dashboard/segments/sociables")
        members = page.locator("#members").inner_text()
        assert "social.clicks@example.com" in members and "Liên kết được bấm nhiều" in members
        page.screenshot(path=str(ARTIFACTS / "segment-sociables.png"), full_page=True)

        page.goto(f"{live.base_url}/dashboard/segments")
        page.fill("input[name=sociable_min_clicks]", "10")
        page.click("#thresholds button.primary")
        page.wait_for_url("**notice=saved**")
        live.runtime.dispatcher.drain()  # type: ignore[attr-defined]
        page.goto(f"{live.base_url}/dashboard/segments/sociables")
        assert "social.clicks@example.com" not in page.locator("#members").inner_text()
        assert errors == []
        context.close()
