"""What the reviews package tells the rest of the product, through ``rcommerce.events``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from rcommerce.reviews.models import Review
from rcommerce.stores.models import Store


@dataclass
class ReviewUpdated:
    """A review changed after it was written: a manager changed it (its status, its public
    reply, or featured it) through the API or the dashboard, or moderation or the sentiment
    scorer decided on it; figures about the day it was written may change."""

    session: Session
    store: Store
    review: Review
    now: datetime
