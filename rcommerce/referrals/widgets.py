"""The referral programme's widget endpoint (publishable key, allowed origins): the welcome
offer a referred friend sees on the store."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, StringConstraints
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.referrals import coupons
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.web import Doc, endpoint, in_transaction, json_response, parse_query, runtime_of


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
    expires_at: datetime | None = None  # from the friend's first click; none for a typed code


async def friend_offer(request: Request) -> Response:
    query = parse_query(request, OfferQuery)
    runtime = runtime_of(request)
    publishable_key = request.path_params["publishable_key"]

    def work(session: Session) -> FriendOffer:
        store = store_for_publishable_key(session, publishable_key)
        welcome = coupons.friend_welcome(
            session=session,
            settings=runtime.settings,
            store=store,
            rc_ref=query.rc_ref,
            code=query.code,
            now=runtime.now(),
        )
        name = welcome.advocate.name
        return FriendOffer(
            advocate_name=name.split(" ")[-1] if name else "",
            coupon_code=welcome.coupon.code,
            kind=welcome.coupon.kind,
            value=welcome.coupon.value,
            min_order_total=welcome.campaign.min_order_total,
            expires_at=welcome.expires_at,
        )

    return json_response(await in_transaction(request, work))


embed_routes = [
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
