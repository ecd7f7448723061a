"""HTTP for referrals: the /r/ redirect and QR codes, orders and refunds, campaigns,
conversions awaiting a decision, coupons, and the webhook log."""

from __future__ import annotations

import functools
import io
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import segno
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from rcommerce import privacy
from rcommerce.advocates import service as advocates
from rcommerce.errors import ApiError, NotFound
from rcommerce.referrals import advocates_api, clicks, service, visitors, webhooks
from rcommerce.referrals.links import link_target
from rcommerce.referrals.models import CampaignFields, CampaignList, CampaignPublic
from rcommerce.runtime import Runtime
from rcommerce.stores.auth import authenticated
from rcommerce.web import (
    MAX_ID,
    AsgiEndpoint,
    Doc,
    endpoint,
    in_transaction,
    json_response,
    parse_query,
    read_json,
    runtime_of,
)

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


# The redirect ------------------------------------------------------------------------------


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode([*query, *params.items()])))


def _channel(query_string: bytes) -> str:
    for pair in query_string.split(b"&"):
        if pair.startswith(b"ch="):
            return _channel_value(pair[3:13])
    return "direct"


# Cached on the tag itself, not the whole query string: shared links gain a unique fbclid (and
# other trackers' ids) per visit, while channel tags are a handful of words.
@functools.lru_cache(maxsize=64)
def _channel_value(raw: bytes) -> str:
    return clicks.channel_of(raw.decode("latin-1"))


_NO_STORE = [
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-length", b"0"),
]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def click_location(runtime: Runtime, scope: Scope) -> str:
    """Where /r/{code} sends this visitor; records the click when it is a person's.

    The hot path: no database (the link is cached), no Request object, no parsing beyond what
    it needs (see benchmarks/redirect.py)."""
    code = advocates.clean_code(scope["path_params"]["referral_code"])
    link = await link_target(runtime, code)
    if link is None:
        raise NotFound("No referral link with this code.")
    landing: str = link["u"]
    if not landing:
        raise ApiError(
            "This store has no landing page yet (set landing_url or an allowed origin).",
            code="no_landing_url",
            status=409,
        )
    user_agent = _header(scope, b"user-agent")
    # Previewers, crawlers, HEAD requests and inactive links land without a referral.
    if scope["method"] != "GET" or not link["on"] or clicks.is_bot(user_agent):
        return landing
    settings = runtime.settings
    ip_hash = privacy.keyed_hash(settings, "ip", privacy.scope_client_ip(scope))
    ua_hash = clicks.ua_hash(settings, user_agent or "")
    unique = await visitors.first_visit(runtime, link["a"], ip_hash, ua_hash)
    at = runtime.timestamp()
    click_id = clicks.new_click_id(at)
    token = service.make_token(link["sig"], link["tp"], click_id, at, ip_hash, ua_hash)
    clicks.record_click(
        runtime,
        link["sp"],
        click_id,
        _channel(scope["query_string"]),
        unique,
        ip_hash,
        (user_agent or "")[:300],
        at,
    )
    return f"{landing}{link['j']}rc_ref={token}"


async def _redirect(scope: Scope, receive: Receive, send: Send) -> None:
    """/r/{code}: the 302 sent as two ASGI messages."""
    location = await click_location(scope["app"].state.runtime, scope)
    await send(
        {
            "type": "http.response.start",
            "status": 302,
            "headers": [(b"location", location.encode("latin-1")), *_NO_STORE],
        }
    )
    await send({"type": "http.response.body", "body": b""})


redirect = AsgiEndpoint(_redirect)


def _qr(request: Request, kind: str) -> Response:
    runtime = runtime_of(request)
    code = advocates.clean_code(request.path_params["referral_code"])
    with runtime.transaction(readonly=True) as session:
        advocate = advocates.by_code(session, code)
        if advocate is None or advocate.status == "erased":
            raise NotFound("No referral link with this code.")
        url = advocates.referral_url(runtime.settings, advocate) + "?ch=qr"
    qr = segno.make(url, error="m")
    out = io.BytesIO()
    headers = {"Cache-Control": "public, max-age=86400"}
    if kind == "svg":
        qr.save(out, kind="svg", scale=6, border=2, xmldecl=False, title="QR")
        return Response(out.getvalue(), media_type="image/svg+xml", headers=headers)
    qr.save(out, kind="png", scale=8, border=2)
    return Response(out.getvalue(), media_type="image/png", headers=headers)


async def qr_svg(request: Request) -> Response:
    return await run_in_threadpool(_qr, request, "svg")


async def qr_png(request: Request) -> Response:
    return await run_in_threadpool(_qr, request, "png")


# Campaigns ---------------------------------------------------------------------------------


def _changes(data: CampaignFields) -> dict[str, Any]:
    changes = data.model_dump(exclude_unset=True)
    for name in ("starts_at", "ends_at"):
        value = changes.get(name)
        if isinstance(value, datetime) and value.tzinfo is None:
            raise ApiError(f"{name} needs a time zone (e.g. ...Z).", code="invalid", status=422)
    return changes


async def list_campaigns(request: Request) -> Response:
    def work(session: Session) -> CampaignList:
        store = authenticated(request, session)
        service.default_campaign(session, store)
        return CampaignList(
            campaigns=[
                CampaignPublic.model_validate(c, from_attributes=True)
                for c in service.list_campaigns(session, store)
            ]
        )

    return json_response(await in_transaction(request, work))


async def create_campaign(request: Request) -> Response:
    data = await read_json(request, CampaignFields)

    def work(session: Session) -> CampaignPublic:
        store = authenticated(request, session)
        campaign = service.save_campaign(session=session, store=store, changes=_changes(data))
        return CampaignPublic.model_validate(campaign, from_attributes=True)

    return json_response(await in_transaction(request, work), 201)


async def update_campaign(request: Request) -> Response:
    data = await read_json(request, CampaignFields)
    campaign_id = request.path_params["campaign_id"]

    def work(session: Session) -> CampaignPublic:
        store = authenticated(request, session)
        campaign = service.get_campaign(session, store, campaign_id)
        campaign = service.save_campaign(
            session=session, store=store, changes=_changes(data), campaign=campaign
        )
        return CampaignPublic.model_validate(campaign, from_attributes=True)

    return json_response(await in_transaction(request, work))


# Conversions -------------------------------------------------------------------------------


class ConversionPublic(BaseModel):
    """A referred order and where it stands."""

    id: int
    order_id: str | None
    advocate_id: int
    campaign_id: int | None
    status: str
    reasons: list[str]
    attributed_by: str
    order_total: str
    created_at: str
    approve_after: str


class ConversionList(BaseModel):
    """Conversions, newest first; ``next`` is the cursor of the next page (null on the last)."""

    conversions: list[ConversionPublic]
    next: str | None = None


class ConversionQuery(BaseModel):
    status: Literal["pending", "held", "approved", "rejected", "reversed", "ineligible"] | None = (
        None
    )
    advocate_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    cursor: Annotated[str, StringConstraints(max_length=200)] | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 100


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve", "reject"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None
    decided_by: Annotated[str, StringConstraints(strip_whitespace=True, max_length=320)] = "api"


async def list_conversions(request: Request) -> Response:
    query = parse_query(request, ConversionQuery)

    def work(session: Session) -> ConversionList:
        store = authenticated(request, session)
        rows, cursor = service.list_conversions(
            session=session,
            store=store,
            status=query.status,
            advocate_id=query.advocate_id,
            cursor=query.cursor,
            limit=query.limit,
        )
        return ConversionList(
            conversions=[
                ConversionPublic.model_validate(c) for c in service.conversions_data(session, rows)
            ],
            next=cursor,
        )

    return json_response(await in_transaction(request, work, readonly=True))


async def decide_conversion(request: Request) -> Response:
    data = await read_json(request, Decision)
    runtime = runtime_of(request)
    conversion_id = request.path_params["conversion_id"]

    def work(session: Session) -> ConversionPublic:
        store = authenticated(request, session)
        conversion = service.decide_conversion(
            session=session,
            store=store,
            conversion_id=conversion_id,
            approve=data.decision == "approve",
            decided_by=data.decided_by,
            note=data.note,
            now=runtime.now(),
        )
        return ConversionPublic.model_validate(service.conversion_data(session, conversion))

    return json_response(await in_transaction(request, work))


# Coupons -----------------------------------------------------------------------------------


class CouponPublic(BaseModel):
    """A coupon the store should honour at checkout (or not, when its status says so)."""

    code: str
    purpose: str
    kind: str
    value: Decimal
    status: str
    advocate_id: int


async def get_coupon(request: Request) -> Response:
    code = request.path_params["code"]

    def work(session: Session) -> CouponPublic:
        store = authenticated(request, session)
        coupon = service.get_coupon(session, store, code)
        return CouponPublic.model_validate(coupon, from_attributes=True)

    return json_response(await in_transaction(request, work, readonly=True))


# Webhooks ----------------------------------------------------------------------------------


class WebhookSecret(BaseModel):
    """The secret the store verifies RC-Signature with; rotate it with the store's version."""

    secret: str
    signature_header: str
    events: list[str]


class DeliveryQuery(BaseModel):
    status: Literal["pending", "delivered", "failed"] | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 50


async def webhook_secret(request: Request) -> Response:
    settings = runtime_of(request).settings

    def work(session: Session) -> WebhookSecret:
        store = authenticated(request, session)
        return WebhookSecret(
            secret=webhooks.webhook_secret(settings, store),
            signature_header=webhooks.SIGNATURE_HEADER,
            events=list(webhooks.EVENTS),
        )

    return json_response(await in_transaction(request, work, readonly=True))


async def webhook_deliveries(request: Request) -> Response:
    query = parse_query(request, DeliveryQuery)

    def work(session: Session) -> webhooks.DeliveryList:
        store = authenticated(request, session)
        return webhooks.delivery_log(session, store, limit=query.limit, status=query.status)

    return json_response(await in_transaction(request, work, readonly=True))


# Embed: the friend's offer -----------------------------------------------------------------


class OfferQuery(BaseModel):
    rc_ref: Annotated[str, StringConstraints(max_length=1000)] | None = None
    code: Annotated[str, StringConstraints(max_length=40)] | None = None


class FriendOffer(BaseModel):
    """The welcome offer a referred friend sees on the store (double-sided reward)."""

    advocate_name: str
    coupon_code: str
    kind: str
    value: Decimal
    min_order_total: Decimal


async def friend_offer(request: Request) -> Response:
    query = parse_query(request, OfferQuery)
    runtime = runtime_of(request)
    publishable_key = request.path_params["publishable_key"]

    def work(session: Session) -> FriendOffer:
        from rcommerce.stores.service import store_for_publishable_key

        store = store_for_publishable_key(session, publishable_key)
        campaign = service.default_campaign(session, store)
        advocate = None
        if query.rc_ref:
            token, campaign = service.read_token(
                session, runtime.settings, store, query.rc_ref, now=runtime.now(), default=campaign
            )
            advocate = advocates.get_advocate(session, store, token.advocate_id)
        elif query.code:
            advocate = advocates.by_code(session, query.code)
            if advocate is not None and advocate.store_id != store.id:
                advocate = None
        if advocate is None or advocate.status != "active":
            raise NotFound("No active referral for this link or code.")
        coupon = service.friend_coupon(session, store, advocate)
        return FriendOffer(
            advocate_name=advocate.name.split(" ")[-1] if advocate.name else "",
            coupon_code=coupon.code,
            kind=coupon.kind,
            value=coupon.value,
            min_order_total=campaign.min_order_total,
        )

    return json_response(await in_transaction(request, work))


# The redirect is the hottest path: as a hot route (rcommerce.app.HotPaths) it is answered
# before the middleware stack and the router.
redirect_route = endpoint(
    "/r/{referral_code}",
    redirect,
    doc=Doc(
        "Follow a referral link",
        tags=["referrals"],
        description=(
            "302 to the store's landing URL with a signed rc_ref; the click is recorded "
            "(bots, link previewers and HEAD requests land without one and are not counted). "
            "Optional ?ch=zalo|facebook|messenger|whatsapp|sms|email|qr|copy tags the channel."
        ),
        responses={302: "To the store, with rc_ref.", 404: "Unknown code."},
    ),
    name="referral_redirect",
)
hot_routes = [redirect_route]

routes = [
    *advocates_api.routes,
    endpoint(
        "/r/{referral_code}/qr.svg",
        qr_svg,
        doc=Doc(
            "QR code of a referral link (SVG)",
            tags=["referrals"],
            responses={200: "image/svg+xml"},
        ),
        name="referral_qr_svg",
    ),
    endpoint(
        "/r/{referral_code}/qr.png",
        qr_png,
        doc=Doc(
            "QR code of a referral link (PNG)", tags=["referrals"], responses={200: "image/png"}
        ),
        name="referral_qr_png",
    ),
    endpoint(
        "/api/v1/campaigns",
        list_campaigns,
        doc=Doc(
            "The store's campaigns",
            tags=["campaigns"],
            auth="secret",
            responses={200: CampaignList},
        ),
        name="campaigns_list",
    ),
    endpoint(
        "/api/v1/campaigns",
        create_campaign,
        methods=["POST"],
        doc=Doc(
            "Create a campaign",
            tags=["campaigns"],
            auth="secret",
            body=CampaignFields,
            responses={201: CampaignPublic},
        ),
        name="campaigns_create",
    ),
    endpoint(
        "/api/v1/campaigns/{campaign_id:int}",
        update_campaign,
        methods=["PATCH"],
        doc=Doc(
            "Change a campaign",
            tags=["campaigns"],
            auth="secret",
            body=CampaignFields,
            responses={200: CampaignPublic},
        ),
        name="campaigns_update",
    ),
    endpoint(
        "/api/v1/conversions",
        list_conversions,
        doc=Doc(
            "Conversions, newest first, a page at a time (?status=held: awaiting a decision)",
            tags=["conversions"],
            auth="secret",
            query=ConversionQuery,
            responses={200: ConversionList},
        ),
        name="conversions_list",
    ),
    endpoint(
        "/api/v1/conversions/{conversion_id:int}/decision",
        decide_conversion,
        methods=["POST"],
        doc=Doc(
            "Approve or reject a held conversion",
            tags=["conversions"],
            auth="secret",
            body=Decision,
            responses={200: ConversionPublic, 409: "The conversion is not held."},
        ),
        name="conversions_decide",
    ),
    endpoint(
        "/api/v1/coupons/{code}",
        get_coupon,
        doc=Doc(
            "Look up a coupon code at checkout",
            tags=["coupons"],
            auth="secret",
            responses={200: CouponPublic},
        ),
        name="coupons_get",
    ),
    endpoint(
        "/api/v1/webhooks/secret",
        webhook_secret,
        doc=Doc(
            "The secret that signs webhooks to the store",
            tags=["webhooks"],
            auth="secret",
            responses={200: WebhookSecret},
        ),
        name="webhooks_secret",
    ),
    endpoint(
        "/api/v1/webhooks/deliveries",
        webhook_deliveries,
        doc=Doc(
            "The webhook delivery log",
            tags=["webhooks"],
            auth="secret",
            query=DeliveryQuery,
            responses={200: webhooks.DeliveryList},
        ),
        name="webhooks_deliveries",
    ),
]

embed_routes = [
    *advocates_api.embed_routes,
    endpoint(
        "/{publishable_key}/referral-offer",
        friend_offer,
        doc=Doc(
            "The welcome offer for a referred friend (from rc_ref or a code)",
            tags=["embed"],
            auth="publishable",
            query=OfferQuery,
            responses={200: FriendOffer},
        ),
        name="embed_friend_offer",
    ),
]
