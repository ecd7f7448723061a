"""HTTP for the store's backend: the segments report (JSON or CSV), a segment's customers,
one customer's segments, and the store's segment thresholds."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.customers import report, service
from rcommerce.customers.models import SegmentSettingsPublic, ThresholdsUpdate
from rcommerce.errors import InvalidInput
from rcommerce.stores.auth import authenticated
from rcommerce.stores.models import Store
from rcommerce.web import (
    Doc,
    csv_response,
    endpoint,
    in_transaction,
    json_response,
    parse_query,
    read_json,
    runtime_of,
)

DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
CSV_COLUMNS = (
    "name",
    "customers",
    "orders",
    "revenue",
    "average_order_value",
    "referral_rate",
    "review_rate",
    "revenue_share",
    "previous_revenue",
    "trend",
)
# Each segment's referral results, as columns named referral_<figure>.
REFERRAL_COLUMNS = (
    "advocates",
    "unique_clicks",
    "referred_buyers",
    "referral_revenue",
    "conversion_rate",
    "rewards_cost",
    "reward_points",
)


class RangeQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: DateText = Field(alias="from", description="First day (store's time zone).")
    to: DateText = Field(description="Last day, included.")


class MembersQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    after: Annotated[str, StringConstraints(max_length=320)] | None = Field(
        default=None, description="The last customer of the page before (its `next`)."
    )
    limit: Annotated[int, Field(ge=1, le=500)] = 100


class SegmentsReport(BaseModel):
    """Each of the six segments with its figures over the range, and its advocates' referral
    results (``referrals``; the whole programme's at the top level); rates are at most 1, but
    a referral conversion rate (referred buyers per unique click) may pass it."""

    store_id: int
    from_: str = Field(alias="from")
    to: str
    currency: str
    customers: int
    computed_at: str | None
    segments: list[dict[str, Any]]
    referrals: dict[str, Any]


class SegmentMembers(BaseModel):
    """A page of a segment's customers, each with the reason (tests matched, figures)."""

    segment: str
    customers: list[dict[str, Any]]
    next: str | None


class CustomerSegments(BaseModel):
    """A customer's segments, each with the reason."""

    customer: str
    segments: list[dict[str, Any]]
    computed_at: str | None


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name}: not a YYYY-MM-DD date", fields=[{"field": name}]) from None


def report_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, *(_referral_column(c) for c in REFERRAL_COLUMNS)])
    for row in data["segments"]:
        cells = [row[c] for c in CSV_COLUMNS] + [row["referrals"][c] for c in REFERRAL_COLUMNS]
        writer.writerow(["" if cell is None else cell for cell in cells])
    return out.getvalue()


def _referral_column(name: str) -> str:
    return name if name.startswith("referr") else f"referral_{name}"


async def segments_report(request: Request) -> Response:
    query = parse_query(request, RangeQuery)
    first, last = _day(query.from_, "from"), _day(query.to, "to")

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return report.segments_report(session=session, store=store, first=first, last=last)

    data = await in_transaction(request, work, readonly=True)
    if "text/csv" in request.headers.get("accept", "").lower():
        return csv_response(report_csv(data), f"segments-{first}-{last}.csv")
    return json_response(data, headers={"Cache-Control": "no-store"})


async def segment_members(request: Request) -> Response:
    query = parse_query(request, MembersQuery)
    segment = report.check_segment(request.path_params["segment"])

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return report.members(
            session=session, store=store, segment=segment, after=query.after, limit=query.limit
        )

    return json_response(await in_transaction(request, work, readonly=True))


async def customer(request: Request) -> Response:
    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return report.customer_segments(
            session=session, store=store, customer=request.path_params["customer"]
        )

    return json_response(await in_transaction(request, work, readonly=True))


def _settings(session: Session, store: Store) -> dict[str, Any]:
    row = service.settings_row(session, store)
    return SegmentSettingsPublic(
        thresholds=service.thresholds_of(session, store),
        customers=row.customers if row else 0,
        members=row.members if row else {},
        computed_at=row.computed_at if row else None,
    ).model_dump(mode="json")


async def get_settings(request: Request) -> Response:
    def work(session: Session) -> dict[str, Any]:
        return _settings(session, authenticated(request, session))

    return json_response(await in_transaction(request, work, readonly=True))


async def update_settings(request: Request) -> Response:
    data = await read_json(request, ThresholdsUpdate)
    now = runtime_of(request).now()

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        service.update_thresholds(session=session, store=store, data=data, now=now)
        return _settings(session, store)

    return json_response(await in_transaction(request, work))


routes = [
    endpoint(
        "/api/v1/reports/segments",
        segments_report,
        doc=Doc(
            "The shopper segments over a date range",
            tags=["reports"],
            auth="secret",
            query=RangeQuery,
            headers={"Accept": "application/json (default) or text/csv"},
            responses={200: SegmentsReport, 422: "A date is malformed or the range is wrong."},
            description=(
                "Customers are as the last segments run found them (every six hours, and "
                "soon after the thresholds change); orders, revenue and rates are those "
                "customers' orders in the range, read from daily figures. docs/segments.md "
                "defines each segment and figure."
            ),
        ),
        name="report_segments",
    ),
    endpoint(
        "/api/v1/segments/{segment:str}/customers",
        segment_members,
        doc=Doc(
            "A segment's customers with the reason each is in it",
            tags=["reports"],
            auth="secret",
            query=MembersQuery,
            responses={200: SegmentMembers, 422: "Not one of the six segments."},
        ),
        name="segment_members",
    ),
    endpoint(
        "/api/v1/customers/{customer:str}",
        customer,
        doc=Doc(
            "A customer's segments and why (by e-mail, else phone)",
            tags=["reports"],
            auth="secret",
            responses={200: CustomerSegments, 422: "Neither an e-mail nor a phone number."},
        ),
        name="customer_segments",
    ),
    endpoint(
        "/api/v1/store/segments",
        get_settings,
        doc=Doc(
            "The store's segment thresholds and what the last run found",
            tags=["store"],
            auth="secret",
            responses={200: SegmentSettingsPublic},
        ),
        name="segment_settings",
    ),
    endpoint(
        "/api/v1/store/segments",
        update_settings,
        methods=["PATCH"],
        doc=Doc(
            "Change segment thresholds (the segments are recomputed soon after)",
            tags=["store"],
            auth="secret",
            body=ThresholdsUpdate,
            responses={200: SegmentSettingsPublic, 422: "A threshold is out of its range."},
        ),
        name="segment_settings_update",
    ),
]
