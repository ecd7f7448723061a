"""Dashboard report page and its CSV tables."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.dashboard import (
    ManagerLogin,
    add_review,
    log_in,
)


def test_report_page_and_csv_and_other_pages_render(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    add_review(
        runtime,
        manager.store,
        status="published",
        sentiment_aspects={"delivery": -0.6},
        sentiment_label="negative",
    )
    log_in(client, manager)
    page = client.get("/dashboard/reports?group=week")
    assert page.status_code == 200
    assert "<svg" in page.text and "Hệ số K" in page.text
    assert "Lời mời mỗi người × chuyển đổi lời mời" in page.text  # definitions on the page
    csv = client.get("/dashboard/reports.csv?table=periods&group=month")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert client.get("/dashboard/reports?from=2026-13-01").status_code == 422
    for path in (
        "/dashboard/advocates",
        "/dashboard/conversions",
        "/dashboard/campaigns",
        "/dashboard/testimonials",
        "/dashboard/settings",
        "/dashboard/advocates/999999",
    ):
        response = client.get(path)
        assert response.status_code in (200, 404), path
    assert client.get("/dashboard/advocates/999999").status_code == 404
