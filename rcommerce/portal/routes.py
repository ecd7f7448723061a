"""The advocate portal: magic-link sign-in by e-mail, then a page with the link, code, QR,
share buttons, clicks, conversions, rewards and balance. Vietnamese and English."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from rcommerce import privacy, ratelimit, signing
from rcommerce.advocates import service
from rcommerce.advocates.i18n import t
from rcommerce.advocates.models import Advocate
from rcommerce.errors import ApiError, NotFound
from rcommerce.portal import catalogue, leaderboard, redeem_form, sessions, share
from rcommerce.referrals import ledger, points_expiry, read_models, tiers, wallet
from rcommerce.referrals.rewards import describe_reward
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.templating import render
from rcommerce.web import Doc, check_storable, endpoint, in_transaction, runtime_of

LOGIN_PER_IP_PER_MINUTE = 5
STATIC = Path(__file__).parent / "static"
# Our own stylesheet and one small script of our own (copy, native share); nothing inline.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def _lang(request: Request, store: Store) -> str:
    lang = request.query_params.get("lang")
    return lang if lang in ("vi", "en") else store.locale


def _key(request: Request) -> str:
    """The publishable key in the path, if it looks like one (a 404 otherwise): only a key
    read back from the store is ever written into a header."""
    key = str(request.path_params["publishable_key"])
    if not sessions.valid_key(key):
        raise NotFound("Unknown publishable key.")
    return key


def _page(request: Request, store: Store, template: str, status: int = 200, **ctx: Any) -> Response:
    """An HTML page of the portal, under a strict Content-Security-Policy, with the token its
    forms send back (double-submit: the same value in a cookie of ours)."""
    settings = runtime_of(request).settings
    lang = _lang(request, store)
    token, new_cookie = sessions.form_token(settings, request.cookies.get(sessions.CSRF_COOKIE))
    html = render(
        f"portal/{template}",
        store=store,
        lang=lang,
        base=f"/portal/{store.publishable_key}/",
        t=lambda key, **v: t(lang, key, **v),
        csrf=token,
        **ctx,
    )
    response = HTMLResponse(
        html,
        status_code=status,
        headers={
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "Content-Security-Policy": CSP,
        },
    )
    if new_cookie is not None:
        sessions.set_cookie(
            response, settings, store, sessions.CSRF_COOKIE, new_cookie, sessions.CSRF_MAX_AGE
        )
    return response


def _refused_form(request: Request, store: Store) -> Response:
    lang = _lang(request, store)
    return _page(
        request,
        store,
        "confirm.html",
        status=403,
        heading=t(lang, "portal.title"),
        message=t(lang, "portal.form_expired"),
        action=None,
    )


async def _form(request: Request, fields: int) -> dict[str, str]:
    posted = await request.form(max_files=0, max_fields=fields)
    form = {k: v for k, v in posted.items() if isinstance(v, str)}
    check_storable(form)
    return form


def _form_ok(request: Request, form: dict[str, str]) -> bool:
    settings = runtime_of(request).settings
    cookie = request.cookies.get(sessions.CSRF_COOKIE)
    return sessions.form_token_ok(settings, cookie, form.get("csrf"))


def _signed_in(request: Request, session: Session, store: Store) -> int | None:
    runtime = runtime_of(request)
    raw = request.cookies.get(sessions.COOKIE)
    return sessions.signed_in(session, runtime.settings, store, raw, runtime.now())


async def home(request: Request) -> Response:
    key = _key(request)

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        advocate_id = _signed_in(request, session, store)
        advocate: Advocate | None = None
        if advocate_id is not None:
            advocate = session.get(Advocate, advocate_id)
        if advocate is None or advocate.store_id != store.id or advocate.status == "erased":
            return _page(request, store, "login.html", sent=False)
        return _home_page(request, session, store, advocate)

    return await in_transaction(request, work)


async def login(request: Request) -> Response:
    runtime = runtime_of(request)
    key = _key(request)
    form = await _form(request, 5)
    if not _form_ok(request, form):
        store = await in_transaction(
            request, lambda s: store_for_publishable_key(s, key), readonly=True
        )
        return _refused_form(request, store)
    await ratelimit.hit(
        runtime.cache,
        "portal-login",
        privacy.ip_hash(runtime.settings, request),
        limit=LOGIN_PER_IP_PER_MINUTE,
        window=60,
        when_down="local",
    )
    email = form.get("email", "")[:320]

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        service.start_login(
            session=session, settings=runtime.settings, store=store, email=email, now=runtime.now()
        )
        return _page(request, store, "login.html", sent=True)

    return await in_transaction(request, work)


async def confirm(request: Request) -> Response:
    """GET only shows a button: mail scanners that open links must not spend the token."""
    key = _key(request)
    token = request.path_params["token"]

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        lang = _lang(request, store)
        return _page(
            request,
            store,
            "confirm.html",
            heading=t(lang, "portal.login"),
            message=t(lang, "portal.confirm"),
            action=f"/portal/{store.publishable_key}/login/{token}",
            button=t(lang, "portal.login"),
        )

    return await in_transaction(request, work, readonly=True)


async def finish(request: Request) -> Response:
    runtime = runtime_of(request)
    settings = runtime.settings
    key = _key(request)
    token = request.path_params["token"]
    form = await _form(request, 5)

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        if not _form_ok(request, form):  # another site's form: nothing spent, no sign-in
            return _refused_form(request, store)
        try:
            advocate = service.finish_login(
                session=session, settings=settings, store=store, token=token, now=runtime.now()
            )
        except ApiError:
            lang = _lang(request, store)
            return _page(
                request,
                store,
                "confirm.html",
                status=400,
                heading=t(lang, "portal.login"),
                message=t(lang, "portal.invalid"),
                action=None,
            )
        assert advocate.id is not None
        cookie = sessions.sign_in(session, settings, store, advocate.id, runtime.now())
        response = RedirectResponse(f"/portal/{store.publishable_key}/", status_code=303)
        sessions.set_cookie(
            response,
            settings,
            store,
            sessions.COOKIE,
            cookie,
            signing.PURPOSES["advocate-session"],
        )
        return response

    return await in_transaction(request, work)


async def logout(request: Request) -> Response:
    """Sign out: the session ends on the server, so a copy of the cookie stops working."""
    settings = runtime_of(request).settings
    key = _key(request)
    form = await _form(request, 5)

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        if not _form_ok(request, form):
            return _refused_form(request, store)
        sessions.sign_out(session, settings, request.cookies.get(sessions.COOKIE))
        response = RedirectResponse(f"/portal/{store.publishable_key}/", status_code=303)
        sessions.clear_cookie(response, settings, store, sessions.COOKIE)
        return response

    return await in_transaction(request, work)


async def unsubscribe_page(request: Request) -> Response:
    key = _key(request)
    token = request.path_params["token"]

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        lang = _lang(request, store)
        return _page(
            request,
            store,
            "confirm.html",
            heading=t(lang, "portal.title"),
            message=None,
            action=f"/portal/{store.publishable_key}/unsubscribe/{token}",
            button=t(lang, "portal.unsubscribe"),
        )

    return await in_transaction(request, work, readonly=True)


async def unsubscribe(request: Request) -> Response:
    runtime = runtime_of(request)
    key = _key(request)
    token = request.path_params["token"]

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        payload = signing.unsign(runtime.settings, "unsubscribe", token)
        if not isinstance(payload, dict) or payload.get("s") != store.id:
            raise signing.TokenInvalid("This unsubscribe link belongs to another store.")
        advocate = service.get_advocate(session, store, int(payload["a"]))
        service.opt_out_of_emails(session=session, advocate=advocate, now=runtime.now())
        lang = _lang(request, store)
        return _page(
            request,
            store,
            "confirm.html",
            heading=t(lang, "portal.title"),
            message=t(lang, "portal.unsubscribed"),
            action=None,
        )

    return await in_transaction(request, work)


def _day(store: Store, lang: str) -> Any:
    zone = ZoneInfo(store.timezone)
    pattern = "%d/%m/%Y" if lang == "vi" else "%Y-%m-%d"

    def day(value: datetime) -> str:
        return value.astimezone(zone).strftime(pattern)

    return day


def _home_page(request: Request, session: Session, store: Store, advocate: Advocate) -> Response:
    """The signed-in page: link and share buttons, figures, and the wallet."""
    settings = runtime_of(request).settings
    assert advocate.id is not None
    summary = read_models.advocate_summary(session, settings, store, advocate)
    lang = _lang(request, store)
    link = service.referral_url(settings, advocate)
    purse = wallet.advocate_wallet(session=session, advocate_id=advocate.id)
    notice = request.query_params.get("notice")
    base = f"/portal/{store.publishable_key}/"
    buttons = share.share_buttons(
        link=link,
        text=t(lang, "portal.share_text", store=store.name),
        subject=store.name,
        phone=share.on_phone(
            request.headers.get("user-agent", ""), request.headers.get("sec-ch-ua-mobile")
        ),
        facebook_app_id=settings.facebook_app_id,
        back_to=settings.base_url + base,
    )
    return _page(
        request,
        store,
        "home.html",
        advocate=advocate,
        summary=summary,
        wallet=purse,
        describe=lambda kind, value: describe_reward(kind, Decimal(value), store.currency, lang),
        link=link,
        copy_link=share.tagged(link, "copy"),
        share_buttons=buttons,
        qr=f"/r/{advocate.referral_code}/qr.svg",
        notice=notice if notice in redeem_form.NOTICES else None,
        new_coupon=wallet.newest_redemption_coupon(purse) if notice == "redeemed" else None,
        offers=catalogue.offers(session, store, purse.points),
        points_expiry=points_expiry.next_expiry(session, store, advocate.id),
        standing=tiers.standing(session, store, advocate.id),
        board=leaderboard.board(session, store, advocate, runtime_of(request).now()),
        form_token=redeem_form.form_token(settings, request.cookies.get(sessions.COOKIE, "")),
        idempotency_key=redeem_form.new_idempotency_key(),
        day=_day(store, lang),
        plain=lambda value: f"{Decimal(value).normalize():f}",
    )


async def redeem(request: Request) -> Response:
    """Spend the balance from the portal: the same idempotent ledger call as the API."""
    runtime = runtime_of(request)
    settings = runtime.settings
    key = _key(request)
    form = await _form(request, 10)
    lang = form.get("lang", "")

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        base = f"/portal/{store.publishable_key}/"
        home = base + (f"?lang={lang}&" if lang in ("vi", "en") else "?")
        advocate_id = _signed_in(request, session, store)
        cookie = request.cookies.get(sessions.COOKIE)
        if advocate_id is None or not redeem_form.token_ok(settings, cookie, form.get("token", "")):
            # No session, or a form this session never showed (cross-site): nothing is spent.
            return RedirectResponse(base, status_code=303)
        amount = redeem_form.parse_amount(form.get("amount", ""))
        if amount is None:
            return RedirectResponse(home + "notice=invalid_amount", status_code=303)
        answer = ledger.redeem(
            session=session,
            store=store,
            advocate_id=advocate_id,
            amount=amount,
            idempotency_key=form.get("idempotency_key", "")[:200],
            now=runtime.now(),
        )
        notice = redeem_form.redemption_notice(
            answer.status, answer.body, ledger.balance(session, advocate_id)
        )
        return RedirectResponse(home + f"notice={notice}", status_code=303)

    return await in_transaction(request, work)


def _doc(summary: str) -> Doc:
    return Doc(summary, tags=["portal"], responses={200: "An HTML page."})


routes: list[BaseRoute] = [
    Mount("/portal/static", StaticFiles(directory=STATIC), name="portal_static"),
    endpoint("/portal/{publishable_key}/", home, doc=_doc("Advocate portal"), name="portal_home"),
    endpoint(
        "/portal/{publishable_key}/login",
        login,
        methods=["POST"],
        doc=Doc(
            "Ask for a magic sign-in link (by e-mail, or by Zalo ZNS then SMS to a phone)",
            tags=["portal"],
            body_type="application/x-www-form-urlencoded",
            responses={200: "An HTML page.", 429: "Too many requests."},
        ),
        name="portal_login",
    ),
    endpoint(
        "/portal/{publishable_key}/login/{token}",
        confirm,
        doc=_doc("Confirm a magic sign-in link"),
        name="portal_confirm",
    ),
    endpoint(
        "/portal/{publishable_key}/login/{token}",
        finish,
        methods=["POST"],
        doc=Doc(
            "Spend a magic sign-in link (15 minutes, single use)",
            tags=["portal"],
            responses={303: "Signed in.", 400: "Invalid, expired or used link."},
        ),
        name="portal_finish",
    ),
    endpoint(
        "/portal/{publishable_key}/logout",
        logout,
        methods=["POST"],
        doc=Doc("Sign out", tags=["portal"], responses={303: "Signed out."}),
        name="portal_logout",
    ),
    endpoint(
        "/portal/{publishable_key}/unsubscribe/{token}",
        unsubscribe_page,
        doc=_doc("Confirm unsubscribing from programme e-mails"),
        name="portal_unsubscribe_page",
    ),
    endpoint(
        "/portal/{publishable_key}/unsubscribe/{token}",
        unsubscribe,
        methods=["POST"],
        doc=_doc("Unsubscribe from programme e-mails"),
        name="portal_unsubscribe",
    ),
    endpoint(
        "/portal/{publishable_key}/redeem",
        redeem,
        methods=["POST"],
        doc=Doc(
            "Spend the advocate's balance for a coupon code (signed in; one form, one spend)",
            tags=["portal"],
            body_type="application/x-www-form-urlencoded",
            responses={303: "Back to the portal with the outcome."},
        ),
        name="portal_redeem",
    ),
    endpoint(
        "/portal/{publishable_key}/catalogue/{item_id:int}",
        catalogue.redeem_item,
        methods=["POST"],
        doc=Doc(
            "Spend points on a catalogue reward (signed in; one form, one spend)",
            tags=["portal"],
            body_type="application/x-www-form-urlencoded",
            responses={303: "Back to the portal with the outcome."},
        ),
        name="portal_catalogue_redeem",
    ),
    endpoint(
        "/portal/{publishable_key}/leaderboard",
        leaderboard.set_visibility,
        methods=["POST"],
        doc=Doc(
            "Keep off the store's leaderboard, or appear on it again (signed in)",
            tags=["portal"],
            body_type="application/x-www-form-urlencoded",
            responses={303: "Back to the portal."},
        ),
        name="portal_leaderboard",
    ),
]
