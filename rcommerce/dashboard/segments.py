"""The customer segments page: each segment's figures over a range with a chart, its rule in
the manager's words with the store's thresholds, a segment's customers with why, and the
thresholds form."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.customers import report as segments
from rcommerce.customers import service
from rcommerce.customers.models import SEGMENTS, Thresholds, ThresholdsUpdate
from rcommerce.dashboard import auth, charts, forms, numbers, segment_words
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.forms import FormInvalid
from rcommerce.dashboard.i18n import translator
from rcommerce.dashboard.labels import labeller
from rcommerce.dashboard.pages import manager_action, manager_page, page, session_cookie
from rcommerce.dashboard.pages import settings_of as app_settings
from rcommerce.reports.report import parse_day
from rcommerce.reports.tasks import local_today
from rcommerce.web import in_transaction, runtime_of

THRESHOLDS = tuple(Thresholds.model_fields)


def _chart(who: Who, data: dict[str, Any]) -> charts.Chart:
    locale, t, label = who.locale, translator(who.locale), labeller(who.locale)
    money = functools.partial(numbers.money, currency=who.store.currency, locale=locale)
    rows = data["segments"]
    return charts.bars(
        t("segments_chart"),
        [label("segment", row["name"]) for row in rows],
        [(t("segment_revenue"), [float(row["revenue"]) for row in rows], money)],
        axis=money,
        period=t("segment"),
        slanted=True,
    )


def _page(
    request: Request,
    who: Who,
    data: dict[str, Any],
    thresholds: Thresholds,
    status: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    values = thresholds.model_dump()
    shown = {
        name: ", ".join(value) if isinstance(value, list) else str(value)
        for name, value in values.items()
    }
    return page(
        request,
        who,
        "segments.html",
        status,
        data=data,
        chart=_chart(who, data),
        rules={name: segment_words.rule(name, values, who.locale) for name in SEGMENTS},
        thresholds=THRESHOLDS,
        shown={**shown, **(typed or {})},
        errors=errors or {},
        rate=lambda v: "—" if v is None else numbers.percent(v, who.locale),
        referral_rows=[
            *((row["name"], row["referrals"]) for row in data["segments"]),
            ("all", data["referrals"]),
        ],
    )


def _range(request: Request, who: Who, runtime: Any) -> tuple[Any, Any]:
    today = local_today(who.store, runtime.now())
    params = request.query_params
    first = parse_day(params["from"], "from") if params.get("from") else today - timedelta(29)
    last = parse_day(params["to"], "to") if params.get("to") else today
    return first, last


@manager_page
async def segments_page(request: Request) -> Response:
    settings, token, runtime = app_settings(request), session_cookie(request), runtime_of(request)

    def work(session: Session) -> tuple[Who, dict[str, Any], Thresholds]:
        who = auth.current(session, settings, token)
        first, last = _range(request, who, runtime)
        data = segments.segments_report(session=session, store=who.store, first=first, last=last)
        return who, data, service.thresholds_of(session, who.store)

    who, data, thresholds = await in_transaction(request, work, readonly=True)
    return _page(request, who, data, thresholds)


@manager_page
async def segment_page(request: Request) -> Response:
    settings, token = app_settings(request), session_cookie(request)
    segment = segments.check_segment(request.path_params["segment"])
    after = request.query_params.get("after") or None

    def work(session: Session) -> tuple[Who, dict[str, Any], Thresholds]:
        who = auth.current(session, settings, token)
        found = segments.members(session=session, store=who.store, segment=segment, after=after)
        return who, found, service.thresholds_of(session, who.store)

    who, found, thresholds = await in_transaction(request, work, readonly=True)
    return page(
        request,
        who,
        "segment.html",
        segment=segment,
        found=found,
        rule=segment_words.rule(segment, thresholds.model_dump(), who.locale),
        show_figure=lambda name, value: segment_words.figure(name, value, who.locale),
    )


@manager_action
def save_thresholds(
    request: Request, session: Session, who: Who, form: dict[str, str]
) -> str | Response:
    """Blank number fields keep their threshold; the categories field is taken as typed."""
    data: dict[str, Any] = {
        name: form[name].strip()
        for name in THRESHOLDS
        if name != "entertainment_categories" and form.get(name, "").strip()
    }
    if "entertainment_categories" in form:
        data["entertainment_categories"] = [
            part.strip() for part in form["entertainment_categories"].split(",") if part.strip()
        ]
    try:
        checked = forms.check(ThresholdsUpdate, data, who.locale)
    except FormInvalid as exc:
        runtime = runtime_of(request)
        today = local_today(who.store, runtime.now())
        report = segments.segments_report(
            session=session, store=who.store, first=today - timedelta(29), last=today
        )
        typed = {name: form.get(name, "") for name in THRESHOLDS}
        thresholds = service.thresholds_of(session, who.store)
        return _page(request, who, report, thresholds, 422, exc.errors, typed)
    service.update_thresholds(
        session=session, store=who.store, data=checked, now=runtime_of(request).now()
    )
    return "/dashboard/segments?notice=saved#thresholds"
