"""Stores (tenants), their keys, and manager logins."""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from rcommerce import events, net
from rcommerce.db import after_commit
from rcommerce.errors import Conflict, InvalidInput, NotFound, Unauthorized
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores.events import WebhookURLRemoved
from rcommerce.stores.models import Manager, Store
from rcommerce.timestamps import utcnow
from rcommerce.urls import BadURL, ascii_url, origin_of

SECRET_PREFIX = "sk_live_"  # noqa: S105 (a prefix, not a secret)
PUBLISHABLE_PREFIX = "pk_live_"
SUPPORTED_LOCALES = ("vi", "en")
_hasher = PasswordHasher()

ORIGINS_TTL = 30  # seconds a store's origins are cached; a settings change applies this fast


def hash_key(key: str) -> str:
    # Keys are 256-bit random values, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(key.encode()).hexdigest()


def new_secret_key() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def new_publishable_key() -> str:
    return PUBLISHABLE_PREFIX + secrets.token_urlsafe(18)


def normalise_origin(origin: str) -> str:
    """The origin as browsers send it in ``Origin``: ``https://Shop.Example/`` ->
    ``https://shop.example``, ``https://cửa-hàng.vn`` -> ``https://xn--ca-hng-lta4562d.vn``;
    refuse anything with a path."""
    not_an_origin = InvalidInput(f"{origin!r} is not an origin such as https://shop.example.")
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        raise not_an_origin from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise not_an_origin
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise InvalidInput(f"{origin!r} must be scheme://host[:port] only, with no path.")
    try:
        return origin_of(origin)
    except (BadURL, ValueError):
        raise not_an_origin from None


def normalise_origins(origins: list[str]) -> list[str]:
    """Each origin normalised, duplicates dropped, order kept (the first is the landing page)."""
    return list(dict.fromkeys(normalise_origin(o) for o in origins))


def _secret_key_columns(secret: str) -> tuple[str, str]:
    """What is kept of a secret key: its hash, and a hint to recognise it by."""
    return hash_key(secret), secret[: len(SECRET_PREFIX) + 4]


@dataclass(frozen=True)
class CreatedStore:
    store: Store
    secret_key: str  # shown once; only its hash is kept


def create_store(
    *,
    session: Session,
    name: str,
    origins: list[str],
    currency: str = "VND",
    locale: str = "vi",
    timezone: str = "Asia/Ho_Chi_Minh",
) -> CreatedStore:
    name = name.strip()
    if not name:
        raise InvalidInput("A store needs a name.")
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput("currency must be an ISO 4217 code such as VND or USD.")
    if locale not in SUPPORTED_LOCALES:
        raise InvalidInput(f"locale must be one of {', '.join(SUPPORTED_LOCALES)}.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{timezone!r} is not an IANA time zone.") from None
    secret = new_secret_key()
    secret_hash, secret_hint = _secret_key_columns(secret)
    store = Store(
        name=name,
        secret_key_hash=secret_hash,
        secret_key_hint=secret_hint,
        publishable_key=new_publishable_key(),
        allowed_origins=normalise_origins(origins),
        currency=currency,
        locale=locale,
        timezone=timezone,
    )
    session.add(store)
    session.flush()
    return CreatedStore(store, secret)


def rotate_secret_key(*, session: Session, store: Store) -> str:
    """Replace the secret key; the old one stops working at once."""
    secret = new_secret_key()
    store.secret_key_hash, store.secret_key_hint = _secret_key_columns(secret)
    store.secret_key_rotated_at = utcnow()
    session.add(store)
    return secret


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", fields=[{"field": field, "message": message}])


def landing_url(url: str) -> str:
    """The landing URL as stored: ASCII (IDNA host, percent-encoded path), so that every
    redirect can send it in a Location header."""
    try:
        return ascii_url(url)
    except BadURL as exc:
        raise _invalid("landing_url", str(exc)) from None


def webhook_url(settings: Settings, url: str) -> str:
    """The webhook URL as stored: ASCII, https (unless http is allowed for development), and
    not a private address written literally (rcommerce.net)."""
    try:
        return net.Guard.of(settings).check_url(url, allow_http=settings.allow_http_webhooks)
    except net.UnsafeURL as exc:
        raise _invalid("webhook_url", str(exc)) from None


def update_store(*, session: Session, store: Store, changes: dict[str, Any]) -> Store:
    """Apply a manager's settings change (already validated by shape; origins and URLs are
    normalised and checked here). Clearing the webhook URL cancels what waits to be sent."""
    runtime: Runtime = session.info["runtime"]
    changes = dict(changes)
    if "allowed_origins" in changes:
        changes["allowed_origins"] = normalise_origins(changes["allowed_origins"])
    if changes.get("landing_url"):
        changes["landing_url"] = landing_url(changes["landing_url"])
    if changes.get("webhook_url"):
        changes["webhook_url"] = webhook_url(runtime.settings, changes["webhook_url"])
    removed = "webhook_url" in changes and not changes["webhook_url"] and bool(store.webhook_url)
    for name, value in changes.items():
        setattr(store, name, value)
    session.add(store)
    if removed:
        events.publish(WebhookURLRemoved(session=session, store=store))
    key = store.publishable_key
    # The embed API caches each key's origins briefly: drop them once the change commits.
    after_commit(session, lambda: forget_origins(runtime, key))
    return store


def rotate_webhook_secret(*, session: Session, store: Store) -> None:
    store.webhook_secret_version += 1
    session.add(store)


def store_for_secret_key(session: Session, key: str) -> Store:
    if not key.startswith(SECRET_PREFIX):
        raise Unauthorized("That is not a secret key (they start with sk_live_).")
    store = session.exec(select(Store).where(Store.secret_key_hash == hash_key(key))).first()
    if store is None:
        raise Unauthorized("Unknown or rotated secret key.")
    return store


# Built once: every widget request looks its store up (building the query cost more than
# running it).
_BY_PUBLISHABLE_KEY = select(Store).where(Store.publishable_key == bindparam("key"))


def store_for_publishable_key(session: Session, key: str) -> Store:
    store = session.exec(_BY_PUBLISHABLE_KEY, params={"key": key}).first()
    if store is None:
        raise NotFound("Unknown publishable key.")
    return store


def get_store(session: Session, store_id: int) -> Store:
    store = session.get(Store, store_id)
    if store is None:
        raise NotFound(f"No store {store_id}.")
    return store


def password_hasher() -> PasswordHasher:
    """The managers' password hasher (argon2)."""
    return _hasher


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_manager(
    *, session: Session, store: Store, email: str, password: str, name: str = ""
) -> Manager:
    email = email.strip().lower()
    if "@" not in email:
        raise InvalidInput("A manager needs an e-mail address.")
    if len(password) < 10:
        raise InvalidInput("A manager password must have at least 10 characters.")
    if session.exec(select(Manager).where(Manager.email == email)).first() is not None:
        raise Conflict(f"A manager with e-mail {email} already exists.")
    assert store.id is not None
    manager = Manager(
        store_id=store.id, email=email, name=name, password_hash=hash_password(password)
    )
    session.add(manager)
    session.flush()
    return manager


def authenticate_manager(*, session: Session, email: str, password: str) -> Manager:
    manager = session.exec(
        select(Manager).where(col(Manager.email) == email.strip().lower())
    ).first()
    if manager is None:
        # Spend the same time as a real check so that timing does not reveal which e-mails exist.
        _hasher.hash(password)
        raise Unauthorized("Wrong e-mail or password.")
    try:
        _hasher.verify(manager.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise Unauthorized("Wrong e-mail or password.") from None
    if _hasher.check_needs_rehash(manager.password_hash):
        manager.password_hash = hash_password(password)
    manager.last_login_at = utcnow()
    session.add(manager)
    return manager


MIN_PASSWORD = 10


def change_password(*, session: Session, manager: Manager, current: str, new: str) -> Manager:
    """A manager's new password, once the current one is proven. Every session made with the
    old password ends (sessions carry a tag of the password hash)."""
    try:
        _hasher.verify(manager.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise Unauthorized("The current password is wrong.", code="wrong_password") from None
    if len(new) < MIN_PASSWORD:
        raise InvalidInput(
            f"A manager password must have at least {MIN_PASSWORD} characters.",
            code="password_too_short",
        )
    manager.password_hash = hash_password(new)
    session.add(manager)
    return manager


# ---- the publishable key's store, cached for the embed API --------------------------------


Entry = tuple[int, tuple[str, ...]]  # a store's id and its allowed origins


def cached_entry(runtime: Runtime, publishable_key: str) -> tuple[bool, Entry | None]:
    """(found, entry) from the cache alone: (False, None) when the cache has no answer."""
    cached = runtime.cache.get(f"origins:{publishable_key}")
    if cached is None:
        return False, None
    return _decode(cached)


def local_entry(runtime: Runtime, publishable_key: str) -> tuple[bool, Entry | None]:
    """``cached_entry`` from this process's memory alone (in distributed mode, the near copy;
    (False, None) when only Redis or the database could tell)."""
    cached = runtime.cache.local(f"origins:{publishable_key}")
    if cached is None:
        return False, None
    return _decode(cached)


@functools.lru_cache(maxsize=1024)
def _decode(cached: bytes) -> tuple[bool, Entry | None]:
    value = json.loads(cached)
    if value is None:
        return True, None
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
        return True, (value[0], tuple(value[1]))
    return False, None  # an entry in an older layout: look the key up again


def store_entry(runtime: Runtime, publishable_key: str) -> Entry | None:
    """The store's id and allowed origins, or None when the key is unknown (cached briefly)."""
    found, entry = cached_entry(runtime, publishable_key)
    if found:
        return entry
    with runtime.transaction(readonly=True) as session:
        store = session.exec(select(Store).where(Store.publishable_key == publishable_key)).first()
        entry = (store.id, tuple(store.allowed_origins)) if store and store.id is not None else None
    runtime.cache.set(f"origins:{publishable_key}", json.dumps(entry).encode(), ORIGINS_TTL)
    return entry


def forget_origins(runtime: Runtime, publishable_key: str) -> None:
    runtime.cache.delete(f"origins:{publishable_key}")
