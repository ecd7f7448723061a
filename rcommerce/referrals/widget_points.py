"""Points from the widget (``<rc-points>``, modules/points.js): an advocate spends points on the
store's catalogue from the shop's own pages.

A typed e-mail proves nothing, so the widget never acts on one: it asks for a link, which is
e-mailed to the address if it is an advocate's (the answer is the same either way), and the
link brings the advocate back to the page they asked from (an origin the store allowed) with a
signed token (purpose ``widget-points``, this store and advocate, 24 hours). The widget keeps the
token for the tab's session and sends it as ``Authorization: Bearer``; spending goes through
the same idempotent, race-proof ledger as the portal (an ``Idempotency-Key`` per attempt).
The embed's CORS policy admits only the store's allowed origins; every route is rate limited.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic import Field as Constraint
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rcommerce import privacy, ratelimit, signing
from rcommerce.advocates import service as advocates
from rcommerce.advocates.models import Advocate
from rcommerce.errors import Forbidden, InvalidInput, Unauthorized
from rcommerce.jobs import enqueue
from rcommerce.orders.service import normalise_email
from rcommerce.referrals import catalogue, ledger
from rcommerce.referrals.models import CatalogueItemPublic
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.web import Doc, endpoint, in_transaction, json_response, read_json, runtime_of

PURPOSE = "widget-points"
PARAM = "rc_points"  # the link's query parameter the widget reads (and removes)
LINKS_PER_IP = (5, 60)  # (requests, seconds)
LINKS_PER_ADDRESS = (3, 900)
LINKS_PER_STORE = (300, 60)
READS_PER_IP = (120, 60)
REDEEMS_PER_IP = (30, 60)
REDEEMS_PER_ADVOCATE = (10, 60)


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)]
    page: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = Constraint(
        description="The shop page to come back to: on the origin the request comes from."
    )


class LinkSent(BaseModel):
    """The same answer whether or not the address is an advocate's."""

    sent: bool = True


class RedeemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item_id: Annotated[int, Constraint(ge=1)]


class WidgetItem(CatalogueItemPublic):
    affordable: bool


class WidgetPoints(BaseModel):
    """The signed-in advocate's points and what they can buy with them."""

    name: str
    points: Decimal
    items: list[WidgetItem]


class WidgetRedemption(BaseModel):
    """A spend of points: the coupon it bought (see the ledger's redemption)."""

    id: int
    amount: str
    unit: str
    coupon_code: str | None
    coupon_kind: str | None
    coupon_value: str | None
    catalogue_item_id: int | None
    balance: str
    created_at: str


def return_link(page: str, origin: str | None, token: str) -> str:
    """``page`` with the token as ``rc_points``; the page must be on ``origin`` (the request's,
    which the embed's CORS policy checked against the store's allowed origins)."""
    parts = urlsplit(page)
    if parts.scheme not in ("https", "http") or not parts.netloc or origin is None:
        raise InvalidInput("page: the shop page's full address", fields=[{"field": "page"}])
    if f"{parts.scheme}://{parts.netloc}".lower() != origin.lower():
        raise InvalidInput(
            "page: not on the origin the request comes from", fields=[{"field": "page"}]
        )
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAM]
    query.append((PARAM, token))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def send_link(
    *, session: Session, settings: Any, store: Store, email: str, page: str, origin: str | None
) -> None:
    """E-mail the advocate known by ``email`` a link back to ``page`` carrying their widget
    token; nothing (and no sign of it) when the address is no advocate's, or a blocked one."""
    try:
        address = normalise_email(email)
    except InvalidInput:
        return
    advocate = advocates.find_by_email(session, store, address)
    if advocate is None or advocate.status in ("erased", "blocked"):
        return
    token = signing.sign(settings, PURPOSE, {"a": advocate.id, "s": store.id})
    enqueue(
        session,
        "advocates.email",
        {
            "advocate_id": advocate.id,
            "template": "points",
            "link": return_link(page, origin, token),
        },
        store_id=store.id,
    )


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send the link's token as Authorization: Bearer <token>.")
    return token.strip()


def advocate_of(session: Session, settings: Any, store: Store, token: str) -> Advocate:
    """The advocate a widget token names: signed for this purpose and store, not expired,
    the advocate still in the programme."""
    payload = signing.unsign(settings, PURPOSE, token)
    if not isinstance(payload, dict) or payload.get("s") != store.id:
        raise signing.TokenInvalid("This link belongs to another store.")
    advocate = advocates.get_advocate(session, store, int(payload.get("a") or 0))
    if advocate.status in ("erased", "blocked"):
        raise Forbidden("This advocate account cannot spend points.", code="advocate_blocked")
    return advocate


def points_view(session: Session, store: Store, advocate: Advocate) -> WidgetPoints:
    assert advocate.id is not None
    points = ledger.balance(session, advocate.id, "points")
    return WidgetPoints(
        name=advocate.name.split()[0] if advocate.name.strip() else "",
        points=points,
        items=[
            WidgetItem(**catalogue.public(item).model_dump(), affordable=points >= item.points_cost)
            for item in catalogue.items(session, store, active_only=True)
        ],
    )


# ---- HTTP ------------------------------------------------------------------------------------


async def _limit(request: Request, scope: str, key: str, limits: tuple[int, int]) -> None:
    runtime = runtime_of(request)
    await ratelimit.hit(
        runtime.cache, scope, key, limit=limits[0], window=limits[1], when_down="local"
    )


async def ask_link(request: Request) -> Response:
    runtime = runtime_of(request)
    settings = runtime.settings
    pk = str(request.path_params["publishable_key"])
    await _limit(request, "points-link", privacy.ip_hash(settings, request), LINKS_PER_IP)
    await _limit(request, "points-link-store", pk, LINKS_PER_STORE)
    data = await read_json(request, LinkIn)
    await _limit(
        request,
        "points-link-address",
        privacy.keyed_hash(settings, "email", data.email.lower()),
        LINKS_PER_ADDRESS,
    )
    origin = request.headers.get("origin")
    return_link(data.page, origin, "x")  # a bad page is refused whoever the address is

    def work(session: Session) -> None:
        store = store_for_publishable_key(session, pk)
        send_link(
            session=session,
            settings=settings,
            store=store,
            email=data.email,
            page=data.page,
            origin=origin,
        )

    await in_transaction(request, work)
    return json_response(LinkSent(), 202)


async def read_points(request: Request) -> Response:
    runtime = runtime_of(request)
    pk = str(request.path_params["publishable_key"])
    await _limit(request, "points-read", privacy.ip_hash(runtime.settings, request), READS_PER_IP)
    token = bearer(request)

    def work(session: Session) -> WidgetPoints:
        store = store_for_publishable_key(session, pk)
        return points_view(session, store, advocate_of(session, runtime.settings, store, token))

    answer = await in_transaction(request, work, readonly=True)
    return json_response(answer, headers={"Cache-Control": "no-store"})


async def redeem(request: Request) -> Response:
    runtime = runtime_of(request)
    settings = runtime.settings
    pk = str(request.path_params["publishable_key"])
    await _limit(request, "points-redeem", privacy.ip_hash(settings, request), REDEEMS_PER_IP)
    token = bearer(request)
    data = await read_json(request, RedeemIn)
    key = request.headers.get("idempotency-key", "")
    if not key.strip() or len(key) > 100:
        raise InvalidInput("Send an Idempotency-Key header of 1 to 100 characters.")

    def who(session: Session) -> int:
        store = store_for_publishable_key(session, pk)
        advocate = advocate_of(session, settings, store, token)
        assert advocate.id is not None
        return advocate.id

    advocate_id = await in_transaction(request, who, readonly=True)
    await _limit(request, "points-redeem-advocate", str(advocate_id), REDEEMS_PER_ADVOCATE)

    def work(session: Session) -> ledger.RedemptionAnswer:
        store = store_for_publishable_key(session, pk)
        advocate_of(session, settings, store, token)  # still in the programme, in this transaction
        return catalogue.redeem_item(
            session=session,
            store=store,
            advocate_id=advocate_id,
            item_id=data.item_id,
            idempotency_key=f"widget:{key.strip()}",
            now=runtime.now(),
        )

    answer = await in_transaction(request, work)
    return JSONResponse(
        answer.body, status_code=answer.status, headers={"Cache-Control": "no-store"}
    )


TOKEN_HEADER = {"Authorization": "Bearer <the token the e-mailed link carried as rc_points>"}

embed_routes = [
    endpoint(
        "/{publishable_key}/points/link",
        ask_link,
        methods=["POST"],
        doc=Doc(
            "E-mail an advocate a link back to this page to spend their points",
            tags=["embed"],
            auth="publishable",
            body=LinkIn,
            responses={
                202: LinkSent,
                422: "The page is not on the request's origin, or a field is wrong.",
                429: "Too many links asked for from this address, or for this e-mail.",
            },
            description="The same 202 whether or not the address is an advocate's. The link "
            f"is the page with `{PARAM}=<token>` (24 hours), which `<rc-points>` reads.",
        ),
        name="embed_points_link",
    ),
    endpoint(
        "/{publishable_key}/points",
        read_points,
        doc=Doc(
            "The signed-in advocate's points and the catalogue",
            tags=["embed"],
            auth="publishable",
            headers=TOKEN_HEADER,
            responses={
                200: WidgetPoints,
                400: "The token is invalid, expired or another store's.",
                401: "No token.",
                403: "The advocate is blocked or erased.",
            },
        ),
        name="embed_points",
    ),
    endpoint(
        "/{publishable_key}/points/redeem",
        redeem,
        methods=["POST"],
        doc=Doc(
            "Spend points on a catalogue item (idempotent; the coupon it buys)",
            tags=["embed"],
            auth="publishable",
            body=RedeemIn,
            headers={
                **TOKEN_HEADER,
                "Idempotency-Key": "One per attempt (1-100 characters): a repeat gets the same answer.",
            },
            responses={
                201: WidgetRedemption,
                400: "The token is invalid, expired or another store's.",
                401: "No token.",
                403: "The advocate is blocked.",
                404: "No such item, or it is no longer offered.",
                409: "Not enough points (insufficient_balance), or a debt (balance_in_debt).",
                422: "No Idempotency-Key, or no item_id.",
                429: "Too many attempts.",
            },
        ),
        name="embed_points_redeem",
    ),
]
