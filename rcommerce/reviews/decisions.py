"""Status changes of reviews and testimonials, each written to the audit trail with who made it,
and the reasons a review may be removed for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from rcommerce import columns, events, jobs
from rcommerce.errors import InvalidInput
from rcommerce.reviews import rules
from rcommerce.reviews.events import ReviewPublished
from rcommerce.reviews.models import (
    PUBLISHED,
    REJECTED,
    UNPUBLISHED,
    ModerationDecision,
    Review,
    Testimonial,
)
from rcommerce.stores.models import Store


def record(
    session: Session,
    row: Review | Testimonial,
    *,
    to_status: str,
    actor: str,
    reason_code: str | None = None,
    flags: Sequence[str] = (),
    note: str = "",
    now: datetime,
) -> None:
    """Change a review's or testimonial's status and write the decision to the audit trail."""
    # Built as a row read back (columns.new_row): a batch of moderation writes many.
    decision = columns.new_row(
        ModerationDecision,
        columns.row_values(
            ModerationDecision,
            {
                "store_id": row.store_id,
                "review_id": row.id if isinstance(row, Review) else None,
                "testimonial_id": row.id if isinstance(row, Testimonial) else None,
                "from_status": row.status,
                "to_status": to_status,
                "reason_code": reason_code,
                "flags": list(flags),
                "actor": actor,
                "note": note[:2000],
                "created_at": now,
            },
        ),
    )
    first_publication = to_status == PUBLISHED and row.published_at is None
    row.status = to_status
    row.reason_code = reason_code if to_status in (REJECTED, UNPUBLISHED) else None
    row.flags = list(flags)
    if first_publication:
        row.published_at = now
    if isinstance(row, Review):
        row.updated_at = now
        row.flagged = to_status == PUBLISHED and bool(flags)
    session.add(row)
    session.add(decision)
    if isinstance(row, Review) and first_publication:
        _published(session, row, now)
    if isinstance(row, Review) and first_publication and row.email and row.source != "import":
        # The author is thanked once the review is live (thanks.py; an unsubscribe is honoured).
        jobs.enqueue(
            session,
            "reviews.send_thanks",
            {"review_id": row.id},
            store_id=row.store_id,
            dedupe_key=f"review-thanks:{row.id}",
        )


def _published(session: Session, review: Review, now: datetime) -> None:
    store = session.get(Store, review.store_id)
    assert store is not None and review.id is not None
    # Subscribers that query see the decision: the session flushes before any query.
    event = ReviewPublished(
        session=session,
        store=store,
        review_id=review.id,
        product_id=review.product_id,
        email=review.email,
        author_name=review.author_name,
        text_chars=len(" ".join(f"{review.title} {review.body}".split())),
        media_count=review.photo_count + (1 if review.video_id else 0),
        verified=review.verified,
        source=review.source,
        now=now,
    )
    events.publish(event)
    if event.rewarded:
        review.incentivized = True
        session.add(review)


def check_reason(reason: str | None) -> str:
    if reason is None:
        raise InvalidInput(
            "Rejecting or unpublishing needs a reason: " + ", ".join(rules.REJECT_REASONS) + ".",
            fields=[{"field": "reason", "message": "required"}],
        )
    if reason not in rules.REJECT_REASONS:
        raise InvalidInput(
            f"{reason!r} is not a reason a review may be removed for. Allowed: "
            + ", ".join(rules.REJECT_REASONS)
            + ". Honest negative reviews stay published (FTC 16 CFR 465).",
            code="reason_not_allowed",
            fields=[{"field": "reason", "message": "not allowed"}],
        )
    return reason
