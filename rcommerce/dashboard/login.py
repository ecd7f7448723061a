"""Logging in and out of the dashboard (CSRF-protected; failures slow down the source that makes
them, rcommerce.stores.throttle), the manager's language and password."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from rcommerce import ratelimit
from rcommerce.dashboard import auth
from rcommerce.dashboard import service as dashboard
from rcommerce.dashboard.auth import CSRFRefused, NotLoggedIn, Who
from rcommerce.dashboard.i18n import translator
from rcommerce.dashboard.pages import (
    back_to,
    form_of,
    html,
    manager_action,
    manager_page,
    message,
    own_path,
    page,
    settings_of,
    who_of,
)
from rcommerce.errors import RateLimited, Unauthorized
from rcommerce.privacy import ip_hash, keyed_hash
from rcommerce.stores import service as stores
from rcommerce.stores import sessions, throttle
from rcommerce.templating import render
from rcommerce.web import (
    in_transaction,
    runtime_of,
)

LOGIN_LIMIT_PER_IP = 20  # attempts per 5 minutes from one address, whatever the account


def _login_locale(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(auth.LANG_COOKIE)
    if chosen in ("vi", "en"):
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept.startswith("en") else "vi"


def _login_page(
    request: Request,
    locale: str,
    error: str | None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    settings = settings_of(request)
    token = auth.login_csrf(settings, request.cookies.get(auth.LOGIN_CSRF_COOKIE))
    cookie = None
    if token is None:
        token, cookie = auth.new_login_csrf(settings)
    next_path = own_path(request.query_params.get("next", ""), "/dashboard/")
    body = render(
        "dashboard/login.html",
        t=translator(locale),
        locale=locale,
        csrf=token,
        error=error,
        next=next_path,
        email=request.query_params.get("email", ""),
    )
    response = html(body, status)
    response.headers.update(headers or {})
    if cookie is not None:
        auth.set_cookie(response, settings, auth.LOGIN_CSRF_COOKIE, cookie, 12 * 3600)
    if request.query_params.get("lang") in ("vi", "en"):
        auth.set_cookie(response, settings, auth.LANG_COOKIE, locale, 365 * 24 * 3600)
    return response


async def login_form(request: Request) -> Response:
    try:
        await who_of(request)
        return RedirectResponse("/dashboard/", status_code=303)
    except NotLoggedIn:
        return _login_page(request, _login_locale(request), None)


async def login(request: Request) -> Response:
    settings = settings_of(request)
    runtime = runtime_of(request)
    locale = _login_locale(request)
    t = translator(locale)
    form = await form_of(request)
    expected = auth.login_csrf(settings, request.cookies.get(auth.LOGIN_CSRF_COOKIE))
    try:
        auth.check_csrf(expected or "", form.get("csrf"))
    except CSRFRefused:
        return message(request, None, t("forbidden_title"), t("csrf"), 403, locale)
    email = form.get("email", "").strip().lower()[:320]
    password = form.get("password", "")[:1024]
    source = ip_hash(settings, request)
    account = keyed_hash(settings, "email", email)
    now = runtime.timestamp()
    try:
        await ratelimit.hit(
            runtime.cache,
            "dashboard-login-ip",
            source,
            limit=LOGIN_LIMIT_PER_IP,
            window=300,
            when_down="local",
        )
    except RateLimited as exc:
        wait = int(exc.extra.get("retry_after", 60))
        return _login_page(request, locale, t("too_many"), 429, {"Retry-After": str(wait)})
    cache = runtime.cache
    wait = await cache.call(throttle.wait_for, cache, account=account, source=source, now=now)
    if wait:
        return _login_page(request, locale, t("too_many"), 429, {"Retry-After": str(wait)})

    def work(session: Session) -> str:
        manager = stores.authenticate_manager(session=session, email=email, password=password)
        return auth.open_session(session, settings, manager)

    try:
        token = await in_transaction(request, work)
    except Unauthorized:
        if await cache.call(throttle.failed, cache, account=account, source=source, now=now):
            window = int(now // throttle.BURST_WINDOW)
            await in_transaction(
                request, lambda s: throttle.alert_burst(session=s, email=email, window=window)
            )
        return _login_page(request, locale, t("wrong_login"), 401)
    await cache.call(throttle.succeeded, cache, account=account, source=source)
    response = RedirectResponse(own_path(form.get("next", ""), "/dashboard/"), status_code=303)
    auth.set_cookie(response, settings, auth.SESSION_COOKIE, token, 14 * 24 * 3600)
    auth.clear_cookie(response, settings, auth.LOGIN_CSRF_COOKIE)
    return response


@manager_action
def logout(request: Request, session: Session, who: Who, form: dict[str, str]) -> Response:
    """End the session on the server too: a copy of the cookie no longer works."""
    sessions.close_session(session, who.session_id)
    response = RedirectResponse("/dashboard/login", status_code=303)
    auth.clear_cookie(response, settings_of(request), auth.SESSION_COOKIE)
    return response


@manager_action
def set_locale(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    dashboard.set_manager_locale(
        session=session, manager=who.manager, locale=form.get("locale", "")
    )
    return back_to(form, "/dashboard/", "saved")


# ---- the manager's password ------------------------------------------------------------------


@manager_page
async def password_page(request: Request) -> Response:
    who = await who_of(request)
    return page(request, who, "password.html", errors={})


@manager_action
def change_password(request: Request, session: Session, who: Who, form: dict[str, str]) -> Response:
    """The current password proves it is the manager; the new one ends every other session,
    and this one goes on with a fresh cookie."""
    t = translator(who.locale)
    new, again = form.get("new_password", "")[:1024], form.get("new_password_again", "")[:1024]
    errors: dict[str, str] = {}
    if len(new) < stores.MIN_PASSWORD:
        errors["new_password"] = t("password_too_short")
    elif new != again:
        errors["new_password_again"] = t("password_mismatch")
    if not errors:
        try:
            stores.change_password(
                session=session,
                manager=who.manager,
                current=form.get("current_password", "")[:1024],
                new=new,
            )
        except Unauthorized:
            errors["current_password"] = t("password_wrong")
    if errors:
        return page(request, who, "password.html", 422, errors=errors)
    response = RedirectResponse("/dashboard/password?notice=password_changed", status_code=303)
    token = auth.open_session(session, settings_of(request), who.manager)
    auth.set_cookie(response, settings_of(request), auth.SESSION_COOKIE, token, 14 * 24 * 3600)
    return response
