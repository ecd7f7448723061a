"""HTTP for the Zalo OA's webhook: ``POST /connect/zalo/events``, where Zalo posts its events.

One route for the installation: the Zalo OA whose ZNS messages carry review requests is the
installation's (RCOMMERCE_ZNS_* and RCOMMERCE_ZALO_* in Settings.messaging), so its events come
here, and a rating finds its store through the review request its tracking id names.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce import privacy, ratelimit
from rcommerce.errors import ApiError, NotFound, Unauthorized
from rcommerce.messaging import ZaloOAConfig, parse_zns_rating, verify_event_signature
from rcommerce.messaging.zalo_ratings import CallbackSignatureError, InvalidCallback
from rcommerce.reviews import zns_ratings
from rcommerce.web import Doc, endpoint, in_transaction, json_response, read_body, runtime_of

# A rating event is well under 2 kB; Zalo's other events (messages with attachments' links)
# stay under this too.
MAX_EVENT_BYTES = 64 * 1024
# Per client address a minute: Zalo's servers send every event of the OA from a few addresses,
# so the budget is generous; a flood of forged events stops here before any hashing.
EVENTS_PER_MINUTE_PER_IP = 600
RATING_EVENT = "user_feedback"


class EventAnswer(BaseModel):
    """``accepted`` (kept; a job makes the review), ``duplicate`` (kept before: nothing
    changes), ``unmatched`` (names no review request sent by ZNS: logged, nothing kept) or
    ``ignored`` (an event that is not a rating)."""

    status: str


def _timestamp(body: bytes) -> str:
    """The event's own ``timestamp`` field, which Zalo's signature covers; "" when the body
    has none (the signature then cannot hold)."""
    try:
        event: Any = json.loads(body)
    except ValueError:
        return ""
    return str(event.get("timestamp", "")) if isinstance(event, dict) else ""


async def receive_event(request: Request) -> Response:
    runtime = runtime_of(request)
    settings = runtime.settings
    await ratelimit.hit(
        runtime.cache,
        "zalo-events-ip",
        privacy.ip_hash(settings, request),
        limit=EVENTS_PER_MINUTE_PER_IP,
        window=60,
        when_down="local",
    )
    try:
        config = ZaloOAConfig.from_env(settings.messaging_env)
    except ValueError:
        config = None
    if config is None:
        # No OA, no webhook: a 404 like a connector that is not there (a 5xx would have
        # Zalo retry, and tell monitoring something broke).
        raise NotFound(
            "No Zalo OA webhook here: this installation has no RCOMMERCE_ZALO_APP_ID and "
            "RCOMMERCE_ZALO_OA_SECRET.",
            code="not_configured",
        )
    body = await read_body(request, MAX_EVENT_BYTES)
    try:
        verify_event_signature(
            body,
            request.headers.get("x-zevent-signature"),
            app_id=config.app_id,
            oa_secret=config.oa_secret,
            timestamp=_timestamp(body),
        )
    except CallbackSignatureError as exc:
        raise Unauthorized(str(exc)) from None
    try:
        event = json.loads(body)
    except ValueError:
        raise ApiError("The event is not JSON.", code="invalid_event") from None
    if not isinstance(event, dict) or event.get("event_name") != RATING_EVENT:
        return json_response(EventAnswer(status="ignored"))
    try:
        rating = parse_zns_rating(event)
    except InvalidCallback as exc:
        raise ApiError(str(exc), code="invalid_rating", status=exc.status) from None

    def work(session: Session) -> zns_ratings.Received:
        return zns_ratings.receive(session=session, rating=rating, now=runtime.now())

    received = await in_transaction(request, work)
    return json_response(EventAnswer(status=received.status))


routes = [
    endpoint(
        "/connect/zalo/events",
        receive_event,
        methods=["POST"],
        doc=Doc(
            "The Zalo OA's webhook: ZNS rating callbacks become reviews",
            tags=["reviews"],
            body_type="application/json",
            headers={
                "X-ZEvent-Signature": "mac=sha256(app id + raw body + the body's timestamp + "
                "OA secret), hex"
            },
            responses={
                200: EventAnswer,
                400: "Signed, but a user_feedback event without a usable rating.",
                401: "Missing or wrong signature: nothing is stored.",
                413: "Larger than 64 KiB.",
                429: "Too many events from this address.",
                404: "RCOMMERCE_ZALO_APP_ID / RCOMMERCE_ZALO_OA_SECRET are not set here.",
            },
            description="The signature is checked over the raw body before the event is "
            "read. A user_feedback event whose tracking id names a review request sent by "
            "ZNS is kept once under its msg_id and answered at once; a job makes it the "
            "order's verified review. Other events are answered and ignored.",
        ),
        name="zalo_events",
    )
]
