"""The word-of-mouth report page with its charts, and its tables as CSV."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.dashboard import auth, charts, figures, numbers
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.i18n import translator
from rcommerce.dashboard.labels import labeller
from rcommerce.dashboard.pages import manager_page, page, session_cookie, settings_of
from rcommerce.errors import InvalidInput
from rcommerce.reports import report as reports
from rcommerce.reports.definitions import PERIOD_COLUMNS, TABLES
from rcommerce.reports.service import read_with_rollup
from rcommerce.reports.tables import csv_table
from rcommerce.reports.tasks import local_today
from rcommerce.web import (
    csv_response,
    runtime_of,
)


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


def report_charts(who: Who, data: dict[str, Any]) -> dict[str, charts.Chart]:
    """The report's six charts, in the manager's language."""
    locale, currency = who.locale, who.store.currency
    t = translator(locale)
    names = figures.names(locale)
    label = labeller(locale)
    periods = data["periods"]
    labels = [p["start"] if data["group"] != "day" else p["start"][5:] for p in periods]
    clicks = functools.partial(numbers.CLICKS.of, locale=locale)
    orders = functools.partial(numbers.ORDERS.of, locale=locale)
    reviews = functools.partial(numbers.REVIEWS.of, locale=locale)
    money = functools.partial(numbers.money, currency=currency, locale=locale)
    plain = functools.partial(numbers.decimal, locale=locale)
    period = t("period")
    return {
        "clicks": charts.lines(
            t("trend_clicks"),
            labels,
            [
                (names["clicks"], [p["clicks"] for p in periods], clicks),
                (names["unique_clicks"], [p["unique_clicks"] for p in periods], clicks),
                (names["referred_orders"], [p["referred_orders"] for p in periods], orders),
            ],
            axis=plain,
            period=period,
        ),
        "revenue": charts.bars(
            t("trend_revenue"),
            labels,
            [
                (names["referred_revenue"], [float(p["referred_revenue"]) for p in periods], money),
                (names["reward_cost"], [float(p["reward_cost"]) for p in periods], money),
            ],
            axis=money,
            period=period,
        ),
        "rating": charts.lines(
            t("trend_rating"),
            labels,
            [
                (
                    names["average_rating"],
                    [p["average_rating"] for p in periods],
                    functools.partial(numbers.STARS.of, locale=locale, places=2),
                )
            ],
            axis=functools.partial(numbers.STARS.of, locale=locale),
            period=period,
            y_range=(0, 5),
        ),
        "distribution": charts.bars(
            t("rating_distribution"),
            [figures.names(locale)[f"rating_{i}"] for i in range(1, 6)],
            [(names["reviews"], [float(v) for v in data["ratings"].values()], reviews)],
            axis=reviews,
            period=t("rating"),
        ),
        "sentiment": charts.bars(
            t("trend_sentiment"),
            labels,
            [
                (label("sentiment", name), [p[name] for p in periods], reviews)
                for name in ("positive", "neutral", "negative")
            ],
            axis=reviews,
            period=period,
            stacked=True,
        ),
        "channels": charts.bars(
            t("channels"),
            [label("channel", c["channel"]) for c in data["channels"]],
            [
                (names["clicks"], [c["clicks"] for c in data["channels"]], clicks),
                (names["unique_clicks"], [c["unique_clicks"] for c in data["channels"]], clicks),
            ],
            axis=clicks,
            period=t("channel"),
        ),
    }


@manager_page
async def report_page(request: Request) -> Response:
    who, data = await _report_data(request)
    query = urlencode({"from": data["from"], "to": data["to"], "group": data["group"]})
    return page(
        request,
        who,
        "report.html",
        data=data,
        figures=report_charts(who, data),
        names=figures.names(who.locale),
        definitions=figures.definitions(who.locale),
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
