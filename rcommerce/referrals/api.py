"""The store's referral API (secret key): campaigns, conversions and the decision on held ones,
coupon lookup at checkout, the webhook secret and delivery log."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.errors import ApiError
from rcommerce.referrals import campaigns, coupons, decisions, read_models, webhooks
from rcommerce.referrals.models import CampaignFields, CampaignList, CampaignPublic
from rcommerce.stores.auth import authenticated
from rcommerce.web import (
    MAX_ID,
    Doc,
    endpoint,
    in_transaction,
    json_response,
    parse_query,
    read_json,
    runtime_of,
)

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
        campaigns.default_campaign(session, store)
        return CampaignList(
            campaigns=[
                CampaignPublic.model_validate(c, from_attributes=True)
                for c in campaigns.list_campaigns(session, store)
            ]
        )

    return json_response(await in_transaction(request, work))


async def create_campaign(request: Request) -> Response:
    data = await read_json(request, CampaignFields)

    def work(session: Session) -> CampaignPublic:
        store = authenticated(request, session)
        campaign = campaigns.save_campaign(session=session, store=store, changes=_changes(data))
        return CampaignPublic.model_validate(campaign, from_attributes=True)

    return json_response(await in_transaction(request, work), 201)


async def update_campaign(request: Request) -> Response:
    data = await read_json(request, CampaignFields)
    campaign_id = request.path_params["campaign_id"]

    def work(session: Session) -> CampaignPublic:
        store = authenticated(request, session)
        campaign = campaigns.get_campaign(session, store, campaign_id)
        campaign = campaigns.save_campaign(
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
        rows, cursor = read_models.list_conversions(
            session=session,
            store=store,
            status=query.status,
            advocate_id=query.advocate_id,
            cursor=query.cursor,
            limit=query.limit,
        )
        return ConversionList(
            conversions=[
                ConversionPublic.model_validate(c)
                for c in read_models.conversions_data(session, rows)
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
        conversion = decisions.decide_conversion(
            session=session,
            store=store,
            conversion_id=conversion_id,
            approve=data.decision == "approve",
            decided_by=data.decided_by,
            note=data.note,
            now=runtime.now(),
        )
        return ConversionPublic.model_validate(read_models.conversion_data(session, conversion))

    return json_response(await in_transaction(request, work))


# Coupons -----------------------------------------------------------------------------------


class CouponQuery(BaseModel):
    """Who is checking out: their e-mail and the rc_ref they landed with (both optional)."""

    email: Annotated[str, StringConstraints(max_length=320)] | None = None
    rc_ref: Annotated[str, StringConstraints(max_length=1000)] | None = None


class CouponPublic(BaseModel):
    """A coupon the store should honour at checkout only when ``valid``: a friend's coupon
    is for new customers, once per customer, until ``expires_at`` (the campaign's
    friend_coupon_days after the friend's first click); ``refused`` says why not."""

    code: str
    purpose: str
    kind: str
    value: Decimal
    status: str
    advocate_id: int
    valid: bool
    refused: str | None
    expires_at: datetime | None


async def get_coupon(request: Request) -> Response:
    code = request.path_params["code"]
    query = parse_query(request, CouponQuery)
    runtime = runtime_of(request)

    def work(session: Session) -> CouponPublic:
        store = authenticated(request, session)
        found = coupons.coupon_at_checkout(
            session=session,
            settings=runtime.settings,
            store=store,
            code=code,
            email=query.email,
            rc_ref=query.rc_ref,
            now=runtime.now(),
        )
        return CouponPublic.model_validate(
            {
                **found.coupon.model_dump(),
                "valid": found.valid,
                "refused": found.refused,
                "expires_at": found.expires_at,
            }
        )

    return json_response(await in_transaction(request, work, readonly=True))


# Webhooks ----------------------------------------------------------------------------------


class WebhookSecret(BaseModel):
    """The secret the store verifies RC-Signature with; rotate it with the store's version."""

    secret: str
    signature_header: str
    events: list[str]


class DeliveryQuery(BaseModel):
    status: Literal["pending", "delivered", "failed", "cancelled"] | None = None
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


routes = [
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
            query=CouponQuery,
            responses={200: CouponPublic, 404: "No such coupon in this store."},
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
