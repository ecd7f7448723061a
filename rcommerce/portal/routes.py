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
from rcommerce.errors import ApiError
from rcommerce.portal import redeem_form, share
from rcommerce.referrals import ledger, read_models, wallet
from rcommerce.referrals.rewards import describe_reward
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.templating import render
from rcommerce.web import Doc, endpoint, in_transaction, runtime_of

COOKIE = "rc_portal"
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


def _page(request: Request, store: Store, template: str, status: int = 200, **ctx: Any) -> Response:
    lang = _lang(request, store)
    html = render(
        f"portal/{template}",
        store=store,
        lang=lang,
        base=f"/portal/{store.publishable_key}/",
        t=lambda key, **v: t(lang, key, **v),
        **ctx,
    )
    return HTMLResponse(
        html,
        status_code=status,
        headers={
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "Content-Security-Policy": CSP,
        },
    )


def _signed_in(request: Request, store: Store) -> int | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        payload = signing.unsign(runtime_of(request).settings, "advocate-session", raw)
    except ApiError:
        return None
    if not isinstance(payload, dict) or payload.get("kind") != "advocate":
        return None
    if payload.get("s") != store.id:
        return None
    value = payload.get("a")
    return value if isinstance(value, int) else None


async def home(request: Request) -> Response:
    key = request.path_params["publishable_key"]

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        advocate_id = _signed_in(request, store)
        advocate: Advocate | None = None
        if advocate_id is not None:
            advocate = session.get(Advocate, advocate_id)
        if advocate is None or advocate.store_id != store.id or advocate.status == "erased":
            return _page(request, store, "login.html", sent=False)
        return _home_page(request, session, store, advocate)

    return await in_transaction(request, work)


async def login(request: Request) -> Response:
    runtime = runtime_of(request)
    key = request.path_params["publishable_key"]
    await ratelimit.hit(
        runtime.cache,
        "portal-login",
        privacy.ip_hash(runtime.settings, request),
        limit=LOGIN_PER_IP_PER_MINUTE,
        window=60,
        when_down="local",
    )
    form = await request.form(max_files=0, max_fields=5)
    email = str(form.get("email") or "")[:320]

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        service.start_login(
            session=session, settings=runtime.settings, store=store, email=email, now=runtime.now()
        )
        return _page(request, store, "login.html", sent=True)

    return await in_transaction(request, work)


async def confirm(request: Request) -> Response:
    """GET only shows a button: mail scanners that open links must not spend the token."""
    key = request.path_params["publishable_key"]
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
            action=f"/portal/{key}/login/{token}",
            button=t(lang, "portal.login"),
        )

    return await in_transaction(request, work, readonly=True)


async def finish(request: Request) -> Response:
    runtime = runtime_of(request)
    settings = runtime.settings
    key = request.path_params["publishable_key"]
    token = request.path_params["token"]

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
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
        cookie = signing.sign(
            settings, "advocate-session", {"kind": "advocate", "a": advocate.id, "s": store.id}
        )
        response = RedirectResponse(f"/portal/{key}/", status_code=303)
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=signing.PURPOSES["advocate-session"],
            path=f"/portal/{key}/",
            httponly=True,
            samesite="lax",
            secure=settings.base_url.startswith("https://"),
        )
        return response

    return await in_transaction(request, work)


async def logout(request: Request) -> Response:
    key = request.path_params["publishable_key"]
    response = RedirectResponse(f"/portal/{key}/", status_code=303)
    response.delete_cookie(COOKIE, path=f"/portal/{key}/")
    return response


async def unsubscribe_page(request: Request) -> Response:
    key = request.path_params["publishable_key"]
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
            action=f"/portal/{key}/unsubscribe/{token}",
            button=t(lang, "portal.unsubscribe"),
        )

    return await in_transaction(request, work, readonly=True)


async def unsubscribe(request: Request) -> Response:
    runtime = runtime_of(request)
    key = request.path_params["publishable_key"]
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
        form_token=redeem_form.form_token(settings, request.cookies.get(COOKIE, "")),
        idempotency_key=redeem_form.new_idempotency_key(),
        day=_day(store, lang),
        plain=lambda value: f"{Decimal(value).normalize():f}",
    )


async def redeem(request: Request) -> Response:
    """Spend the balance from the portal: the same idempotent ledger call as the API."""
    runtime = runtime_of(request)
    settings = runtime.settings
    key = request.path_params["publishable_key"]
    form = await request.form(max_files=0, max_fields=10)
    lang = str(form.get("lang") or "")

    def work(session: Session) -> Response:
        store = store_for_publishable_key(session, key)
        home = f"/portal/{key}/" + (f"?lang={lang}&" if lang in ("vi", "en") else "?")
        advocate_id = _signed_in(request, store)
        cookie = request.cookies.get(COOKIE)
        if advocate_id is None or not redeem_form.token_ok(
            settings, cookie, str(form.get("token") or "")
        ):
            # No session, or a form this session never showed (cross-site): nothing is spent.
            return RedirectResponse(f"/portal/{key}/", status_code=303)
        amount = redeem_form.parse_amount(str(form.get("amount") or ""))
        if amount is None:
            return RedirectResponse(home + "notice=invalid_amount", status_code=303)
        answer = ledger.redeem(
            session=session,
            store=store,
            advocate_id=advocate_id,
            amount=amount,
            idempotency_key=str(form.get("idempotency_key") or "")[:200],
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
            "Ask for a magic sign-in link by e-mail",
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
]
