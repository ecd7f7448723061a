"""What every dashboard page shares: the page frame (navigation, notices, the CSP), log-in and
CSRF checks around pages and forms, and where a form sends the manager back to."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode
from zoneinfo import ZoneInfo

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from rcommerce.dashboard import auth, figures, numbers
from rcommerce.dashboard.auth import CSRFRefused, NotLoggedIn, Who
from rcommerce.dashboard.i18n import STRINGS, translator
from rcommerce.dashboard.labels import labeller
from rcommerce.errors import ApiError, InvalidInput
from rcommerce.templating import render
from rcommerce.web import (
    check_storable,
    in_transaction,
    read_body,
    runtime_of,
)

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
FORM_LIMIT = 64 * 1024
NAV = (
    ("overview", "/dashboard/"),
    ("reviews", "/dashboard/reviews"),
    ("questions", "/dashboard/questions"),
    ("incentives", "/dashboard/incentives"),
    ("testimonials", "/dashboard/testimonials"),
    ("advocates", "/dashboard/advocates"),
    ("conversions", "/dashboard/conversions"),
    ("campaigns", "/dashboard/campaigns"),
    ("catalogue", "/dashboard/catalogue"),
    ("report", "/dashboard/reports"),
    ("segments", "/dashboard/segments"),
    ("connectors", "/dashboard/connectors"),
    ("settings", "/dashboard/settings"),
    ("keys", "/dashboard/keys"),
)


def html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        body,
        status_code=status,
        headers={
            "Content-Security-Policy": CSP,
            "X-Frame-Options": "DENY",
            "Cache-Control": "no-store",
        },
    )


def _when(store_tz: str) -> Callable[[Any], str]:
    zone = ZoneInfo(store_tz)

    def when(value: Any) -> str:
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return str(value)
        if not isinstance(value, datetime):
            return ""
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return when


def page(
    request: Request, who: Who, template: str, http_status: int = 200, **context: Any
) -> Response:
    t = translator(who.locale)
    notice = request.query_params.get("notice")
    # Where a form sends the manager back to: this page, without the notice it showed.
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "notice"]
    here = request.url.path + (f"?{urlencode(kept)}" if kept else "")
    return html(
        render(
            f"dashboard/{template}",
            t=t,
            who=who,
            store=who.store,
            locale=who.locale,
            csrf=who.csrf,
            nav=NAV,
            path=request.url.path,
            here=here,
            notice=t(notice) if notice in STRINGS else None,
            when=_when(who.store.timezone),
            label=labeller(who.locale),
            count=lambda v: numbers.count(v, who.locale),
            money=lambda v: numbers.money(v, who.store.currency, who.locale),
            figure=lambda name, v: figures.write(name, v, who.locale, who.store.currency),
            **context,
        ),
        http_status,
    )


def message(
    request: Request, who: Who | None, title: str, text: str, status: int, locale: str = "en"
) -> Response:
    if who is not None:
        return page(request, who, "message.html", status, title=title, text=text)
    t = translator(locale)
    body = render("dashboard/message_public.html", t=t, locale=locale, title=title, text=text)
    return html(body, status)


def settings_of(request: Request) -> Any:
    return runtime_of(request).settings


def session_cookie(request: Request) -> str | None:
    return request.cookies.get(auth.SESSION_COOKIE)


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/dashboard/login?next={quote(target)}", status_code=303)


async def who_of(request: Request) -> Who:
    settings, token = settings_of(request), session_cookie(request)
    return await in_transaction(request, lambda s: auth.current(s, settings, token), readonly=True)


async def form_of(request: Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await read_body(request, FORM_LIMIT)
    if kind != "application/x-www-form-urlencoded":
        return {}  # our forms are never anything else; without fields the CSRF check refuses
    pairs = parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
    if len(pairs) > 200:
        raise InvalidInput("Too many form fields.")
    form = dict(pairs)
    check_storable(form)
    return form


Handler = Callable[[Request], Awaitable[Response]]


async def refused(request: Request, exc: ApiError) -> Response:
    """A refused request (not found, forbidden, or a bad link such as a forged cursor) as a
    page in the manager's language, under the status's title."""
    try:
        who = await who_of(request)
    except NotLoggedIn:
        return login_redirect(request)
    t = translator(who.locale)
    title = t("not_found") if exc.status == 404 else t("forbidden_title")  # 403 and 422 alike
    return message(request, who, title, t(refusal_key(exc)), exc.status)


# A refusal in the manager's words: by its code where one says more, else by its status.
REFUSAL_CODES = {
    "reason_not_allowed": "refused_invalid_reason",
    "no_consent": "no_consent",
    "too_large": "refused_too_large",
    "rate_limited": "refused_rate_limited",
}
REFUSAL_STATUSES = {
    404: "refused_not_found",
    403: "refused_forbidden",
    409: "refused_conflict",
    413: "refused_too_large",
    429: "refused_rate_limited",
}


def refusal_key(exc: ApiError) -> str:
    return REFUSAL_CODES.get(exc.code) or REFUSAL_STATUSES.get(exc.status, "refused_invalid")


def manager_page(fn: Handler) -> Handler:
    """A GET page: log in first; not-found and refused requests become pages, not JSON."""

    async def handler(request: Request) -> Response:
        try:
            return await fn(request)
        except NotLoggedIn:
            return login_redirect(request)
        except ApiError as exc:
            return await refused(request, exc)

    return handler


def manager_action(
    fn: Callable[[Request, Session, Who, dict[str, str]], str | Response],
) -> Handler:
    """A POST: session and CSRF token checked before ``fn`` runs in one transaction; ``fn``
    returns where to go next (303) or a response."""

    async def handler(request: Request) -> Response:
        settings, token = settings_of(request), session_cookie(request)
        try:
            form = await form_of(request)
        except ApiError as exc:
            locale = request.cookies.get(auth.LANG_COOKIE, "vi")
            return message(
                request, None, "", translator(locale)(refusal_key(exc)), exc.status, locale
            )

        def work(session: Session) -> str | Response:
            try:
                who = auth.current(session, settings, token)
            except NotLoggedIn:
                # No session: nothing is done (a cross-site form arrives without the cookie).
                raise CSRFRefused("Log in again: this form was sent without a session.") from None
            auth.check_csrf(who.csrf, form.get("csrf"))
            return fn(request, session, who, form)

        try:
            result = await in_transaction(request, work)
        except CSRFRefused:
            locale = request.cookies.get(auth.LANG_COOKIE, "vi")
            try:
                who = await who_of(request)
            except NotLoggedIn:
                who = None
            t = translator(who.locale if who else locale)
            return message(request, who, t("forbidden_title"), t("csrf"), 403, locale)
        except ApiError as exc:
            return await refused(request, exc)
        if isinstance(result, Response):
            return result
        return RedirectResponse(result, status_code=303)

    return handler


def own_path(target: str, default: str) -> str:
    """``target`` if it is one of our dashboard paths, else ``default``: never an open redirect."""
    if not target.startswith("/dashboard/") or "\\" in target:
        return default
    return target


def back_to(form: dict[str, str], default: str, notice: str) -> str:
    target = own_path(form.get("back", ""), default)
    joiner = "&" if "?" in target else "?"
    return f"{target}{joiner}notice={notice}"
