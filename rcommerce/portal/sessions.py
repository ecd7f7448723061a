"""The advocate portal's sessions and form tokens: a signed-in session is a row on the server
(rcommerce.stores.sessions) named by a signed cookie, so signing out ends every copy of it;
each form carries a token that must match a signed cookie (double submit), so no other site
can make a browser ask for a sign-in link, spend one, or sign out."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime
from typing import Any

from sqlmodel import Session
from starlette.responses import Response

from rcommerce import signing
from rcommerce.errors import ApiError
from rcommerce.settings import Settings
from rcommerce.stores import sessions
from rcommerce.stores.models import Store

COOKIE = "rc_portal"
CSRF_COOKIE = "rc_portal_csrf"
CSRF_MAX_AGE = 12 * 3600
# What a publishable key looks like (stores.service.new_publishable_key): nothing else is ever
# put in a header, a cookie's path or a redirect.
PUBLISHABLE_KEY = re.compile(r"pk_live_[A-Za-z0-9_-]{1,64}")


def valid_key(key: str) -> bool:
    return PUBLISHABLE_KEY.fullmatch(key) is not None


def sign_in(
    session: Session, settings: Settings, store: Store, advocate_id: int, now: datetime
) -> str:
    """A new server-side session for the advocate; the cookie value that names it."""
    assert store.id is not None
    session_id = sessions.open_session(
        session,
        store_id=store.id,
        kind="advocate",
        subject_id=advocate_id,
        now=now,
        ttl=signing.PURPOSES["advocate-session"],
    )
    return signing.sign(
        settings,
        "advocate-session",
        {"kind": "advocate", "a": advocate_id, "s": store.id, "sid": session_id},
    )


def _payload(settings: Settings, raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        payload = signing.unsign(settings, "advocate-session", raw)
    except ApiError:
        return None
    if not isinstance(payload, dict) or payload.get("kind") != "advocate":
        return None
    return payload


def signed_in(
    session: Session, settings: Settings, store: Store, raw: str | None, now: datetime
) -> int | None:
    """The advocate this cookie signs in to this store's portal, if its session is open."""
    payload = _payload(settings, raw)
    if payload is None or payload.get("s") != store.id:
        return None
    advocate_id = payload.get("a")
    if not isinstance(advocate_id, int):
        return None
    alive = sessions.session_alive(
        session, payload.get("sid"), kind="advocate", subject_id=advocate_id, now=now
    )
    return advocate_id if alive else None


def sign_out(session: Session, settings: Settings, raw: str | None) -> None:
    payload = _payload(settings, raw)
    if payload is not None:
        sessions.close_session(session, payload.get("sid"))


def form_token(settings: Settings, cookie: str | None) -> tuple[str, str | None]:
    """(the token for this page's forms, a new cookie value to set, or None to keep it)."""
    if cookie:
        try:
            value = signing.unsign(settings, "csrf", cookie, max_age=CSRF_MAX_AGE)
        except ApiError:
            value = None
        if isinstance(value, str) and value:
            return value, None
    token = secrets.token_urlsafe(24)
    return token, signing.sign(settings, "csrf", token)


def form_token_ok(settings: Settings, cookie: str | None, sent: str | None) -> bool:
    if not cookie or not sent:
        return False
    try:
        expected = signing.unsign(settings, "csrf", cookie, max_age=CSRF_MAX_AGE)
    except ApiError:
        return False
    return isinstance(expected, str) and hmac.compare_digest(expected, sent)


def set_cookie(
    response: Response, settings: Settings, store: Store, name: str, value: str, max_age: int
) -> None:
    """A cookie of this store's portal only (its path), from known values only."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=f"/portal/{store.publishable_key}/",
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
    )


def clear_cookie(response: Response, settings: Settings, store: Store, name: str) -> None:
    response.delete_cookie(
        name,
        path=f"/portal/{store.publishable_key}/",
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
    )
