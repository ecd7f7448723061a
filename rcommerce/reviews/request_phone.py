"""Review requests to a buyer known only by phone: a Zalo ZNS template message (the signed
review link in its CTA button), then an SMS when Zalo refuses it, through rcommerce.messaging's
adapters configured from the environment (RCOMMERCE_ZNS_*, RCOMMERCE_SMS_*)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rcommerce.messaging import (
    ReviewRequestMessage,
    Sender,
    SendResult,
)
from rcommerce.orders.models import Order
from rcommerce.phones import service as phones
from rcommerce.reviews.models import ReviewRequest
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PhoneOutcome:
    """``sent``: the attempt that delivered it (None: every channel refused); ``retryable``:
    a refusal that a later try may not meet (timeout, 5xx, quota)."""

    sent: SendResult | None
    retryable: bool


def phone_senders(settings: Settings) -> list[Sender]:
    """The phone channels configured, in the order they are tried: ZNS, then SMS."""
    return phones.senders(settings)


def send_by_phone(
    settings: Settings,
    *,
    store: Store,
    order: Order,
    request: ReviewRequest,
    link: str,
    now: datetime,
) -> PhoneOutcome:
    """Send the request to ``request.phone`` on the first channel that accepts it; each
    attempt is appended to ``request.attempts``."""
    assert request.phone is not None and request.id is not None and store.id is not None
    if not phone_senders(settings):
        return PhoneOutcome(None, retryable=False)
    if request.tracking_id is None:
        # Zalo's rating callback names the request by it (reviews.zns_ratings): unguessable,
        # and the same for each retry of this request.
        request.tracking_id = f"rr-{request.id}-{secrets.token_hex(8)}"
    message = ReviewRequestMessage(
        phone=request.phone,
        buyer_name=order.customer_name,
        order_code=order.number or order.order_id,
        review_url=link,
        tracking_id=request.tracking_id,
        store_name=store.name,
        locale=store.locale if store.locale in ("vi", "en") else "vi",
        opt_out_url=phones.opt_out_url(settings, store.id, request.phone),
    )
    results = phones.send(settings, message, f"review request {request.id}")
    request.attempts = [*request.attempts, *(_logged(result, now) for result in results)]
    if results and results[-1].ok:
        return PhoneOutcome(results[-1], retryable=False)
    return PhoneOutcome(None, retryable=any(result.retryable for result in results))


def _logged(result: SendResult, now: datetime) -> dict[str, Any]:
    return {
        "channel": result.channel,
        "ok": result.ok,
        "message_id": result.message_id,
        "error_code": result.error_code,
        "detail": result.detail[:200],
        "retryable": result.retryable,
        "at": now.isoformat(),
    }
