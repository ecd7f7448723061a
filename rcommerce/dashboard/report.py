"""The word-of-mouth report page with its charts, and its tables as CSV."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.dashboard import auth, charts
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.i18n import translator
from rcommerce.dashboard.pages import manager_page, page, session_cookie, settings_of
from rcommerce.errors import InvalidInput
from rcommerce.reports import report as reports
from rcommerce.reports.definitions import DEFINITIONS, PERIOD_COLUMNS, TABLES
from rcommerce.reports.service import read_with_rollup
from rcommerce.reports.tables import csv_table
from rcommerce.reports.tasks import local_today
from rcommerce.web import (
    csv_response,
    runtime_of,
)


def metric_names(locale: str) -> dict[str, str]:
    index = 1 if locale == "vi" else 0
    return {name: entry[index] for name, entry in DEFINITIONS.items()}


def metric_definitions(locale: str) -> dict[str, str]:
    index = 3 if locale == "vi" else 2
    return {name: entry[index] for name, entry in DEFINITIONS.items()}


def _report_range(request: Request, who: Who, now: datetime) -> tuple[date, date, str]:
    today = local_today(who.store, now)
    params = request.query_params
    first = (
        reports.parse_day(params["from"], "from")
        if params.get("from")
        else today - timedelta(days=29)
    )
    last = reports.parse_day(params["to"], "to") if params.get("to") else today
    group = params.get("group", "day")
    if group not in reports.GROUPS:
        raise InvalidInput("group must be day, week or month.")
    return first, last, group


async def _report_data(request: Request) -> tuple[Who, dict[str, Any]]:
    settings, token, runtime = settings_of(request), session_cookie(request), runtime_of(request)

    def work(session: Session, fill: bool) -> tuple[Who, dict[str, Any]]:
        who = auth.current(session, settings, token)
        first, last, group = _report_range(request, who, runtime.now())
        data = reports.word_of_mouth(
            session=session,
            settings=settings,
            store=who.store,
            first=first,
            last=last,
            group=group,  # type: ignore[arg-type]
            now=runtime.now(),
            fill=fill,
        )
        return who, data

    return await run_in_threadpool(read_with_rollup, runtime, work)


@manager_page
async def report_page(request: Request) -> Response:
    who, data = await _report_data(request)
    t = translator(who.locale)
    names = metric_names(who.locale)
    periods = data["periods"]
    labels = [p["start"] if data["group"] != "day" else p["start"][5:] for p in periods]
    figures = {
        "clicks": charts.lines(
            t("trend_clicks"),
            labels,
            [
                (names["clicks"], [p["clicks"] for p in periods]),
                (names["unique_clicks"], [p["unique_clicks"] for p in periods]),
                (names["referred_orders"], [p["referred_orders"] for p in periods]),
            ],
            t("no_data"),
        ),
        "revenue": charts.bars(
            t("trend_revenue"),
            labels,
            [
                (names["referred_revenue"], [float(p["referred_revenue"]) for p in periods]),
                (names["reward_cost"], [float(p["reward_cost"]) for p in periods]),
            ],
            t("no_data"),
        ),
        "rating": charts.lines(
            t("trend_rating"),
            labels,
            [(names["average_rating"], [p["average_rating"] for p in periods])],
            t("no_data"),
        ),
        "distribution": charts.bars(
            t("rating_distribution"),
            ["★1", "★2", "★3", "★4", "★5"],
            [(names["reviews"], [float(v) for v in data["ratings"].values()])],
            t("no_data"),
        ),
        "sentiment": charts.bars(
            t("trend_sentiment"),
            labels,
            [
                (names["positive"], [p["positive"] for p in periods]),
                (names["neutral"], [p["neutral"] for p in periods]),
                (names["negative"], [p["negative"] for p in periods]),
            ],
            t("no_data"),
            stacked=True,
        ),
        "channels": charts.bars(
            t("channels"),
            [c["channel"] for c in data["channels"]],
            [
                (names["clicks"], [c["clicks"] for c in data["channels"]]),
                (names["unique_clicks"], [c["unique_clicks"] for c in data["channels"]]),
            ],
            t("no_data"),
        ),
    }
    query = urlencode({"from": data["from"], "to": data["to"], "group": data["group"]})
    return page(
        request,
        who,
        "report.html",
        data=data,
        figures=figures,
        names=names,
        definitions=metric_definitions(who.locale),
        columns=PERIOD_COLUMNS,
        tables=TABLES,
        query=query,
    )


@manager_page
async def report_csv(request: Request) -> Response:
    table = request.query_params.get("table", "periods")
    if table not in TABLES:
        raise InvalidInput(f"table must be one of {', '.join(TABLES)}.")
    _, data = await _report_data(request)
    name = f"word-of-mouth-{table}-{data['from']}-{data['to']}.csv"
    return csv_response(csv_table(data, table), name)
