"""How review and testimonial rows become the shapes widgets and the store see (never a
shopper's e-mail in a public one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from rcommerce.reviews.models import ModerationDecision, Review, ReviewPhoto, Testimonial
from rcommerce.reviews.shapes import (
    DecisionPublic,
    PhotoPublic,
    ReplyPublic,
    ReviewAdmin,
    ReviewPublic,
    TestimonialAdmin,
    TestimonialPublic,
    VideoPublic,
)


def photo_url(base_url: str, photo: ReviewPhoto) -> str:
    return f"{base_url}/media/reviews/{photo.id}.jpg"


def video_url(base_url: str, review: Review) -> str:
    extension = "webm" if review.video_type == "video/webm" else "mp4"
    return f"{base_url}/media/review-videos/{review.video_id}.{extension}"


def with_video_tile(shown: ReviewPublic, review: Review, base_url: str) -> ReviewPublic:
    """A widget's read: the review's video also as the last of its photos, a play tile the
    photo lightbox plays (the core script shows photos only and has no room to grow)."""
    if shown.video is not None and review.video_id:
        shown.photos.append(
            PhotoPublic(
                id=review.video_id,
                url=f"{shown.video.url}/poster.svg",
                width=VIDEO_TILE,
                height=VIDEO_TILE,
                kind="video",
            )
        )
    return shown


VIDEO_TILE = 88


def public(review: Review, photo_rows: Sequence[ReviewPhoto], base_url: str) -> ReviewPublic:
    assert review.id is not None
    return ReviewPublic(
        id=review.id,
        product_id=review.product_id or None,
        rating=review.rating,
        title=review.title,
        body=review.body,
        author=review.author_name,
        verified=review.verified,
        incentivized=review.incentivized,
        language=review.language,
        photos=[
            PhotoPublic(id=p.id, url=photo_url(base_url, p), width=p.width, height=p.height)
            for p in photo_rows
        ],
        video=VideoPublic(url=video_url(base_url, review), content_type=review.video_type)
        if review.video_id and review.video_type
        else None,
        helpful=review.helpful_count,
        not_helpful=review.not_helpful_count,
        created_at=review.created_at,
        reply=ReplyPublic(body=review.reply_body, created_at=review.reply_at)
        if review.reply_body and review.reply_at
        else None,
    )


def _sentiment(row: Review | Testimonial) -> dict[str, Any] | None:
    if row.scorer_version is None:
        return None
    return {
        "label": row.sentiment_label,
        "compound": row.sentiment_compound,
        "language": row.sentiment_language,
        "aspects": row.sentiment_aspects or {},
        "scorer_version": row.scorer_version,
    }


def admins(session: Session, reviews: Sequence[Review], base_url: str) -> list[ReviewAdmin]:
    """The manager's view of a page of reviews (their photos in one query)."""
    pictures = photos_of(session, reviews)
    return [_admin(session, r, pictures.get(r.id or 0, []), base_url) for r in reviews]


def admin(
    session: Session, review: Review, base_url: str, *, with_decisions: bool = False
) -> ReviewAdmin:
    """The manager's view of one review, with its moderation decisions if asked."""
    pictures = photos_of(session, [review]).get(review.id or 0, [])
    return _admin(session, review, pictures, base_url, with_decisions=with_decisions)


def _admin(
    session: Session,
    review: Review,
    pictures: list[ReviewPhoto],
    base_url: str,
    *,
    with_decisions: bool = False,
) -> ReviewAdmin:
    base = public(review, pictures, base_url)
    decisions = None
    if with_decisions:
        decisions = [
            DecisionPublic.model_validate(d, from_attributes=True)
            for d in session.exec(
                select(ModerationDecision)
                .where(ModerationDecision.review_id == review.id)
                .order_by(col(ModerationDecision.id))
            )
        ]
    return ReviewAdmin(
        **base.model_dump(),
        email=review.email,
        phone=review.phone,
        status=review.status,
        reason_code=review.reason_code,
        flags=list(review.flags),
        source=review.source,
        report_count=review.report_count,
        testimonial_consent=review.testimonial_consent,
        sentiment=_sentiment(review),
        updated_at=review.updated_at,
        published_at=review.published_at,
        decisions=decisions,
    )


def testimonial_public(row: Testimonial) -> TestimonialPublic:
    assert row.id is not None
    return TestimonialPublic(
        id=row.id,
        body=row.body,
        author=row.author_name,
        role=row.role,
        company=row.company,
        rating=row.rating,
        created_at=row.created_at,
    )


def testimonial_admin(row: Testimonial) -> TestimonialAdmin:
    return TestimonialAdmin(
        **testimonial_public(row).model_dump(),
        email=row.email,
        phone=row.phone,
        status=row.status,
        reason_code=row.reason_code,
        flags=list(row.flags),
        position=row.position,
        source=row.source,
        review_id=row.review_id,
        consent=row.consent,
        sentiment=_sentiment(row),
    )


def photos_of(session: Session, reviews: Sequence[Review]) -> dict[int, list[ReviewPhoto]]:
    ids = [r.id for r in reviews if r.id is not None and r.photo_count]
    found: dict[int, list[ReviewPhoto]] = {}
    if not ids:
        return found
    for photo in session.exec(
        select(ReviewPhoto)
        .where(col(ReviewPhoto.review_id).in_(ids))
        .order_by(col(ReviewPhoto.created_at))
    ):
        assert photo.review_id is not None
        found.setdefault(photo.review_id, []).append(photo)
    return found
