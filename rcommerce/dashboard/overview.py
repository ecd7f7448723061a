"""The overview (the last 30 days and what waits for the manager), the store's settings and its keys."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.dashboard import auth, charts
from rcommerce.dashboard import service as dashboard
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.i18n import translator
from rcommerce.dashboard.pages import (
    manager_action,
    manager_page,
    page,
    session_cookie,
    settings_of,
    who_of,
)
from rcommerce.dashboard.report import metric_names
from rcommerce.reports import report as reports
from rcommerce.reports.definitions import DEFINITIONS
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
        data = reports.word_of_mouth(
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
    t = translator(who.locale)
    labels = [p["start"][5:] for p in data["periods"]]
    chart = charts.lines(
        t("trend_clicks"),
        labels,
        [
            (t("unique_clicks"), [p["unique_clicks"] for p in data["periods"]]),
            (
                DEFINITIONS["referred_orders"][0 if who.locale == "en" else 1],
                [p["referred_orders"] for p in data["periods"]],
            ),
        ],
        t("no_data"),
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
        names=metric_names(who.locale),
    )


@manager_page
async def settings_page(request: Request) -> Response:
    who = await who_of(request)
    return page(request, who, "settings.html", form=None, error=None)


@manager_action
def save_settings(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:

    changes = dashboard.settings_changes(form)
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
