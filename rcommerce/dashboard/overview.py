"""The overview (the last 30 days and what waits for the manager), the store's settings and its keys."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.dashboard import auth, charts, figures, numbers
from rcommerce.dashboard import service as dashboard
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.forms import FormInvalid
from rcommerce.dashboard.i18n import translator
from rcommerce.dashboard.pages import (
    manager_action,
    manager_page,
    page,
    session_cookie,
    settings_of,
    who_of,
)
from rcommerce.reports.current import word_of_mouth_current
from rcommerce.reports.tasks import local_today
from rcommerce.stores import service as stores
from rcommerce.web import (
    in_transaction,
    runtime_of,
)


@manager_page
async def overview(request: Request) -> Response:
    settings, token, runtime = settings_of(request), session_cookie(request), runtime_of(request)

    def work(session: Session) -> tuple[Who, dict[str, Any], int, int]:
        who = auth.current(session, settings, token)
        today = local_today(who.store, runtime.now())
        data = word_of_mouth_current(
            session=session,
            settings=settings,
            store=who.store,
            first=today - timedelta(days=29),
            last=today,
            group="day",
            now=runtime.now(),
        )
        waiting, held = dashboard.to_do(session=session, store=who.store)
        return who, data, waiting, held

    who, data, waiting, held = await in_transaction(request, work)
    names = figures.names(who.locale)
    clicks = functools.partial(numbers.CLICKS.of, locale=who.locale)
    orders = functools.partial(numbers.ORDERS.of, locale=who.locale)
    chart = charts.lines(
        translator(who.locale)("trend_clicks"),
        [p["start"][5:] for p in data["periods"]],
        [
            (names["unique_clicks"], [p["unique_clicks"] for p in data["periods"]], clicks),
            (names["referred_orders"], [p["referred_orders"] for p in data["periods"]], orders),
        ],
        axis=functools.partial(numbers.decimal, locale=who.locale),
        period=translator(who.locale)("day"),
    )
    snippet = (
        f'<script src="{settings.base_url}/embed/v1/embed.js" '
        f'data-key="{who.store.publishable_key}" async></script>'
    )
    return page(
        request,
        who,
        "overview.html",
        data=data,
        waiting=waiting,
        held=held,
        chart=chart,
        snippet=snippet,
        names=names,
    )


@manager_page
async def settings_page(request: Request) -> Response:
    who = await who_of(request)
    return page(request, who, "settings.html", errors={}, typed=None)


@manager_action
def save_settings(
    request: Request, session: Session, who: Who, form: dict[str, str]
) -> str | Response:
    try:
        changes = dashboard.settings_changes(form, who.locale)
    except FormInvalid as exc:
        return page(request, who, "settings.html", 422, errors=exc.errors, typed=form)
    stores.update_store(session=session, store=who.store, changes=changes)
    return "/dashboard/settings?notice=saved"


@manager_page
async def keys_page(request: Request) -> Response:
    who = await who_of(request)
    return page(request, who, "keys.html", new_secret=None, error=None)


@manager_action
def rotate_key(request: Request, session: Session, who: Who, form: dict[str, str]) -> Response:
    t = translator(who.locale)
    if form.get("confirm") != "yes":
        return page(
            request, who, "keys.html", 422, new_secret=None, error=t("rotate_needs_confirm")
        )
    secret = stores.rotate_secret_key(session=session, store=who.store)
    return page(request, who, "keys.html", new_secret=secret, error=None)
