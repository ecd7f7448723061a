"""Numbers in the page's language and charts with a title, a legend, readable axes (a rating axis
from 0 to 5) and a table as their text alternative, inside the dashboard's strict policy."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from rcommerce.dashboard import charts, numbers
from rcommerce.runtime import Runtime
from tests.support.dashboard import ManagerLogin, log_in
from tests.support.every_kind import seed_every_kind


def test_numbers_follow_the_language() -> None:
    assert numbers.count(1234567, "vi") == "1.234.567"
    assert numbers.count(1234567, "en") == "1,234,567"
    assert numbers.CLICKS.of(1.75, "vi") == "1,8 lượt"
    assert numbers.CLICKS.of(1.75, "en") == "1.8 clicks"
    assert numbers.CLICKS.of(1, "en") == "1 click"
    assert numbers.percent(0.1234, "vi") == "12,3%"
    assert numbers.money("189000.00", "VND", "vi") == "189.000\u00a0₫"  # never split
    assert numbers.money("189000.00", "VND", "en") == "₫189,000"


def test_a_chart_has_its_title_legend_axis_units_and_a_table() -> None:
    chart = charts.lines(
        "Lượt nhấp",
        ["05-01", "05-02"],
        [("Lượt nhấp", [1.75, 3.0], lambda v: numbers.CLICKS.of(v, "vi"))],
        axis=lambda v: numbers.CLICKS.of(v, "vi"),
        period="Ngày",
    )
    svg = str(chart.svg)
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="Lượt nhấp"' in svg
    assert "<script" not in svg and "<style" not in svg and "style=" not in svg
    assert 'class="legends"' in svg and ">Lượt nhấp</text>" in svg
    assert "1,8 lượt" in svg and "1.75" not in re.sub(r'"[^"]*"', "", svg)
    assert chart.headers == ["Ngày", "Lượt nhấp"]
    assert chart.rows == [["05-01", "1,8 lượt"], ["05-02", "3 lượt"]]
    rating = charts.lines(
        "Sao",
        ["a", "b"],
        [("TB", [4.2, None], str)],
        axis=lambda v: numbers.STARS.of(v, "vi"),
        period="Kỳ",
        y_range=(0, 5),
    )
    ticks = re.findall(r'<text[^>]*class="[^"]*"[^>]*>(\d) sao</text>', str(rating.svg))
    assert ticks == ["0", "1", "2", "3", "4", "5"]
    empty = charts.bars("Trống", ["a"], [("x", [0], str)], axis=str, period="Kỳ")
    assert empty.svg is None and empty.rows == [["a", "0"]]


def test_report_page_charts_and_figures_read_in_vietnamese(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    with runtime.transaction() as session:
        seed_every_kind(session, manager.store.store_id, runtime.now())
    log_in(client, manager)
    page = client.get("/dashboard/reports").text
    figures = re.findall(r'<figure class="chart">(.*?)</figure>', page, re.S)
    assert len(figures) == 6
    for figure in figures:
        assert re.search(r"<figcaption>[^<]+</figcaption>", figure)
        assert "<details><summary>Xem bảng số liệu</summary>" in figure
    assert "0 sao" in page and "5 sao" in page  # the rating axis runs from 0 to 5
    assert re.search(r"\d+,\d+%", page) or re.search(r"\d+%", page)  # rates as percentages
    assert re.search(r"\d{1,3}(\.\d{3})+\s₫", page)  # VND with thousands separators
    assert "lượt" in page and "clicks" not in page
    assert " style=" not in page and "<script" not in page
