"""HTTP for connectors: the store's settings (secret key) and the platforms' signed webhooks."""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from rcommerce.connectors import inbound, service
from rcommerce.connectors.models import ConnectorIn, ConnectorList, ConnectorSaved
from rcommerce.errors import ApiError, PayloadTooLarge
from rcommerce.stores.auth import authenticated
from rcommerce.web import (
    AsgiEndpoint,
    Doc,
    endpoint,
    in_transaction,
    json_response,
    read_json,
    runtime_of,
)

_TAGS = ["connectors"]


class Acknowledged(BaseModel):
    """The delivery is safe: ``accepted`` (stored; a job records it), ``duplicate`` (stored
    before; nothing changes), ``test`` or ``ping`` (nothing recorded)."""

    status: str
    delivery_id: str | None = None


async def put_connector(request: Request) -> Response:
    platform = service.platform_name(request.path_params["platform"])
    data = await read_json(request, ConnectorIn)
    runtime = runtime_of(request)

    def work(session: Session) -> ConnectorSaved:
        store = authenticated(request, session)
        return service.save_connector(
            session=session,
            settings=runtime.settings,
            store=store,
            platform=platform,
            data=data,
            now=runtime.now(),
        )

    return json_response(await in_transaction(request, work))


async def list_connectors(request: Request) -> Response:
    runtime = runtime_of(request)

    def work(session: Session) -> ConnectorList:
        store = authenticated(request, session)
        return ConnectorList(
            connectors=service.list_connectors(
                session=session, settings=runtime.settings, store=store
            )
        )

    return json_response(await in_transaction(request, work, readonly=True))


class ChallengeQuery(BaseModel):
    """Haravan's subscription check, answered when the verify token is the connector's."""

    mode: str = Field(alias="hub.mode")
    verify_token: str = Field(alias="hub.verify_token")
    challenge: str = Field(alias="hub.challenge")


def _store_id(request: Request) -> int:
    store_id: int = request.path_params["store_id"]
    return store_id


async def _receive_webhook(scope: Scope, receive: Receive, send: Send) -> None:
    """POST /connect/{platform}/{store_id}/webhooks, answered at the ASGI level (a hot route:
    platforms time out and retry a slow acknowledgement)."""
    platform = service.platform_name(scope["path_params"]["platform"])
    store_id: int = scope["path_params"]["store_id"]
    headers = Headers(scope=scope)
    body = await _body(headers, receive)
    received = await run_in_threadpool(
        inbound.receive,
        scope["app"].state.runtime,
        platform=platform,
        store_id=store_id,
        headers=headers,
        body=body,
    )
    answer = Acknowledged(status=received.status, delivery_id=received.delivery_id)
    content = answer.model_dump_json(exclude_none=True).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})


async def _body(headers: Headers, receive: Receive) -> bytes:
    """The raw body, refused with 413 past MAX_DELIVERY_BYTES (declared or streamed)."""
    limit = inbound.MAX_DELIVERY_BYTES
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ApiError("The client went away.", code="disconnected")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


receive_webhook = AsgiEndpoint(_receive_webhook)


async def answer_challenge(request: Request) -> Response:
    platform = service.platform_name(request.path_params["platform"])
    answer = await run_in_threadpool(
        inbound.challenge,
        runtime_of(request),
        platform=platform,
        store_id=_store_id(request),
        query=request.query_params,
    )
    return PlainTextResponse(answer, headers={"Cache-Control": "no-store"})


_WEBHOOKS = "/connect/{platform}/{store_id:int}/webhooks"

webhook_route = endpoint(
    _WEBHOOKS,
    receive_webhook,
    methods=["POST"],
    doc=Doc(
        "A platform's signed webhook delivery",
        tags=_TAGS,
        body_type="application/json",
        headers={
            "X-Shopify-Hmac-Sha256": "Shopify: base64 HMAC-SHA256 of the raw body",
            "X-WC-Webhook-Signature": "WooCommerce: base64 HMAC-SHA256 of the raw body",
            "X-Haravan-Hmacsha256": "Haravan: HMAC-SHA256 of the raw body (base64 or hex)",
            "X-Sapo-Hmac-Sha256": "Sapo: base64 HMAC-SHA256 of the raw body",
        },
        responses={
            200: Acknowledged,
            400: "Signed, but not a JSON delivery rcommerce can name.",
            401: "Missing or wrong signature: nothing is stored.",
            403: "Signed for another shop than the connector's.",
            404: "No connector at this address.",
            413: "Larger than 2 MiB.",
        },
        description="The signature is checked over the raw body before anything is "
        "parsed. A verified delivery is stored once under its delivery id (or the body's "
        "hash) and answered at once; a job records its orders, fulfilments, refunds and "
        "products. Test deliveries and WooCommerce's ping are answered and not recorded.",
    ),
    name="connector_webhook",
)

routes: list[Route] = [
    endpoint(
        "/api/v1/connectors/{platform}",
        put_connector,
        methods=["PUT"],
        doc=Doc(
            "Connect the store's Haravan, Sapo, Shopify or WooCommerce shop",
            tags=_TAGS,
            auth="secret",
            body=ConnectorIn,
            responses={200: ConnectorSaved, 404: "No such platform."},
            description="Saves the webhook secret (sealed; never shown again), the Haravan "
            "verify token, the shop's domain and Admin API access for reward coupons. Answers "
            "the webhook URL to paste into the platform and the topics to subscribe it to.",
        ),
        name="connector_put",
    ),
    endpoint(
        "/api/v1/connectors",
        list_connectors,
        doc=Doc(
            "The store's connectors: deliveries, refused signatures, coupon sync (no secrets)",
            tags=_TAGS,
            auth="secret",
            responses={200: ConnectorList},
        ),
        name="connectors_list",
    ),
    webhook_route,
    endpoint(
        _WEBHOOKS,
        answer_challenge,
        doc=Doc(
            "Haravan's subscription check (hub.mode, hub.verify_token, hub.challenge)",
            tags=_TAGS,
            query=ChallengeQuery,
            responses={
                200: "The hub.challenge, as text/plain.",
                403: "The verify token does not match.",
                404: "No connector at this address.",
            },
        ),
        name="connector_challenge",
    ),
]

hot_routes = [webhook_route]
