"""Manager sessions and CSRF for the dashboard.

The session is a row on the server (rcommerce.stores.sessions: logging out deletes it, so a
copied cookie stops working) and a signed cookie (purpose "session", 14 days) naming it, the
manager, a tag of the current password hash (so a password change ends every other session)
and the session's CSRF token; every form carries that token in a hidden field and every POST is
checked against it.
Before login, a separate signed cookie holds the login form's token (double submit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from starlette.responses import Response

from rcommerce import signing
from rcommerce.errors import ApiError
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores import sessions
from rcommerce.stores.models import Manager, Store

SESSION_COOKIE = "rc_session"
LOGIN_CSRF_COOKIE = "rc_login_csrf"
LANG_COOKIE = "rc_lang"


class NotLoggedIn(Exception):
    """No valid session: the page redirects to the login form."""


class CSRFRefused(ApiError):
    status, code = 403, "csrf_refused"


@dataclass(frozen=True)
class Who:
    manager: Manager
    store: Store
    csrf: str
    session_id: str

    @property
    def locale(self) -> str:
        locale = self.manager.locale or self.store.locale
        return locale if locale in ("vi", "en") else "en"


def password_tag(manager: Manager) -> str:
    return hashlib.sha256(manager.password_hash.encode()).hexdigest()[:16]


def open_session(session: Session, settings: Settings, manager: Manager) -> str:
    """Sign the manager in: a new server-side session and the cookie value that names it."""
    runtime: Runtime = session.info["runtime"]
    assert manager.id is not None
    session_id = sessions.open_session(
        session,
        store_id=manager.store_id,
        kind="manager",
        subject_id=manager.id,
        now=runtime.now(),
        ttl=signing.PURPOSES["session"],
    )
    return signing.sign(
        settings,
        "session",
        {
            "m": manager.id,
            "p": password_tag(manager),
            "c": secrets.token_urlsafe(24),
            "s": session_id,
        },
    )


def current(session: Session, settings: Settings, token: str | None) -> Who:
    """The logged-in manager and their store, or NotLoggedIn."""
    if not token:
        raise NotLoggedIn
    try:
        payload: Any = signing.unsign(settings, "session", token)
    except ApiError:
        raise NotLoggedIn from None
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int):
        raise NotLoggedIn
    manager = session.get(Manager, payload["m"])
    if manager is None or not hmac.compare_digest(str(payload.get("p", "")), password_tag(manager)):
        raise NotLoggedIn
    runtime: Runtime = session.info["runtime"]
    session_id = payload.get("s")
    if not sessions.session_alive(
        session, session_id, kind="manager", subject_id=payload["m"], now=runtime.now()
    ):
        raise NotLoggedIn  # logged out (or signed before sessions were kept on the server)
    store = session.get(Store, manager.store_id)
    if store is None:
        raise NotLoggedIn
    return Who(manager, store, str(payload.get("c", "")), str(session_id))


def check_csrf(expected: str, sent: str | None) -> None:
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise CSRFRefused(
            "The form is missing its security token or it has expired; reload the page."
        )


def login_csrf(settings: Settings, cookie: str | None) -> str | None:
    """The login form's token from its cookie, if the cookie is ours and fresh."""
    if not cookie:
        return None
    try:
        value = signing.unsign(settings, "csrf", cookie, max_age=3600 * 12)
    except ApiError:
        return None
    return value if isinstance(value, str) else None


def new_login_csrf(settings: Settings) -> tuple[str, str]:
    """(token for the form, signed cookie value)."""
    token = secrets.token_urlsafe(24)
    return token, signing.sign(settings, "csrf", token)


def set_cookie(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/dashboard",
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
    )


def clear_cookie(response: Response, settings: Settings, name: str) -> None:
    response.delete_cookie(
        name,
        path="/dashboard",
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
    )
