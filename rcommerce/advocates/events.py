"""What the advocates package tells the rest of the product, through ``rcommerce.events``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from rcommerce.advocates.models import Advocate
from rcommerce.stores.models import Store


@dataclass
class AdvocateChanged:
    """An advocate's status or identity changed (blocked, opted out, erased, renamed): what
    others keep about their link (caches) must be refreshed once the change commits."""

    session: Session
    advocate: Advocate


@dataclass
class AdvocateEnrolled:
    """A shopper joined the referral programme (sent once, when the advocate is created; the
    same e-mail joining again sends nothing)."""

    session: Session
    store: Store
    advocate: Advocate
