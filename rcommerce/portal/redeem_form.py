"""The portal's redeem form: its CSRF token (tied to the advocate's session cookie), the
idempotency key each rendering carries, and the amount typed into it."""

from __future__ import annotations

import hmac
import secrets
from decimal import Decimal, InvalidOperation

from rcommerce.privacy import keyed_hash
from rcommerce.settings import Settings

NOTICES = (
    "redeemed",
    "insufficient_balance",
    "insufficient_points",
    "item_unavailable",
    "debt",
    "advocate_blocked",
    "invalid_amount",
)


def form_token(settings: Settings, session_cookie: str) -> str:
    """A token only this session's pages know: a cross-site form cannot send it."""
    return keyed_hash(settings, "portal-form", session_cookie)


def token_ok(settings: Settings, session_cookie: str | None, sent: str | None) -> bool:
    if not session_cookie or not sent:
        return False
    return hmac.compare_digest(form_token(settings, session_cookie), sent)


def new_idempotency_key() -> str:
    """One per rendered form: sending the same form twice spends the balance once."""
    return "portal-" + secrets.token_urlsafe(18)


def parse_amount(raw: str | None) -> Decimal | None:
    """A positive amount with at most two decimals, as a number field sends it, or None."""
    text = (raw or "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal(10) ** 16:
        return None
    if amount != amount.quantize(Decimal("0.01")):
        return None
    return amount


def redemption_notice(status: int, body: dict[str, object], balance: Decimal) -> str:
    """The notice code the portal shows after ``ledger.redeem`` answered."""
    if status == 201:
        return "redeemed"
    error = body.get("error")
    code = error.get("code") if isinstance(error, dict) else None
    if code == "advocate_blocked":
        return "advocate_blocked"
    if balance < 0 or code == "balance_in_debt":
        return "debt"
    return "insufficient_balance"
