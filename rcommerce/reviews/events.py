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


@dataclass
class ReviewPublished:
    """A review went live for the first time (moderation, a manager, or the review window).

    It carries what content rules may look at (length, photos, who wrote it) and, on purpose,
    neither the rating nor the sentiment: nothing that subscribes to it can reward, or treat
    differently, a review by the stars it gives (FTC 16 CFR 465.4; rating-blind incentives)."""

    session: Session
    store: Store
    review_id: int
    product_id: str
    email: str | None
    author_name: str
    text_chars: int  # the title and body, whitespace folded
    media_count: int  # photos and the video attached
    verified: bool
    source: str  # widget | email | api | import
    now: datetime
    # Set by a subscriber that rewarded the review (or had rewarded it): the review is then
    # marked incentivised.
    rewarded: bool = False
