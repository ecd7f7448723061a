"""Connecting the shop's platform: each connector's webhook URL, deliveries, refused signatures
and coupon sync, the steps to follow in the platform's admin, and a form for its secrets."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.connectors import service as connectors
from rcommerce.connectors.models import ConnectorIn
from rcommerce.dashboard import auth, forms
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.connector_steps import NAMES, steps
from rcommerce.dashboard.forms import FormInvalid
from rcommerce.dashboard.i18n import translator
from rcommerce.dashboard.pages import (
    manager_action,
    manager_page,
    page,
    session_cookie,
    settings_of,
)
from rcommerce.web import in_transaction, runtime_of

ADMIN_FIELDS = ("base_url", "access_token", "api_key", "api_secret")


@manager_page
async def connectors_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)

    def work(session: Session) -> tuple[Who, list[connectors.Setup]]:
        who = auth.current(session, settings, token)
        return who, connectors.setup_of(session=session, settings=settings, store=who.store)

    who, setups = await in_transaction(request, work, readonly=True)
    return _page(request, who, setups)


def _page(
    request: Request,
    who: Who,
    setups: list[connectors.Setup],
    status: int = 200,
    errors: dict[str, dict[str, str]] | None = None,
) -> Response:
    return page(
        request,
        who,
        "connectors.html",
        status,
        setups=setups,
        names=NAMES,
        steps=lambda platform: steps(platform, who.locale),
        errors=errors or {},
    )


@manager_action
def save_connector(
    request: Request, session: Session, who: Who, form: dict[str, str]
) -> str | Response:
    """Blank fields keep what is saved: secrets are never shown, so never sent back either."""
    platform = connectors.platform_name(request.path_params["platform"])
    data: dict[str, Any] = {
        name: form[name].strip()
        for name in ("webhook_secret", "verify_token", "shop_domain")
        if form.get(name, "").strip()
    }
    admin = {name: form[name].strip() for name in ADMIN_FIELDS if form.get(name, "").strip()}
    if admin:
        data["admin_api"] = admin
    settings = settings_of(request)
    try:
        checked = forms.check(ConnectorIn, data, who.locale)
        assert who.store.id is not None
        if "webhook_secret" not in data and not connectors.get_connector(
            session, who.store.id, platform
        ):
            raise FormInvalid({"webhook_secret": translator(who.locale)("webhook_secret_needed")})
    except FormInvalid as exc:
        setups = connectors.setup_of(session=session, settings=settings, store=who.store)
        return _page(request, who, setups, 422, {platform: exc.errors})
    connectors.save_connector(
        session=session,
        settings=settings,
        store=who.store,
        platform=platform,
        data=checked,
        now=runtime_of(request).now(),
    )
    return f"/dashboard/connectors?notice=saved#{platform}"
