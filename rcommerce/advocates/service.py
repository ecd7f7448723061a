"""Advocates: enrolment, referral codes, status, opt-out and magic-link logins.

An advocate is known by an e-mail, a phone (E.164: ``0901 234 567``, ``+84 90 123 4567`` and
``84901234567`` are one advocate), or both. Messages go to the e-mail when there is one, else to
the phone (Zalo ZNS, then SMS: the ``advocates.phone`` job)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rcommerce import events, identity, signing
from rcommerce.advocates.events import AdvocateChanged, AdvocateEnrolled
from rcommerce.advocates.models import Advocate, PortalLogin
from rcommerce.errors import Forbidden, InvalidInput, NotFound
from rcommerce.identity import InvalidPhone, parse_phone, skeleton
from rcommerce.jobs import enqueue
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B pairs that people misread when a code is read out or typed.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 7
GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}
YAHOO_DOMAINS = {"ymail.com", "rocketmail.com"}  # and yahoo.com, yahoo.com.vn, yahoo.co.uk ...


def normalise_email(email: str) -> str:
    """Trimmed and lower-cased, after checking that it looks like an address."""
    value = email.strip()
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(f"{value!r} is not an e-mail address: {exc}") from None
    return value.lower()


def normalise_phone(phone: str) -> str:
    """E.164, after checking it is a valid number (read as Vietnamese without a country code)."""
    try:
        return parse_phone(phone)
    except InvalidPhone as exc:
        raise InvalidInput(
            str(exc), fields=[{"field": "phone", "message": "not a valid phone number"}]
        ) from None


def canonical_email(email: str) -> str:
    """The mailbox behind an address, for fraud checks only: ``A.Li+shop@googlemail.com`` ->
    ``ali@gmail.com``, ``ｌаn-zalo@yahoo.com`` (fullwidth l, Cyrillic a) -> ``lan@yahoo.com``
    (Unicode look-alikes folded by ``rcommerce.identity.skeleton``)."""
    local, _, domain = skeleton(email.strip()).rpartition("@")
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    elif _is_yahoo(domain):  # Yahoo's disposable addresses: basename-keyword@
        local = local.split("-", 1)[0]
    return f"{local}@{domain}"


def _is_yahoo(domain: str) -> bool:
    name = domain.split(".", 1)[0]
    return name == "yahoo" or domain in YAHOO_DOMAINS


def new_referral_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(code: str) -> str:
    """What people type: lower case, spaces and dashes are forgiven."""
    return code.strip().upper().replace("-", "").replace(" ", "")[:16]


def referral_url(settings: Settings, advocate: Advocate) -> str:
    return f"{settings.base_url}/r/{advocate.referral_code}"


def portal_url(settings: Settings, store: Store) -> str:
    return f"{settings.base_url}/portal/{store.publishable_key}/"


@dataclass(frozen=True)
class Enrolment:
    advocate: Advocate
    created: bool


def enrol(
    *,
    session: Session,
    store: Store,
    email: str | None = None,
    phone: str | None = None,
    name: str = "",
    source: str = "api",
    locale: str | None = None,
    visitor_id: str | None = None,
    ip_hash: str | None = None,
    user_agent_hash: str | None = None,
    welcome: bool = True,
) -> Enrolment:
    """One advocate per store per e-mail and per phone: the same e-mail or phone again returns
    the same advocate (given both, the one either names; a missing e-mail or phone is added to
    it when no other advocate has it).

    From the widget (``source="widget"``) a phone typed beside an e-mail is not kept: nothing
    proves either belongs to the person, and keeping the pair would let anyone tie someone
    else's number to their own mailbox (and so to its sign-in links). The store's backend
    vouches for its customers, so its pair is kept."""
    address = normalise_email(email) if email else None
    number = normalise_phone(phone) if phone else None
    if source == "widget" and address is not None:
        number = None
    if address is None and number is None:
        raise InvalidInput(
            "An advocate needs an e-mail or a phone.",
            fields=[{"field": "email", "message": "email or phone is required"}],
        )
    existing = _find(session, store, address, number)
    if existing is not None:
        if existing.status == "erased":
            raise Forbidden("This person asked for their data to be erased.")
        _complete(session, store, existing, address, number)
        return Enrolment(existing, False)
    code = _unused_code(session)
    assert store.id is not None
    advocate = Advocate(
        store_id=store.id,
        email=address,
        email_canonical=canonical_email(address) if address else "",
        phone=number,
        name=name.strip(),
        referral_code=code,
        source=source,
        locale=locale,
        visitor_id=visitor_id,
        ip_hash=ip_hash,
        user_agent_hash=user_agent_hash,
    )
    # A savepoint: two requests enrolling one e-mail (or phone) at once must yield one advocate.
    try:
        with session.begin_nested():
            session.add(advocate)
            session.flush()
    except IntegrityError:
        existing = _find(session, store, address, number)
        if existing is None:
            raise
        return Enrolment(existing, False)
    assert advocate.id is not None
    events.publish(AdvocateEnrolled(session, store, advocate))
    if not welcome:
        return Enrolment(advocate, True)
    enqueue(
        session,
        "advocates.email" if advocate.email else "advocates.phone",
        {"advocate_id": advocate.id, "template": "welcome"},
        store_id=store.id,
        dedupe_key=f"advocate-welcome:{advocate.id}",
    )
    return Enrolment(advocate, True)


def _find(session: Session, store: Store, email: str | None, phone: str | None) -> Advocate | None:
    found = find_by_email(session, store, email) if email else None
    if found is None and phone:
        found = find_by_phone(session, store, phone)
    return found


def _complete(
    session: Session, store: Store, advocate: Advocate, email: str | None, phone: str | None
) -> None:
    """Add the e-mail or phone the advocate lacks, unless another advocate has it."""
    if phone and advocate.phone is None and find_by_phone(session, store, phone) is None:
        advocate.phone = phone
    elif email and advocate.email is None and find_by_email(session, store, email) is None:
        advocate.email = email
        advocate.email_canonical = canonical_email(email)
    else:
        return
    try:
        with session.begin_nested():
            session.add(advocate)
            session.flush()
    except IntegrityError:  # another advocate took it a moment ago: keep theirs
        session.refresh(advocate)
        return
    events.publish(AdvocateChanged(session, advocate))


def _unused_code(session: Session) -> str:
    for _ in range(20):
        code = new_referral_code()
        taken = session.exec(select(Advocate.id).where(Advocate.referral_code == code)).first()
        if taken is None:
            return code
    raise RuntimeError("could not find a free referral code")  # 25^7 codes: never in practice


def find_by_email(session: Session, store: Store, email: str) -> Advocate | None:
    return session.exec(
        select(Advocate).where(Advocate.store_id == store.id, Advocate.email == email)
    ).first()


def find_by_phone(session: Session, store: Store, phone: str) -> Advocate | None:
    return session.exec(
        select(Advocate).where(Advocate.store_id == store.id, Advocate.phone == phone)
    ).first()


def get_advocate(session: Session, store: Store, advocate_id: int) -> Advocate:
    advocate = session.get(Advocate, advocate_id)
    if advocate is None or advocate.store_id != store.id or advocate.status == "erased":
        raise NotFound(f"No advocate {advocate_id} in this store.")
    return advocate


def by_code(session: Session, code: str) -> Advocate | None:
    return session.exec(select(Advocate).where(Advocate.referral_code == clean_code(code))).first()


def list_advocates(
    *,
    session: Session,
    store: Store,
    search: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Advocate], int]:
    """A page of the store's advocates (newest first) and the total matching ``search``."""
    query = advocates_query(store=store, search=search, status=status)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(Advocate.created_at).desc(), col(Advocate.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total)


def advocates_query(*, store: Store, search: str | None = None, status: str | None = None) -> Any:
    """The store's advocates (not erased) matching ``search`` (e-mail, phone, name, referral
    code)."""
    query = select(Advocate).where(Advocate.store_id == store.id, Advocate.status != "erased")
    if status:
        query = query.where(Advocate.status == status)
    if search and search.strip():
        like = f"%{search.strip().lower()}%"
        # A number typed any way (0901 234 567) finds the advocate's E.164 phone.
        number = identity.normalise_phone(search) or search.strip()
        query = query.where(
            or_(
                col(Advocate.email).like(like),
                col(Advocate.phone).like(like),
                col(Advocate.phone) == number,
                func.lower(col(Advocate.name)).like(like),
                col(Advocate.referral_code) == clean_code(search),
            )
        )
    return query


def set_status(*, session: Session, store: Store, advocate_id: int, status: str) -> Advocate:
    """Block, unblock or opt out. A blocked or opted-out advocate's link still lands visitors
    on the store, but carries no referral and earns nothing."""
    if status not in ("active", "blocked", "opted_out"):
        raise InvalidInput("status must be active, blocked or opted_out.")
    advocate = get_advocate(session, store, advocate_id)
    advocate.status = status
    session.add(advocate)
    events.publish(AdvocateChanged(session, advocate))
    return advocate


def update_advocate(
    *,
    session: Session,
    store: Store,
    advocate_id: int,
    now: datetime,
    status: str | None = None,
    name: str | None = None,
    leaderboard_opt_out: bool | None = None,
) -> Advocate:
    """A manager's change to an advocate. Opting out also stops the programme's e-mails, as the
    advocate's own opt-out does."""
    advocate = get_advocate(session, store, advocate_id)
    if status is not None:
        advocate = set_status(session=session, store=store, advocate_id=advocate_id, status=status)
        if status == "opted_out":
            opt_out_of_emails(session=session, advocate=advocate, now=now)
    if name is not None:
        advocate.name = name
        session.add(advocate)
        events.publish(AdvocateChanged(session, advocate))
    if leaderboard_opt_out is not None:
        set_leaderboard_opt_out(session=session, advocate=advocate, value=leaderboard_opt_out)
    return advocate


def set_leaderboard_opt_out(*, session: Session, advocate: Advocate, value: bool) -> None:
    """Keep the advocate off the store's public leaderboard (True) or show them again."""
    advocate.leaderboard_opt_out = value
    session.add(advocate)
    events.publish(AdvocateChanged(session, advocate))


def opt_out_of_emails(*, session: Session, advocate: Advocate, now: datetime) -> None:
    if advocate.emails_opted_out_at is None:
        advocate.emails_opted_out_at = now
        session.add(advocate)


# Magic links -----------------------------------------------------------------------------


def start_login(
    *, session: Session, settings: Settings, store: Store, email: str, now: datetime
) -> None:
    """Send a single-use sign-in link if the e-mail or phone (``email`` is what was typed) is
    enrolled: by e-mail to an address, by Zalo ZNS or SMS to a phone. Silent otherwise, so
    that the form does not reveal who is in the programme."""
    typed = email.strip()
    try:
        if "@" in typed:
            advocate = find_by_email(session, store, normalise_email(typed))
        else:
            advocate = find_by_phone(session, store, normalise_phone(typed))
    except InvalidInput:
        return
    if advocate is None or advocate.status in ("erased", "blocked"):
        return
    assert advocate.id is not None
    login = PortalLogin(id=uuid.uuid4().hex, advocate_id=advocate.id, created_at=now)
    session.add(login)
    session.flush()
    token = signing.sign(settings, "magic-link", {"l": login.id, "a": advocate.id, "s": store.id})
    # The link goes where it was asked for: a phone typed gets it on the phone.
    by_phone = "@" not in typed
    enqueue(
        session,
        "advocates.phone" if by_phone else "advocates.email",
        {"advocate_id": advocate.id, "template": "magic", "token": token},
        store_id=store.id,
    )


def magic_link(settings: Settings, store: Store, token: str) -> str:
    return f"{settings.base_url}/portal/{store.publishable_key}/login/{token}"


def finish_login(
    *, session: Session, settings: Settings, store: Store, token: str, now: datetime
) -> Advocate:
    """Spend a magic link: valid signature, not older than 15 minutes, this store, once."""
    payload = signing.unsign(settings, "magic-link", token)
    if not isinstance(payload, dict) or payload.get("s") != store.id:
        raise signing.TokenInvalid("This sign-in link belongs to another store.")
    used = session.execute(
        update(PortalLogin)
        .where(col(PortalLogin.id) == payload.get("l"), col(PortalLogin.used_at).is_(None))
        .values(used_at=now)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise signing.TokenInvalid("This sign-in link was already used.")
    advocate = get_advocate(session, store, int(payload["a"]))
    if advocate.status == "blocked":
        raise Forbidden("This advocate account is blocked.")
    return advocate
