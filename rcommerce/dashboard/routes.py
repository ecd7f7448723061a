"""The manager dashboard's pages under /dashboard/ (server-rendered; pages, not API, so they are
plain routes kept out of /openapi.json).

Every page checks the session; every POST checks the session's CSRF token and is refused with
403 without it. Pages send a strict Content-Security-Policy: no script at all, styles from
our own stylesheet, charts as inline SVG.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from rcommerce import ratelimit
from rcommerce.advocates import service as advocates
from rcommerce.dashboard import auth, charts
from rcommerce.dashboard import service as dashboard
from rcommerce.dashboard.auth import CSRFRefused, NotLoggedIn, Who
from rcommerce.dashboard.i18n import STRINGS, translator
from rcommerce.errors import ApiError, InvalidInput, NotFound, RateLimited, Unauthorized
from rcommerce.privacy import ip_hash, keyed_hash
from rcommerce.referrals import campaigns, decisions, read_models
from rcommerce.referrals.models import CampaignFields
from rcommerce.reports import report as reports
from rcommerce.reports.service import read_with_rollup
from rcommerce.reports.tasks import local_today
from rcommerce.reviews import moderation
from rcommerce.reviews import service as reviews
from rcommerce.stores import service as stores
from rcommerce.templating import format_money, render
from rcommerce.web import (
    MAX_ID,
    csv_response,
    in_transaction,
    parse_query,
    read_body,
    runtime_of,
    validate,
)

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
FORM_LIMIT = 64 * 1024
LOGIN_LIMIT_PER_IP = 20  # per 5 minutes
LOGIN_LIMIT_PER_EMAIL = 10  # per 15 minutes
NAV = (
    ("overview", "/dashboard/"),
    ("reviews", "/dashboard/reviews"),
    ("testimonials", "/dashboard/testimonials"),
    ("advocates", "/dashboard/advocates"),
    ("conversions", "/dashboard/conversions"),
    ("campaigns", "/dashboard/campaigns"),
    ("report", "/dashboard/reports"),
    ("settings", "/dashboard/settings"),
    ("keys", "/dashboard/keys"),
)
REVIEW_TABS = ("pending", "received", "published", "rejected", "unpublished")


# ---- plumbing ------------------------------------------------------------------------------


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
            money=lambda v: format_money(v, who.store.currency),
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


def _settings(request: Request) -> Any:
    return runtime_of(request).settings


def _token(request: Request) -> str | None:
    return request.cookies.get(auth.SESSION_COOKIE)


def _login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/dashboard/login?next={quote(target)}", status_code=303)


async def who_of(request: Request) -> Who:
    settings, token = _settings(request), _token(request)
    return await in_transaction(request, lambda s: auth.current(s, settings, token), readonly=True)


async def form_of(request: Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await read_body(request, FORM_LIMIT)
    if kind != "application/x-www-form-urlencoded":
        return {}  # our forms are never anything else; without fields the CSRF check refuses
    pairs = parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
    if len(pairs) > 200:
        raise InvalidInput("Too many form fields.")
    return dict(pairs)


Handler = Callable[[Request], Awaitable[Response]]


async def _refused(request: Request, exc: ApiError) -> Response:
    """A refused request (not found, forbidden, or a bad link such as a forged cursor) as a
    page in the manager's language, under the status's title."""
    try:
        who = await who_of(request)
    except NotLoggedIn:
        return _login_redirect(request)
    t = translator(who.locale)
    title = t("not_found") if exc.status == 404 else t("forbidden_title")  # 403 and 422 alike
    return message(request, who, title, exc.message, exc.status)


def manager_page(fn: Handler) -> Handler:
    """A GET page: log in first; not-found and refused requests become pages, not JSON."""

    async def handler(request: Request) -> Response:
        try:
            return await fn(request)
        except NotLoggedIn:
            return _login_redirect(request)
        except ApiError as exc:
            return await _refused(request, exc)

    return handler


def manager_action(
    fn: Callable[[Request, Session, Who, dict[str, str]], str | Response],
) -> Handler:
    """A POST: session and CSRF token checked before ``fn`` runs in one transaction; ``fn``
    returns where to go next (303) or a response."""

    async def handler(request: Request) -> Response:
        settings, token = _settings(request), _token(request)
        try:
            form = await form_of(request)
        except ApiError as exc:
            return message(request, None, "", exc.message, exc.status)

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
            return await _refused(request, exc)
        if isinstance(result, Response):
            return result
        return RedirectResponse(result, status_code=303)

    return handler


def _own_path(target: str, default: str) -> str:
    """``target`` if it is one of our dashboard paths, else ``default``: never an open redirect."""
    if not target.startswith("/dashboard/") or "\\" in target:
        return default
    return target


def _back(form: dict[str, str], default: str, notice: str) -> str:
    target = _own_path(form.get("back", ""), default)
    joiner = "&" if "?" in target else "?"
    return f"{target}{joiner}notice={notice}"


# ---- login ---------------------------------------------------------------------------------


def _login_locale(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(auth.LANG_COOKIE)
    if chosen in ("vi", "en"):
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept.startswith("en") else "vi"


def _login_page(request: Request, locale: str, error: str | None, status: int = 200) -> Response:
    settings = _settings(request)
    token = auth.login_csrf(settings, request.cookies.get(auth.LOGIN_CSRF_COOKIE))
    cookie = None
    if token is None:
        token, cookie = auth.new_login_csrf(settings)
    next_path = _own_path(request.query_params.get("next", ""), "/dashboard/")
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
    settings = _settings(request)
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
    try:
        ratelimit.hit(
            runtime.cache,
            "dashboard-login-ip",
            ip_hash(settings, request),
            limit=LOGIN_LIMIT_PER_IP,
            window=300,
        )
        ratelimit.hit(
            runtime.cache,
            "dashboard-login-email",
            keyed_hash(settings, "email", email),
            limit=LOGIN_LIMIT_PER_EMAIL,
            window=900,
        )
    except RateLimited:
        return _login_page(request, locale, t("too_many"), 429)

    def work(session: Session) -> str:
        manager = stores.authenticate_manager(session=session, email=email, password=password)
        return auth.session_token(settings, manager)

    try:
        token = await in_transaction(request, work)
    except Unauthorized:
        return _login_page(request, locale, t("wrong_login"), 401)
    response = RedirectResponse(_own_path(form.get("next", ""), "/dashboard/"), status_code=303)
    auth.set_cookie(response, settings, auth.SESSION_COOKIE, token, 14 * 24 * 3600)
    auth.clear_cookie(response, settings, auth.LOGIN_CSRF_COOKIE)
    return response


@manager_action
def logout(request: Request, session: Session, who: Who, form: dict[str, str]) -> Response:
    response = RedirectResponse("/dashboard/login", status_code=303)
    auth.clear_cookie(response, _settings(request), auth.SESSION_COOKIE)
    return response


@manager_action
def set_locale(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    dashboard.set_manager_locale(
        session=session, manager=who.manager, locale=form.get("locale", "")
    )
    return _back(form, "/dashboard/", "saved")


# ---- overview, settings, keys ---------------------------------------------------------------


@manager_page
async def overview(request: Request) -> Response:
    settings, token, runtime = _settings(request), _token(request), runtime_of(request)

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
                reports.DEFINITIONS["referred_orders"][0 if who.locale == "en" else 1],
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
        names=_names(who.locale),
    )


def _names(locale: str) -> dict[str, str]:
    index = 1 if locale == "vi" else 0
    return {name: entry[index] for name, entry in reports.DEFINITIONS.items()}


def _definitions(locale: str) -> dict[str, str]:
    index = 3 if locale == "vi" else 2
    return {name: entry[index] for name, entry in reports.DEFINITIONS.items()}


@manager_page
async def settings_page(request: Request) -> Response:
    who = await who_of(request)
    return page(request, who, "settings.html", form=None, error=None)


@manager_action
def save_settings(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    runtime_of(request)
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


# ---- the report ----------------------------------------------------------------------------


def _report_range(request: Request, who: Who, now: datetime) -> tuple[date, date, str]:
    today = local_today(who.store, now)
    params = request.query_params
    first = (
        reports.parse_day(params["from"], "from")
        if params.get("from")
        else today - timedelta(days=29)
    )
    last = reports.parse_day(params["to"], "to") if params.get("to") else today
    group = params.get("group", "day")
    if group not in reports.GROUPS:
        raise InvalidInput("group must be day, week or month.")
    return first, last, group


async def _report_data(request: Request) -> tuple[Who, dict[str, Any]]:
    settings, token, runtime = _settings(request), _token(request), runtime_of(request)

    def work(session: Session, fill: bool) -> tuple[Who, dict[str, Any]]:
        who = auth.current(session, settings, token)
        first, last, group = _report_range(request, who, runtime.now())
        data = reports.word_of_mouth(
            session=session,
            settings=settings,
            store=who.store,
            first=first,
            last=last,
            group=group,  # type: ignore[arg-type]
            now=runtime.now(),
            fill=fill,
        )
        return who, data

    return await run_in_threadpool(read_with_rollup, runtime, work)


@manager_page
async def report_page(request: Request) -> Response:
    who, data = await _report_data(request)
    t = translator(who.locale)
    names = _names(who.locale)
    periods = data["periods"]
    labels = [p["start"] if data["group"] != "day" else p["start"][5:] for p in periods]
    figures = {
        "clicks": charts.lines(
            t("trend_clicks"),
            labels,
            [
                (names["clicks"], [p["clicks"] for p in periods]),
                (names["unique_clicks"], [p["unique_clicks"] for p in periods]),
                (names["referred_orders"], [p["referred_orders"] for p in periods]),
            ],
            t("no_data"),
        ),
        "revenue": charts.bars(
            t("trend_revenue"),
            labels,
            [
                (names["referred_revenue"], [float(p["referred_revenue"]) for p in periods]),
                (names["reward_cost"], [float(p["reward_cost"]) for p in periods]),
            ],
            t("no_data"),
        ),
        "rating": charts.lines(
            t("trend_rating"),
            labels,
            [(names["average_rating"], [p["average_rating"] for p in periods])],
            t("no_data"),
        ),
        "distribution": charts.bars(
            t("rating_distribution"),
            ["★1", "★2", "★3", "★4", "★5"],
            [(names["reviews"], [float(v) for v in data["ratings"].values()])],
            t("no_data"),
        ),
        "sentiment": charts.bars(
            t("trend_sentiment"),
            labels,
            [
                (names["positive"], [p["positive"] for p in periods]),
                (names["neutral"], [p["neutral"] for p in periods]),
                (names["negative"], [p["negative"] for p in periods]),
            ],
            t("no_data"),
            stacked=True,
        ),
        "channels": charts.bars(
            t("channels"),
            [c["channel"] for c in data["channels"]],
            [
                (names["clicks"], [c["clicks"] for c in data["channels"]]),
                (names["unique_clicks"], [c["unique_clicks"] for c in data["channels"]]),
            ],
            t("no_data"),
        ),
    }
    query = urlencode({"from": data["from"], "to": data["to"], "group": data["group"]})
    return page(
        request,
        who,
        "report.html",
        data=data,
        figures=figures,
        names=names,
        definitions=_definitions(who.locale),
        columns=reports.PERIOD_COLUMNS,
        tables=reports.TABLES,
        query=query,
    )


@manager_page
async def report_csv(request: Request) -> Response:
    table = request.query_params.get("table", "periods")
    if table not in reports.TABLES:
        raise InvalidInput(f"table must be one of {', '.join(reports.TABLES)}.")
    _, data = await _report_data(request)
    name = f"word-of-mouth-{table}-{data['from']}-{data['to']}.csv"
    return csv_response(reports.csv_table(data, table), name)


# ---- reviews and testimonials ----------------------------------------------------------------


@manager_page
async def reviews_page(request: Request) -> Response:
    settings, token = _settings(request), _token(request)
    status = request.query_params.get("status", "pending")
    if status not in REVIEW_TABS:
        status = "pending"
    cursor = request.query_params.get("cursor") or None

    def work(session: Session) -> tuple[Who, list[Any], str | None]:
        who = auth.current(session, settings, token)
        query = validate(
            reviews.AdminReviewQuery, {"status": status, "cursor": cursor, "limit": 25}
        )
        rows, more = reviews.list_admin(session=session, store=who.store, query=query)
        featured = reviews.featured_ids(session, who.store, rows)
        return who, [(r, r.id in featured) for r in rows], more

    who, rows, more = await in_transaction(request, work, readonly=True)
    return page(
        request,
        who,
        "reviews.html",
        rows=rows,
        status=status,
        tabs=REVIEW_TABS,
        more=more,
        reasons=list(moderation.REJECT_REASONS),
    )


def _review_action(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    runtime = runtime_of(request)
    review_id = int(request.path_params["review_id"])
    action = request.path_params["action"]
    now = runtime.now()
    actor = f"manager:{who.manager.email}"[:100]
    if action == "approve":
        reviews.manager_update(
            session=session,
            store=who.store,
            review_id=review_id,
            data=reviews.StatusUpdate(status="published"),
            actor=actor,
            now=now,
        )
        notice = "approved"
    elif action == "reject":
        reviews.manager_update(
            session=session,
            store=who.store,
            review_id=review_id,
            data=validate(
                reviews.StatusUpdate,
                {
                    "status": "rejected",
                    "reason": form.get("reason") or None,
                    "note": form.get("note", ""),
                },
            ),
            actor=actor,
            now=now,
        )
        notice = "rejected"
    elif action == "reply":
        body = validate(reviews.ReplyIn, {"body": form.get("body", "")}).body
        reviews.set_reply(session=session, store=who.store, review_id=review_id, body=body, now=now)
        notice = "replied"
    elif action == "feature":
        reviews.feature_review(session=session, store=who.store, review_id=review_id, now=now)
        reviews.get_review(session, who.store, review_id)
        notice = "featured"
    else:
        raise NotFound(f"Nothing at {request.url.path}.")
    return _back(form, "/dashboard/reviews", notice)


review_action = manager_action(_review_action)


@manager_page
async def testimonials_page(request: Request) -> Response:
    settings, token = _settings(request), _token(request)

    def work(session: Session) -> tuple[Who, list[Any]]:
        who = auth.current(session, settings, token)
        return who, reviews.all_testimonials(session, who.store)

    who, rows = await in_transaction(request, work, readonly=True)
    return page(
        request, who, "testimonials.html", rows=rows, reasons=list(moderation.REJECT_REASONS)
    )


@manager_action
def testimonial_action(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    data: dict[str, Any] = {"note": form.get("note", "")}
    if form.get("status"):
        data["status"] = form["status"]
        data["reason"] = form.get("reason") or None
    if form.get("position", "").strip():
        data["position"] = form["position"].strip()
    reviews.update_testimonial(
        session=session,
        store=who.store,
        testimonial_id=int(request.path_params["testimonial_id"]),
        data=validate(reviews.TestimonialUpdate, data),
        now=runtime_of(request).now(),
    )
    return _back(form, "/dashboard/testimonials", "saved")


# ---- advocates, conversions, campaigns ------------------------------------------------------


@manager_page
async def advocates_page(request: Request) -> Response:
    settings, token = _settings(request), _token(request)
    search = request.query_params.get("q", "")[:200]
    try:
        offset = max(int(request.query_params.get("offset", "0")), 0)
    except ValueError:
        offset = 0

    def work(session: Session) -> tuple[Who, list[Any], int]:
        who = auth.current(session, settings, token)
        rows, total = advocates.list_advocates(
            session=session, store=who.store, search=search or None, limit=50, offset=offset
        )
        return who, rows, total

    who, rows, total = await in_transaction(request, work, readonly=True)
    return page(
        request,
        who,
        "advocates.html",
        rows=rows,
        total=total,
        search=search,
        offset=offset,
        limit=50,
    )


@manager_page
async def advocate_page(request: Request) -> Response:
    settings, token = _settings(request), _token(request)
    advocate_id = int(request.path_params["advocate_id"])

    def work(session: Session) -> tuple[Who, dict[str, Any]]:
        who = auth.current(session, settings, token)
        return who, read_models.advocate_detail(session, settings, who.store, advocate_id)

    who, detail = await in_transaction(request, work, readonly=True)
    return page(request, who, "advocate.html", a=detail)


@manager_action
def advocate_status(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    advocate_id = int(request.path_params["advocate_id"])
    status = form.get("status", "")
    advocates.set_status(session=session, store=who.store, advocate_id=advocate_id, status=status)
    notice = "blocked" if status == "blocked" else "unblocked"
    return _back(form, f"/dashboard/advocates/{advocate_id}", notice)


class HeldQuery(BaseModel):
    """Which page of held conversions: those older than ``before`` or newer than ``after``."""

    model_config = ConfigDict(extra="ignore")
    before: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    after: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None


@manager_page
async def conversions_page(request: Request) -> Response:
    settings, token = _settings(request), _token(request)
    query = parse_query(request, HeldQuery)
    if query.before is not None and query.after is not None:
        raise InvalidInput("Ask for the page before or after a conversion, not both.")

    def work(session: Session) -> tuple[Who, read_models.HeldPage]:
        who = auth.current(session, settings, token)
        held = read_models.held_for_decision(
            session=session, store=who.store, before=query.before, after=query.after
        )
        return who, held

    who, held = await in_transaction(request, work, readonly=True)
    return page(request, who, "conversions.html", held=held)


@manager_action
def conversion_action(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    runtime = runtime_of(request)
    decision = form.get("decision")
    if decision not in ("approve", "reject"):
        raise InvalidInput("decision must be approve or reject.")
    decisions.decide_conversion(
        session=session,
        store=who.store,
        conversion_id=int(request.path_params["conversion_id"]),
        approve=decision == "approve",
        decided_by=who.manager.email,
        note=form.get("note", "")[:1000] or None,
        now=runtime.now(),
    )
    return _back(form, "/dashboard/conversions", "decided")


@manager_page
async def campaigns_page(request: Request) -> Response:
    settings, token = _settings(request), _token(request)

    def work(session: Session) -> tuple[Who, list[Any]]:
        who = auth.current(session, settings, token)
        campaigns.default_campaign(session, who.store)
        return who, campaigns.list_campaigns(session, who.store)

    who, rows = await in_transaction(request, work)
    return page(request, who, "campaigns.html", rows=rows)


CAMPAIGN_FIELDS = (
    "name",
    "advocate_reward_kind",
    "advocate_reward_value",
    "friend_reward_kind",
    "friend_reward_value",
    "min_order_total",
    "cap_per_advocate",
    "cap_period_days",
    "attribution_window_days",
    "hold_days",
    "velocity_limit",
)


@manager_action
def save_campaign(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    raw: dict[str, Any] = {
        name: form[name].strip() for name in CAMPAIGN_FIELDS if form.get(name, "").strip()
    }
    raw["active"] = form.get("active") == "on"
    raw["is_default"] = form.get("is_default") == "on"
    changes = validate(CampaignFields, raw).model_dump(exclude_none=True)
    if "cap_per_advocate" not in raw:
        changes["cap_per_advocate"] = None  # an empty field means no cap
    campaign_id = request.path_params.get("campaign_id")
    campaign = campaigns.get_campaign(session, who.store, int(campaign_id)) if campaign_id else None
    campaigns.save_campaign(session=session, store=who.store, changes=changes, campaign=campaign)
    return "/dashboard/campaigns?notice=saved"


async def dashboard_root_redirect(request: Request) -> Response:
    return RedirectResponse("/dashboard/", status_code=308)


routes: list[BaseRoute] = [
    Route("/dashboard", dashboard_root_redirect),
    Route("/dashboard/", overview, name="dashboard"),
    Route("/dashboard/login", login_form, methods=["GET"], name="dashboard_login"),
    Route("/dashboard/login", login, methods=["POST"]),
    Route("/dashboard/logout", logout, methods=["POST"], name="dashboard_logout"),
    Route("/dashboard/locale", set_locale, methods=["POST"]),
    Route("/dashboard/settings", settings_page, methods=["GET"], name="dashboard_settings"),
    Route("/dashboard/settings", save_settings, methods=["POST"]),
    Route("/dashboard/keys", keys_page, methods=["GET"], name="dashboard_keys"),
    Route("/dashboard/keys/rotate", rotate_key, methods=["POST"]),
    Route("/dashboard/reports", report_page, name="dashboard_report"),
    Route("/dashboard/reports.csv", report_csv, name="dashboard_report_csv"),
    Route("/dashboard/reviews", reviews_page, name="dashboard_reviews"),
    Route("/dashboard/reviews/{review_id:int}/{action:str}", review_action, methods=["POST"]),
    Route("/dashboard/testimonials", testimonials_page, name="dashboard_testimonials"),
    Route("/dashboard/testimonials/{testimonial_id:int}", testimonial_action, methods=["POST"]),
    Route("/dashboard/advocates", advocates_page, name="dashboard_advocates"),
    Route("/dashboard/advocates/{advocate_id:int}", advocate_page, name="dashboard_advocate"),
    Route("/dashboard/advocates/{advocate_id:int}/status", advocate_status, methods=["POST"]),
    Route("/dashboard/conversions", conversions_page, name="dashboard_conversions"),
    Route("/dashboard/conversions/{conversion_id:int}", conversion_action, methods=["POST"]),
    Route("/dashboard/campaigns", campaigns_page, methods=["GET"], name="dashboard_campaigns"),
    Route("/dashboard/campaigns", save_campaign, methods=["POST"]),
    Route("/dashboard/campaigns/{campaign_id:int}", save_campaign, methods=["POST"]),
    Mount("/dashboard/static", StaticFiles(directory=STATIC), name="dashboard_static"),
]
