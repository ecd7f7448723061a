"""The signed ``rc_ref`` token a referral link hands the store: made on every click by the
redirect, read back when the store sends the order or asks for the friend's offer."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import TimestampSigner
from sqlmodel import Session

from rcommerce import signing
from rcommerce.errors import ApiError
from rcommerce.referrals.models import Campaign
from rcommerce.referrals.visitors import IP_KEY_CHARS
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

# The rc_ref payload is a compact JSON object with one-letter keys (it travels in every landing
# URL and is written on every click). ``token_prefix`` and ``make_token`` build it, and this
# is the one list of its keys:
#   s  store id
#   a  advocate id
#   c  campaign id (null: the store's default)
#   k  click id (``clicks.new_click_id``), the ``click`` row's primary key
#   t  issue time, whole seconds since the epoch (the attribution window counts from it)
#   i  keyed hash of the visitor's IP, its first ``visitors.IP_KEY_CHARS`` characters
#   u  keyed hash of the visitor's user agent (``clicks.ua_hash``)
# ``read_token`` reads them back into a ``ReferralToken``, taking a missing or empty ``i`` or
# ``u`` as unknown.


class TokenWrongStore(ApiError):
    status, code = 400, "token_wrong_store"


# Why a token was refused: altered or not ours, another store's, older than the window.
REJECTIONS = ("token_invalid", "token_wrong_store", "token_expired")


@dataclass(frozen=True)
class ReferralToken:
    """A verified rc_ref (its payload's keys in the comment above)."""

    store_id: int  # s
    advocate_id: int  # a
    campaign_id: int | None  # c
    click_id: str  # k
    issued_at: datetime  # t
    ip_hash: str | None  # i
    ua_hash: str | None  # u


def token_prefix(store_id: int, advocate_id: int, campaign_id: int | None) -> str:
    """The start of the ``rc_ref`` payload, the same for every click on one link: ``{``, the
    keys ``s``, ``a``, ``c``, then ``k``'s opening quote."""
    campaign = "null" if campaign_id is None else int(campaign_id)
    return f'{{"s":{int(store_id)},"a":{int(advocate_id)},"c":{campaign},"k":"'


def make_token(
    signer: TimestampSigner, prefix: str, click_id: str, at: float, ip_hash: str, ua_hash: str
) -> str:
    """The signed ``rc_ref``: store, advocate, campaign (``prefix``, from ``token_prefix``),
    then ``k`` click id, ``t`` issue time, and ``i``/``u`` keyed hashes of the visitor's IP
    and user agent (for self-referral checks at order time).

    ``signer`` is ``signing.signer(settings, "referral")``. The payload is the JSON a compact
    encoder writes, formatted directly (every field is an int, null or a hex string; this runs
    on every click) and left uncompressed (the serializer's ``dumps`` tries zlib on every
    call); ``signing.unsign`` reads both forms."""
    payload = f'{prefix}{click_id}","t":{int(at)},"i":"{ip_hash[:IP_KEY_CHARS]}","u":"{ua_hash}"}}'
    raw = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=")  # itsdangerous's base64_encode
    return signer.sign(raw).decode("ascii")


def read_token(
    session: Session,
    settings: Settings,
    store: Store,
    token: str,
    *,
    now: datetime,
    default: Campaign,
) -> tuple[ReferralToken, Campaign]:
    """Verify an ``rc_ref`` the store handed back: signed by us, for this store, within its
    campaign's attribution window. Tampered, foreign or stale tokens raise a clear 400
    (``REJECTIONS`` lists their codes); ``check_token`` answers the same without raising."""
    parsed, campaign = _verified(session, settings, store, token, now=now, default=default)
    window = campaign.attribution_window_days
    if now - parsed.issued_at > timedelta(days=window):
        raise signing.TokenExpired(
            f"This referral token is older than the {window}-day attribution window; "
            "send the order without referral_token to record it unattributed."
        )
    return parsed, campaign


def _verified(
    session: Session,
    settings: Settings,
    store: Store,
    token: str,
    *,
    now: datetime,
    default: Campaign,
) -> tuple[ReferralToken, Campaign]:
    """A token signed by us for this store, however old, and its campaign."""
    payload = signing.unsign(settings, "referral", token.strip())
    if not isinstance(payload, dict):
        raise signing.TokenInvalid("This referral token is not valid (malformed).")
    try:
        parsed = ReferralToken(
            store_id=int(payload["s"]),
            advocate_id=int(payload["a"]),
            campaign_id=int(payload["c"]) if payload.get("c") is not None else None,
            click_id=str(payload["k"]),
            issued_at=datetime.fromtimestamp(int(payload["t"]), now.tzinfo),
            ip_hash=str(payload.get("i") or "") or None,
            ua_hash=str(payload.get("u") or "") or None,
        )
    except (KeyError, TypeError, ValueError):
        raise signing.TokenInvalid("This referral token is not valid (malformed).") from None
    if parsed.store_id != store.id:
        raise TokenWrongStore("This referral token was issued for another store.")
    campaign = default
    if parsed.campaign_id is not None and parsed.campaign_id != default.id:
        found = session.get(Campaign, parsed.campaign_id)
        if found is not None and found.store_id == store.id:
            campaign = found
    return parsed, campaign


@dataclass(frozen=True)
class TokenCheck:
    """A token read back: verified (``token`` and its ``campaign``), or refused (``rejected``
    is one of ``REJECTIONS``) and the campaign it falls back to. ``click`` is the click the
    token was made on, when it is ours and this store's, however old (a stale token still
    says when the friend clicked, which dates their welcome coupon)."""

    token: ReferralToken | None
    campaign: Campaign
    rejected: str | None = None
    click: ReferralToken | None = None


def check_token(
    session: Session,
    settings: Settings,
    store: Store,
    token: str,
    *,
    now: datetime,
    default: Campaign,
) -> TokenCheck:
    """``read_token`` for an order: a bad token is an answer (why it was refused), never an
    error, because the order it came with must be recorded all the same."""
    try:
        parsed, campaign = _verified(session, settings, store, token, now=now, default=default)
    except (signing.TokenInvalid, signing.TokenExpired, TokenWrongStore) as exc:
        return TokenCheck(None, default, exc.code)
    if now - parsed.issued_at > timedelta(days=campaign.attribution_window_days):
        return TokenCheck(None, default, "token_expired", click=parsed)
    return TokenCheck(parsed, campaign, click=parsed)
