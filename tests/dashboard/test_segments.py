"""The customer segments pages: figures, chart and rules in the manager's words, a segment's
customers with why, and the thresholds form."""

from __future__ import annotations

from datetime import timedelta

from starlette.testclient import TestClient

from rcommerce.customers.tasks import compute_store
from rcommerce.runtime import Runtime
from tests.customers.seed import T0, seed
from tests.support.dashboard import ManagerLogin, csrf_of, log_in
from tests.support.page_text import problems

RANGE = f"from={T0.date().isoformat()}&to={(T0.date() + timedelta(days=44)).isoformat()}"


def _seeded(runtime: Runtime, manager: ManagerLogin) -> None:
    with runtime.transaction() as session:
        seed(session, manager.store.store_id)
    compute_store(runtime, manager.store.store_id)


def test_segments_page_shows_words_figures_and_rules(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    _seeded(runtime, manager)
    log_in(client, manager)
    page = client.get(f"/dashboard/segments?{RANGE}")
    assert page.status_code == 200
    assert problems(page.text) == []
    assert "<svg" in page.text
    for words in ("Săn ưu đãi", "Thích chia sẻ", "Mua đều đặn", "Giá trị đơn trung bình"):
        assert words in page.text
    # Referral results side by side: the sociables' two advocates, their 7 clicks and buyer.
    assert "Kết quả giới thiệu theo nhóm" in page.text
    row = page.text.split('id="referrals-sociables"', 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td><td>7</td><td>1</td>" in row and "14,3%" in row
    assert 'id="referrals-all"' in page.text
    # The rule with the store's threshold written in.
    assert "Ít nhất 2 đơn, và ít nhất 50% số đơn" in page.text
    members = client.get("/dashboard/segments/sociables")
    assert members.status_code == 200 and problems(members.text) == []
    assert "social.clicks@example.com" in members.text
    assert "Liên kết được bấm nhiều" in members.text and "Lượt bấm liên kết: 6" in members.text
    token = csrf_of(page.text)
    client.post("/dashboard/locale", data={"csrf": token, "locale": "en", "back": "/dashboard/"})
    english = client.get("/dashboard/segments/information_seekers")
    assert "Took days to decide" in english.text and "Asked questions" in english.text
    assert "Questions asked: 1" in english.text and "Days to decide: not observed" in english.text
    assert problems(english.text) == []
    assert client.get("/dashboard/segments/whales").status_code == 422


def test_thresholds_form_changes_the_segments(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    _seeded(runtime, manager)
    log_in(client, manager)
    page = client.get("/dashboard/segments")
    token = csrf_of(page.text)
    refused = client.post("/dashboard/segments/settings", data={"sociable_min_clicks": "10"})
    assert refused.status_code == 403
    wrong = client.post(
        "/dashboard/segments/settings",
        data={"csrf": token, "routine_min_orders": "1", "sociable_min_clicks": "abc"},
    )
    assert wrong.status_code == 422 and problems(wrong.text) == []
    assert 'value="abc"' in wrong.text
    saved = client.post(
        "/dashboard/segments/settings",
        data={"csrf": token, "sociable_min_clicks": "10", "entertainment_categories": "Đồ chơi"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    members = client.get("/dashboard/segments/sociables").text
    assert "social.clicks@example.com" not in members and "social.ref@example.com" in members
    fans = client.get("/dashboard/segments/entertainment").text
    assert "+84901234567" in fans
    assert "Đồ chơi" in client.get("/dashboard/segments").text
