"""HTTP: the word-of-mouth report for the store's backend (JSON, or CSV by content negotiation)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.reports import report, service, tables
from rcommerce.reports.definitions import TABLES
from rcommerce.stores.auth import authenticated
from rcommerce.web import Doc, csv_response, endpoint, json_response, parse_query, runtime_of

DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class ReportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: DateText = Field(alias="from", description="First day (store's time zone).")
    to: DateText = Field(description="Last day, included.")
    group: report.Group = Field(default="day", description="Group the periods by.")
    table: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,20}$")] = Field(
        default="periods",
        description="With Accept: text/csv, which table: " + ", ".join(TABLES) + ".",
    )


class WordOfMouthReport(BaseModel):
    """The report: totals, one row per period, channels, ratings, sentiment, aspects with
    quotes, top advocates, and each metric's definition in English and Vietnamese."""

    store_id: int
    from_: str = Field(alias="from")
    to: str
    group: str
    currency: str
    timezone: str
    totals: dict[str, Any]
    periods: list[dict[str, Any]]
    channels: list[dict[str, Any]]
    ratings: dict[str, int]
    sentiment: dict[str, int]
    aspects: dict[str, list[dict[str, Any]]]
    top_advocates: list[dict[str, Any]]
    definitions: dict[str, dict[str, str]]


def range_of(query: ReportQuery) -> tuple[date, date]:
    first = report.parse_day(query.from_, "from")
    last = report.parse_day(query.to, "to")
    return first, last


def wants_csv(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/csv" in accept.lower()


async def word_of_mouth(request: Request) -> Response:
    query = parse_query(request, ReportQuery)
    first, last = range_of(query)
    as_csv = wants_csv(request)
    if as_csv:
        tables.check_table(query.table)  # before the report is computed
    runtime = runtime_of(request)

    def work(session: Session, fill: bool) -> dict[str, Any]:
        store = authenticated(request, session)
        return report.word_of_mouth(
            session=session,
            settings=runtime.settings,
            store=store,
            first=first,
            last=last,
            group=query.group,
            now=runtime.now(),
            fill=fill,
        )

    data = await run_in_threadpool(service.read_with_rollup, runtime, work)
    if as_csv:
        name = f"word-of-mouth-{query.table}-{first.isoformat()}-{last.isoformat()}.csv"
        return csv_response(tables.csv_table(data, query.table), name)
    return json_response(data, headers={"Cache-Control": "no-store"})


routes = [
    endpoint(
        "/api/v1/reports/word-of-mouth",
        word_of_mouth,
        doc=Doc(
            "The word-of-mouth report for a date range",
            tags=["reports"],
            auth="secret",
            query=ReportQuery,
            headers={"Accept": "application/json (default) or text/csv for one table as CSV"},
            responses={
                200: WordOfMouthReport,
                422: "A date is malformed, 'to' is before 'from', or the range is too long.",
            },
            description=(
                "Days are calendar days in the store's time zone; `from` and `to` are "
                "included. Figures come from daily roll-ups kept by scheduled tasks, so the "
                "cost grows with the number of days, not with the number of events."
            ),
        ),
        name="report_word_of_mouth",
    ),
]
