"""How a server-to-server request proves which store it speaks for: the secret key, sent as
``Authorization: Bearer sk_...`` (kept hashed; compared by hash)."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request

from rcommerce.stores import service
from rcommerce.stores.models import Store
from rcommerce.web import bearer_token


def authenticated(request: Request, session: Session) -> Store:
    """The store whose secret key the request carries (401 otherwise)."""
    return service.store_for_secret_key(session, bearer_token(request))
