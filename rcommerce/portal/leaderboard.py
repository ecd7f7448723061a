"""The portal's leaderboard: the store's top advocates of the last 30 days, the advocate's own
rank, and the form that keeps them off the public list or shows them again (the session's
double-submit form token, as every portal form)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from rcommerce.advocates import service
from rcommerce.advocates.models import Advocate
from rcommerce.errors import NotFound
from rcommerce.portal import sessions
from rcommerce.referrals import leaderboard
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.web import check_storable, in_transaction, runtime_of

PERIOD = "30d"


def board(session: Session, store: Store, advocate: Advocate, now: datetime) -> dict[str, Any]:
    """What the portal shows: the top ten (masked names, as the widget), the advocate's own row
    (None while they are not listed), and whether they keep off the list."""
    assert advocate.id is not None
    rows = leaderboard.ranking(session, store, period=PERIOD, now=now)
    return {
        "enabled": store.leaderboard_enabled,
        "top": rows[: leaderboard.DEFAULT_SIZE],
        "mine": leaderboard.own_rank(rows, advocate.id),
        "opted_out": advocate.leaderboard_opt_out,
    }


async def set_visibility(request: Request) -> Response:
    """Keep off the leaderboard (``show=0``) or appear on it again (``show=1``)."""
    runtime = runtime_of(request)
    settings = runtime.settings
    key = str(request.path_params["publishable_key"])
    if not sessions.valid_key(key):
        raise NotFound("Unknown publishable key.")
    posted = await request.form(max_files=0, max_fields=10)
    form = {k: v for k, v in posted.items() if isinstance(v, str)}
    check_storable(form)
    lang = form.get("lang", "")

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        base = f"/portal/{store.publishable_key}/"
        home = base + (f"?lang={lang}" if lang in ("vi", "en") else "")
        advocate_id = sessions.signed_in(
            session, settings, store, request.cookies.get(sessions.COOKIE), runtime.now()
        )
        csrf_cookie = request.cookies.get(sessions.CSRF_COOKIE)
        if advocate_id is None or not sessions.form_token_ok(
            settings, csrf_cookie, form.get("csrf")
        ):
            # No session, or a form this browser never showed (cross-site): nothing changes.
            return RedirectResponse(base, status_code=303)
        advocate = session.get(Advocate, advocate_id)
        if advocate is None or advocate.store_id != store.id or form.get("show") not in ("0", "1"):
            return RedirectResponse(base, status_code=303)
        service.set_leaderboard_opt_out(
            session=session, advocate=advocate, value=form["show"] == "0"
        )
        return RedirectResponse(home + "#leaderboard", status_code=303)

    return await in_transaction(request, work)
