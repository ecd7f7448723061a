"""What the referrals package tells the rest of the product, through ``rcommerce.events``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from rcommerce.referrals.models import Conversion, Coupon
from rcommerce.stores.models import Store


@dataclass
class ConversionDecided:
    """A manager approved or rejected a held conversion, through the API or the dashboard."""

    session: Session
    store: Store
    conversion: Conversion
    now: datetime


@dataclass
class ConversionOpened:
    """An order was attributed to an advocate through a click (its rc_ref): the click, made
    at ``clicked_at``, converted, which changes the figures of the day it was made."""

    session: Session
    store: Store
    conversion: Conversion
    clicked_at: datetime
    now: datetime


@dataclass
class CouponIssued:
    """The programme made a discount code the store's checkout must honour: an advocate's
    reward coupon (``coupon.purpose == "reward"``), a redemption of store credit
    (``"redemption"``) or an advocate's welcome code for friends (``"friend"``). Published once
    per code, in the transaction that made it."""

    session: Session
    store: Store
    coupon: Coupon
    now: datetime


@dataclass
class SegmentsAsked:
    """The programme asks which shopper segments a customer is in (``keys``: their e-mail as
    orders keep it, and/or their phone in E.164), to pick a campaign's segment offer. Whoever
    computes segments answers by adding the names to ``found``; nobody answering means none."""

    session: Session
    store: Store
    keys: tuple[str, ...]
    found: set[str] = field(default_factory=set)
