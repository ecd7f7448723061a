"""The catalogue of rewards for points: the store's items with their state, a form to add
one, and withdrawing or offering one again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.dashboard import auth, forms
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.forms import FormInvalid
from rcommerce.dashboard.pages import (
    manager_action,
    manager_page,
    page,
    session_cookie,
    settings_of,
)
from rcommerce.referrals import catalogue
from rcommerce.referrals.models import CatalogueItemIn, CatalogueItemUpdate
from rcommerce.stores import service as stores
from rcommerce.stores.models import StoreUpdate
from rcommerce.web import in_transaction, runtime_of

KINDS = ("coupon_fixed", "coupon_percent", "free_shipping")


def _page(
    request: Request,
    who: Who,
    session: Session,
    status: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    settings_errors: dict[str, str] | None = None,
) -> Response:
    return page(
        request,
        who,
        "catalogue.html",
        status,
        items=catalogue.items(session, who.store),
        kinds=KINDS,
        errors=errors or {},
        typed=typed or {},
        settings_errors=settings_errors or {},
        plain=lambda value: f"{Decimal(value).normalize():f}",
    )


@manager_page
async def catalogue_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)

    def work(session: Session) -> Response:
        who = auth.current(session, settings, token)
        return _page(request, who, session)

    return await in_transaction(request, work, readonly=True)


@manager_action
def add_item(request: Request, session: Session, who: Who, form: dict[str, str]) -> str | Response:
    data: dict[str, Any] = {
        name: form.get(name, "").strip() for name in ("name", "points_cost", "coupon_kind")
    }
    if form.get("coupon_value", "").strip():
        data["coupon_value"] = form["coupon_value"].strip()
    try:
        checked = forms.check(CatalogueItemIn, data, who.locale)
    except FormInvalid as exc:
        return _page(request, who, session, 422, exc.errors, dict(form))
    catalogue.create_item(
        session=session, store=who.store, data=checked, now=runtime_of(request).now()
    )
    return "/dashboard/catalogue?notice=saved"


@manager_action
def toggle_item(
    request: Request, session: Session, who: Who, form: dict[str, str]
) -> str | Response:
    item = catalogue.get_item(session, who.store, int(request.path_params["item_id"]))
    catalogue.update_item(
        session=session,
        store=who.store,
        item_id=int(request.path_params["item_id"]),
        data=CatalogueItemUpdate(active=not item.active),
    )
    return "/dashboard/catalogue?notice=saved"


@manager_action
def save_points_settings(
    request: Request, session: Session, who: Who, form: dict[str, str]
) -> str | Response:
    """The store's points settings, checked like PATCH /api/v1/store checks them: a blank
    expiry means points never expire, a blank rate no points for purchases; and whether the
    advocates' leaderboard shows (widget and portal)."""
    names = ("points_expire_days", "points_per_order_amount", "points_order_amount")
    typed = {name: form.get(name, "").strip() for name in names}
    raw: dict[str, Any] = {name: value or None for name, value in typed.items()}
    if raw["points_order_amount"] is None:
        raw.pop("points_order_amount")  # keeps the store's step
    try:
        checked = forms.check(StoreUpdate, raw, who.locale)
    except FormInvalid as exc:
        return _page(request, who, session, 422, settings_errors=exc.errors)
    changes = checked.model_dump(include=set(raw))
    changes["leaderboard_enabled"] = form.get("leaderboard_enabled") == "1"  # a checkbox
    stores.update_store(session=session, store=who.store, changes=changes)
    return "/dashboard/catalogue?notice=saved"
