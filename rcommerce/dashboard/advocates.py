"""Advocates (search, block), held conversions to decide, and campaigns."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.advocates import service as advocates
from rcommerce.customers.models import SEGMENTS
from rcommerce.dashboard import auth, numbers
from rcommerce.dashboard import service as dashboard
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.forms import FormInvalid
from rcommerce.dashboard.pages import (
    back_to,
    manager_action,
    manager_page,
    page,
    session_cookie,
    settings_of,
)
from rcommerce.errors import InvalidInput
from rcommerce.referrals import advocate_figures, campaigns, decisions, read_models
from rcommerce.web import (
    MAX_ID,
    in_transaction,
    parse_query,
    runtime_of,
)


@manager_page
async def advocates_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)
    params = request.query_params
    search = params.get("q", "")[:200]
    sort = params.get("sort", "joined")
    if sort not in advocate_figures.SORTS:
        sort = "joined"
    descending = params.get("dir", "desc") != "asc"
    try:
        offset = max(int(params.get("offset", "0")), 0)
    except ValueError:
        offset = 0

    def work(session: Session) -> tuple[Who, list[dict[str, Any]], int]:
        who = auth.current(session, settings, token)
        rows, total = advocate_figures.advocates_with_figures(
            session=session,
            store=who.store,
            search=search or None,
            sort=sort,  # type: ignore[arg-type]
            descending=descending,
            limit=50,
            offset=offset,
        )
        return who, rows, total

    who, rows, total = await in_transaction(request, work, readonly=True)
    return page(
        request,
        who,
        "advocates.html",
        rows=rows,
        total=total,
        search=search,
        sort=sort,
        descending=descending,
        sorts=advocate_figures.SORTS,
        offset=offset,
        limit=50,
    )


@manager_page
async def advocate_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)
    advocate_id = int(request.path_params["advocate_id"])

    def work(session: Session) -> tuple[Who, dict[str, Any]]:
        who = auth.current(session, settings, token)
        return who, read_models.advocate_detail(session, settings, who.store, advocate_id)

    who, detail = await in_transaction(request, work, readonly=True)
    return page(request, who, "advocate.html", a=detail, reward=_reward_value(who))


def _reward_value(who: Who) -> Callable[[str, Any], str]:
    """A reward's value as what it is: a percentage, points, or money."""

    def write(kind: str, value: Any) -> str:
        if kind == "coupon_percent":
            return numbers.percent(Decimal(str(value)) / 100, who.locale)
        if kind == "points":
            return numbers.decimal(value, who.locale, 2)
        return numbers.money(value, who.store.currency, who.locale)

    return write


@manager_action
def advocate_status(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    advocate_id = int(request.path_params["advocate_id"])
    status = form.get("status", "")
    advocates.set_status(session=session, store=who.store, advocate_id=advocate_id, status=status)
    notice = "blocked" if status == "blocked" else "unblocked"
    return back_to(form, f"/dashboard/advocates/{advocate_id}", notice)


class HeldQuery(BaseModel):
    """Which page of held conversions: those older than ``before`` or newer than ``after``."""

    model_config = ConfigDict(extra="ignore")
    before: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    after: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None


@manager_page
async def conversions_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)
    query = parse_query(request, HeldQuery)
    if query.before is not None and query.after is not None:
        raise InvalidInput("Ask for the page before or after a conversion, not both.")

    def work(session: Session) -> tuple[Who, read_models.HeldPage, dict[int, dict[str, str]]]:
        who = auth.current(session, settings, token)
        held = read_models.held_for_decision(
            session=session, store=who.store, before=query.before, after=query.after
        )
        return who, held, read_models.buyers(session, held.rows)

    who, held, buyers = await in_transaction(request, work, readonly=True)
    return page(request, who, "conversions.html", held=held, buyers=buyers)


@manager_action
def conversion_action(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    runtime = runtime_of(request)
    decision = form.get("decision")
    if decision not in ("approve", "reject"):
        raise InvalidInput("decision must be approve or reject.")
    decisions.decide_conversion(
        session=session,
        store=who.store,
        conversion_id=int(request.path_params["conversion_id"]),
        approve=decision == "approve",
        decided_by=who.manager.email,
        note=form.get("note", "")[:1000] or None,
        now=runtime.now(),
    )
    return back_to(form, "/dashboard/conversions", "decided")


@manager_page
async def campaigns_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)

    def work(session: Session) -> tuple[Who, list[Any]]:
        who = auth.current(session, settings, token)
        campaigns.default_campaign(session, who.store)
        return who, campaigns.list_campaigns(session, who.store)

    who, rows = await in_transaction(request, work)
    return page(
        request,
        who,
        "campaigns.html",
        rows=rows,
        errors={},
        typed={},
        offers_of=dashboard.offers_by_segment,
        segments=SEGMENTS,
    )


@manager_action
def save_campaign(
    request: Request, session: Session, who: Who, form: dict[str, str]
) -> str | Response:
    campaign_id = request.path_params.get("campaign_id")
    campaign = campaigns.get_campaign(session, who.store, int(campaign_id)) if campaign_id else None
    try:
        changes = dashboard.campaign_changes(form, who.locale)
    except FormInvalid as exc:
        # The form again, the manager's values kept, each error next to its field.
        key = str(campaign_id or "new")
        rows = campaigns.list_campaigns(session, who.store)
        return page(
            request,
            who,
            "campaigns.html",
            422,
            rows=rows,
            errors={key: exc.errors},
            typed={key: form},
            offers_of=dashboard.offers_by_segment,
            segments=SEGMENTS,
        )
    campaigns.save_campaign(session=session, store=who.store, changes=changes, campaign=campaign)
    return "/dashboard/campaigns?notice=saved"
