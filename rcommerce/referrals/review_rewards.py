"""Rewards for reviews with a photo or video, whatever their rating: a store's incentive names a
reward (coupon, store credit or points) and content rules (a length, a photo); each review that
goes live meeting them earns it once, as a coupon or a ledger credit of its author as an
advocate (enrolled without a welcome e-mail when they were not one). The rules read the
reviews' ``ReviewPublished`` event, which carries no rating nor sentiment, so a 1-star review
earns exactly what a 5-star one does (FTC 16 CFR 465.4 allows only such incentives)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from rcommerce.advocates import service as advocates
from rcommerce.errors import ApiError, InvalidInput
from rcommerce.referrals.coupons import new_coupon_code
from rcommerce.referrals.models import Coupon, LedgerEntry, ReviewIncentive, ReviewReward
from rcommerce.reviews.events import ReviewPublished
from rcommerce.stores.models import Store

LEDGER_UNITS = {"store_credit": "credit", "points": "points"}


class IncentiveIn(BaseModel):
    """A store's review incentive. There is no rating or sentiment rule, by design."""

    model_config = ConfigDict(extra="forbid")
    active: bool
    kind: Literal["coupon_fixed", "coupon_percent", "store_credit", "points"]
    value: Annotated[Decimal, Field(gt=0, le=100_000_000, decimal_places=2)]
    min_chars: Annotated[int, Field(ge=0, le=5000)] = 50
    needs_media: bool = True


class IncentiveOut(IncentiveIn):
    pass


def incentive_of(session: Session, store: Store) -> ReviewIncentive | None:
    """The store's review incentive, read once per transaction (moderation publishes many
    reviews in one; ``set_incentive`` keeps what was read in step)."""
    known: dict[int | None, ReviewIncentive | None] = session.info.setdefault(
        "review_incentives", {}
    )
    if store.id not in known:
        known[store.id] = session.exec(
            select(ReviewIncentive).where(ReviewIncentive.store_id == store.id)
        ).first()
    return known[store.id]


def set_incentive(
    session: Session, store: Store, data: IncentiveIn, now: datetime
) -> ReviewIncentive:
    if data.kind == "coupon_percent" and data.value > 100:
        raise InvalidInput(
            "A percentage coupon is at most 100.",
            fields=[{"field": "value", "message": "at most 100"}],
        )
    assert store.id is not None
    row = incentive_of(session, store) or ReviewIncentive(store_id=store.id)
    for name, value in data.model_dump().items():
        setattr(row, name, value)
    row.updated_at = now
    session.add(row)
    session.flush()
    session.info.setdefault("review_incentives", {})[store.id] = row
    return row


def qualifies(incentive: ReviewIncentive, event: ReviewPublished) -> bool:
    """The content rules, and only them: active, long enough, with media when asked, by an
    author the reward can reach (an e-mail), not imported from another platform."""
    return (
        incentive.active
        and event.source != "import"
        and event.email is not None
        and event.text_chars >= incentive.min_chars
        and (event.media_count > 0 or not incentive.needs_media)
    )


def reward_review(event: ReviewPublished) -> ReviewReward | None:
    """Issue the store's review reward for a review that just went live, once per review."""
    session, store = event.session, event.store
    incentive = incentive_of(session, store)
    if incentive is None or not qualifies(incentive, event):
        return None
    done = session.exec(
        select(ReviewReward).where(ReviewReward.review_id == event.review_id)
    ).first()
    if done is not None:
        event.rewarded = True
        return done
    assert event.email is not None and store.id is not None
    try:
        advocate = advocates.enrol(
            session=session,
            store=store,
            email=event.email,
            name=event.author_name,
            source="review",
            welcome=False,
        ).advocate
    except ApiError:
        return None  # the author asked for their data to be erased: nothing is kept for them
    assert advocate.id is not None
    reward = ReviewReward(
        store_id=store.id,
        review_id=event.review_id,
        advocate_id=advocate.id,
        kind=incentive.kind,
        value=incentive.value,
        created_at=event.now,
    )
    try:
        with session.begin_nested():
            session.add(reward)
            session.flush()
    except IntegrityError:
        return None  # rewarded a moment ago
    if incentive.kind in LEDGER_UNITS:
        session.add(
            LedgerEntry(
                store_id=store.id,
                advocate_id=advocate.id,
                unit=LEDGER_UNITS[incentive.kind],
                kind="reward",
                amount=incentive.value,
                memo=f"review {event.review_id}",
                created_at=event.now,
            )
        )
    else:
        code = new_coupon_code("RV")
        session.add(
            Coupon(
                store_id=store.id,
                code=code,
                purpose="review",
                advocate_id=advocate.id,
                kind=incentive.kind,
                value=incentive.value,
                created_at=event.now,
            )
        )
        reward.coupon_code = code
        session.add(reward)
    session.flush()
    event.rewarded = True
    return reward
