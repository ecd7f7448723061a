"""The portal's catalogue: rewards the advocate can buy with points, and the form that spends
them through the ledger (the session's form token, one idempotency key per rendering)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from rcommerce.errors import NotFound
from rcommerce.portal import redeem_form, sessions
from rcommerce.referrals import catalogue, ledger
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.web import check_storable, in_transaction, runtime_of


def offers(session: Session, store: Store, points: Decimal) -> list[dict[str, Any]]:
    """The active items, cheapest first, each saying whether the points cover it."""
    return [
        {
            "id": item.id,
            "name": item.name,
            "points_cost": item.points_cost,
            "coupon_kind": item.coupon_kind,
            "coupon_value": item.coupon_value,
            "affordable": points >= item.points_cost,
        }
        for item in catalogue.items(session, store, active_only=True)
    ]


async def redeem_item(request: Request) -> Response:
    """Spend points on one catalogue item; back to the portal with the outcome."""
    runtime = runtime_of(request)
    settings = runtime.settings
    key = str(request.path_params["publishable_key"])
    if not sessions.valid_key(key):
        raise NotFound("Unknown publishable key.")
    item_id = int(request.path_params["item_id"])
    posted = await request.form(max_files=0, max_fields=10)
    form = {k: v for k, v in posted.items() if isinstance(v, str)}
    check_storable(form)
    lang = form.get("lang", "")

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        base = f"/portal/{store.publishable_key}/"
        home = base + (f"?lang={lang}&" if lang in ("vi", "en") else "?")
        raw = request.cookies.get(sessions.COOKIE)
        advocate_id = sessions.signed_in(session, settings, store, raw, runtime.now())
        if advocate_id is None or not redeem_form.token_ok(settings, raw, form.get("token", "")):
            # No session, or a form this session never showed (cross-site): nothing is spent.
            return RedirectResponse(base, status_code=303)
        try:
            answer = catalogue.redeem_item(
                session=session,
                store=store,
                advocate_id=advocate_id,
                item_id=item_id,
                idempotency_key=form.get("idempotency_key", "")[:100],
                now=runtime.now(),
            )
        except NotFound:
            return RedirectResponse(home + "notice=item_unavailable#catalogue", status_code=303)
        notice = redeem_form.redemption_notice(
            answer.status, answer.body, ledger.balance(session, advocate_id, "points")
        )
        if notice == "insufficient_balance":
            notice = "insufficient_points"
        return RedirectResponse(home + f"notice={notice}", status_code=303)

    return await in_transaction(request, work)
