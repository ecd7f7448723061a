"""What the reviews package tells the rest of the product, through ``rcommerce.events``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from rcommerce.reviews.models import Review
from rcommerce.stores.models import Store


@dataclass
class ReviewUpdated:
    """A manager changed a review (its status, its public reply, or featured it), through the
    API or the dashboard: figures about the day it was written may change."""

    session: Session
    store: Store
    review: Review
    now: datetime
