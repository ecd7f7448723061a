"""What the referrals package tells the rest of the product, through ``rcommerce.events``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from rcommerce.referrals.models import Conversion
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
