"""Sending to a phone and honouring its opt-out.

Two kinds of message go to a phone. Those the person did not ask for (a review request, an
advocate's welcome) are not sent to a phone that opted out of the store's messages, and their
SMS ends with a signed opt-out link (``/o/{token}``: an SMS gateway's STOP keyword reaches
the gateway, not us, and differs between gateways). Those the person asked for a moment ago
(a portal sign-in link, the link confirming the review they just sent) always go. A ZNS
message carries no link of ours: Zalo lets its users refuse an OA's messages in the app.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from rcommerce import net, signing
from rcommerce.messaging import (
    PhoneMessage,
    PhoneNotice,
    Sender,
    SendResult,
    SMSConfig,
    SMSSender,
    ZNSConfig,
    ZNSSender,
    send_first,
    with_opt_out,
)
from rcommerce.phones.models import PhoneOptOut
from rcommerce.settings import Settings

log = logging.getLogger(__name__)


def senders(settings: Settings) -> list[Sender]:
    """The phone channels configured, in the order they are tried: ZNS, then SMS."""
    env = settings.messaging_env
    found: list[Sender] = []
    try:
        zns = ZNSConfig.from_env(env)
    except ValueError as exc:  # a malformed setting leaves the channel out, loudly
        log.error("RCOMMERCE_ZNS_* settings are not valid, ZNS is off: %s", exc)
        zns = None
    if zns is not None:
        found.append(ZNSSender(zns))
    try:
        sms = SMSConfig.from_env(env)
    except ValueError as exc:
        log.error("RCOMMERCE_SMS_* settings are not valid, SMS is off: %s", exc)
        sms = None
    if sms is not None:
        found.append(SMSSender(sms))
    return found


# ---- opt-out --------------------------------------------------------------------------------


def opt_out_token(settings: Settings, store_id: int, phone: str) -> str:
    return signing.sign(settings, "phone-opt-out", [store_id, phone])


def opt_out_url(settings: Settings, store_id: int, phone: str) -> str:
    """The short link an SMS carries: it names the store and the phone, signed."""
    return f"{settings.base_url}/o/{opt_out_token(settings, store_id, phone)}"


def read_opt_out(settings: Settings, token: str) -> tuple[int, str]:
    """The store id and phone an opt-out link names (TokenInvalid, TokenExpired)."""
    payload = signing.unsign(settings, "phone-opt-out", token)
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], int)
        or not isinstance(payload[1], str)
        or not payload[1].startswith("+")
    ):
        raise signing.TokenInvalid("This opt-out link is not valid.")
    return payload[0], payload[1]


def is_opted_out(session: Session, store_id: int, phone: str) -> bool:
    found = session.exec(
        select(PhoneOptOut.id).where(PhoneOptOut.store_id == store_id, PhoneOptOut.phone == phone)
    ).first()
    return found is not None


def opt_out(
    session: Session, *, store_id: int, phone: str, now: datetime, source: str = "link"
) -> None:
    """Record the phone's opt-out (once; a second one changes nothing)."""
    if is_opted_out(session, store_id, phone):
        return
    try:
        with session.begin_nested():
            session.add(PhoneOptOut(store_id=store_id, phone=phone, source=source, created_at=now))
            session.flush()
    except IntegrityError:  # the same link used twice at once
        pass


# ---- sending --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """``sent``: the attempt that delivered it (None: not sent); ``attempts``: each try;
    ``skipped``: why nothing was tried ("opted_out", "no_channel")."""

    sent: SendResult | None
    attempts: list[SendResult]
    retryable: bool = False
    skipped: str | None = None


def new_tracking_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(8)}"


def send(settings: Settings, message: PhoneMessage, what: str) -> list[SendResult]:
    """Send ``message`` on the first configured phone channel that takes it (ZNS, then SMS),
    each attempt logged as ``what``; every attempt's result in order, [] without a channel."""
    channels = senders(settings)
    if not channels:
        return []
    with net.client(settings) as http:
        results = send_first(channels, message, http=http)
    for result in results:
        log.info(
            "%s by %s: %s %s",
            what,
            result.channel,
            "sent" if result.ok else "refused",
            result.message_id or result.error_code or "",
        )
    return results


def send_notice(
    session: Session | None,
    settings: Settings,
    *,
    store_id: int,
    phone: str,
    purpose: str,
    text: str,
    link: str,
    locale: str,
    name: str = "",
    tracking_id: str,
    asked_for: bool,
) -> Outcome:
    """Send ``text`` (its ``link`` in ZNS's button) to ``phone`` on the first channel that takes
    it. Unless the person ``asked_for`` it, an opted-out phone is skipped and the SMS carries
    the opt-out link (``session`` is needed only then, to read the opt-outs)."""
    if not asked_for:
        assert session is not None, "checking the opt-outs needs a session"
    if not asked_for and session is not None and is_opted_out(session, store_id, phone):
        return Outcome(None, [], skipped="opted_out")
    if not asked_for:
        text = with_opt_out(text, opt_out_url(settings, store_id, phone), locale)
    notice = PhoneNotice(
        phone=phone, purpose=purpose, text=text, link=link, tracking_id=tracking_id, name=name
    )
    results = send(settings, notice, f"{purpose} to a phone")
    if not results:
        return Outcome(None, [], skipped="no_channel")
    if results and results[-1].ok:
        return Outcome(results[-1], results)
    return Outcome(None, results, retryable=any(r.retryable for r in results))
