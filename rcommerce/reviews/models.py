"""Reviews, testimonials, their photos, votes, reports, moderation decisions, review requests
and per-product aggregates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.columns import empty_list
from rcommerce.timestamps import UTCDateTime, utcnow

# Review and testimonial states. "received" is stored but not yet moderated; "unconfirmed"
# waits for its author to click the confirmation link (stores that ask for it).
RECEIVED, PUBLISHED, PENDING, REJECTED, UNPUBLISHED, UNCONFIRMED = (
    "received",
    "published",
    "pending",
    "rejected",
    "unpublished",
    "unconfirmed",
)
STATUSES = (RECEIVED, PUBLISHED, PENDING, REJECTED, UNPUBLISHED, UNCONFIRMED)
SOURCES = ("widget", "email", "api", "import", "zns")  # zns: a Zalo ZNS rating
# A store review (of the shop itself, not a product) has this product id.
STORE_SUBJECT = ""


class Review(SQLModel, table=True):
    """A shopper's review of a product (or of the store when ``product_id`` is empty)."""

    __table_args__ = (
        UniqueConstraint("store_id", "product_id", "email"),
        Index("ix_review_store_product_phone", "store_id", "product_id", "phone", unique=True),
        UniqueConstraint("store_id", "source_ref"),
        Index("ix_review_listing", "store_id", "product_id", "status", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    product_id: str = Field(default=STORE_SUBJECT, max_length=200)
    rating: int
    title: str = Field(default="", max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    author_name: str = Field(max_length=100)
    # Kept for matching orders and a person's data requests; never shown publicly. A widget
    # review typed with a phone (E.164) keeps it here; one review per person per subject.
    email: str | None = Field(default=None, max_length=320, index=True)
    phone: str | None = Field(default=None, max_length=32, index=True)
    language: str | None = Field(default=None, max_length=8)
    source: str = Field(default="widget", max_length=16)
    source_ref: str | None = Field(default=None, max_length=200)  # import row identity
    verified: bool = Field(default=False)
    # The author was rewarded for it (a store's rating-blind incentive for a photo): shown as
    # "Đã nhận ưu đãi" / "Incentivised review" wherever the review is shown.
    incentivized: bool = Field(default=False)
    order_pk: int | None = Field(default=None, foreign_key="orders.id", ondelete="SET NULL")
    status: str = Field(default=RECEIVED, max_length=16, index=True)
    reason_code: str | None = Field(default=None, max_length=32)
    flags: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    # Published with a flag (stars and text disagree): a manager should look, nobody waits.
    flagged: bool = Field(default=False, index=True)
    ip_hash: str | None = Field(default=None, max_length=32, index=True)
    fingerprint: str = Field(default="", max_length=64, index=True)
    honeypot: bool = Field(default=False)
    photo_count: int = Field(default=0)
    # The review's one video (a ReviewVideo row's id and content type), kept here so a page of
    # reviews reads without another query.
    video_id: str | None = Field(default=None, max_length=32)
    video_type: str | None = Field(default=None, max_length=16)
    helpful_count: int = Field(default=0)
    not_helpful_count: int = Field(default=0)
    report_count: int = Field(default=0)
    testimonial_consent: bool = Field(default=False)
    reply_body: str | None = Field(default=None, sa_column=Column(Text))
    reply_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sentiment_label: str | None = Field(default=None, max_length=16)
    sentiment_compound: float | None = Field(default=None)
    sentiment_aspects: dict[str, float] | None = Field(default=None, sa_column=Column(JSON))
    # What the author said about aspects outright (a ZNS rating's preset tags): scoring keeps
    # them over what it reads in the text.
    tag_aspects: dict[str, float] | None = Field(default=None, sa_column=Column(JSON))
    sentiment_language: str | None = Field(default=None, max_length=8)
    # How sure the scorer is (0..1), per aspect, and whether praise may be sarcasm; reports
    # quote only confident, sincere mentions. None: scored before scorer 2026.12-1.
    sentiment_confidence: float | None = Field(default=None)
    sentiment_aspect_confidence: dict[str, float] | None = Field(
        default=None, sa_column=Column(JSON)
    )
    sentiment_sarcasm: bool | None = Field(default=None)
    scorer_version: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    thanked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reply_notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReviewPhoto(SQLModel, table=True):
    """A photo uploaded from a widget, re-encoded without metadata; attached to one review."""

    __tablename__ = "review_photo"

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    review_id: int | None = Field(
        default=None, foreign_key="review.id", index=True, ondelete="CASCADE"
    )
    filename: str = Field(max_length=100)
    content_type: str = Field(max_length=32)
    width: int
    height: int
    size: int
    ip_hash: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewVideo(SQLModel, table=True):
    """A short MP4 or WebM clip uploaded from a widget, stored as sent; one per review."""

    __tablename__ = "review_video"

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    review_id: int | None = Field(
        default=None, foreign_key="review.id", index=True, ondelete="CASCADE"
    )
    filename: str = Field(max_length=100)
    content_type: str = Field(max_length=16)
    duration: float
    size: int
    ip_hash: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewVote(SQLModel, table=True):
    """Helpful (+1) or not helpful (-1); one per visitor per review (a second vote changes it)."""

    __tablename__ = "review_vote"
    __table_args__ = (UniqueConstraint("review_id", "voter"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, ondelete="CASCADE")
    voter: str = Field(max_length=32)
    value: int
    # The voter's network, for the cap on votes from one address a day (votes.py).
    ip_hash: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewReport(SQLModel, table=True):
    """A shopper's abuse report: it asks a manager to look, it never hides a review by itself."""

    __tablename__ = "review_report"
    __table_args__ = (UniqueConstraint("review_id", "reporter"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, ondelete="CASCADE")
    reporter: str = Field(max_length=32)
    reason: str = Field(max_length=32)
    note: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Testimonial(SQLModel, table=True):
    """A store-level endorsement for the home page, published only with the author's consent."""

    __table_args__ = (UniqueConstraint("store_id", "review_id"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    review_id: int | None = Field(default=None, foreign_key="review.id", ondelete="CASCADE")
    body: str = Field(sa_column=Column(Text, nullable=False))
    author_name: str = Field(max_length=100)
    email: str | None = Field(default=None, max_length=320, index=True)
    phone: str | None = Field(default=None, max_length=32, index=True)  # E.164
    role: str = Field(default="", max_length=100)
    company: str = Field(default="", max_length=100)
    rating: int | None = Field(default=None)
    consent: bool = Field(default=False)
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    source: str = Field(default="widget", max_length=16)
    status: str = Field(default=RECEIVED, max_length=16, index=True)
    reason_code: str | None = Field(default=None, max_length=32)
    flags: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    position: int = Field(default=0)
    ip_hash: str | None = Field(default=None, max_length=32)
    fingerprint: str = Field(default="", max_length=64)
    honeypot: bool = Field(default=False)
    sentiment_label: str | None = Field(default=None, max_length=16)
    sentiment_compound: float | None = Field(default=None)
    sentiment_aspects: dict[str, float] | None = Field(default=None, sa_column=Column(JSON))
    sentiment_language: str | None = Field(default=None, max_length=8)
    # How sure the scorer is (0..1), per aspect, and whether praise may be sarcasm; reports
    # quote only confident, sincere mentions. None: scored before scorer 2026.12-1.
    sentiment_confidence: float | None = Field(default=None)
    sentiment_aspect_confidence: dict[str, float] | None = Field(
        default=None, sa_column=Column(JSON)
    )
    sentiment_sarcasm: bool | None = Field(default=None)
    scorer_version: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ModerationDecision(SQLModel, table=True):
    """The audit trail: every status change of a review or testimonial, and who or what made it."""

    __tablename__ = "moderation_decision"

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    review_id: int | None = Field(
        default=None, foreign_key="review.id", index=True, ondelete="CASCADE"
    )
    testimonial_id: int | None = Field(
        default=None, foreign_key="testimonial.id", index=True, ondelete="CASCADE"
    )
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    reason_code: str | None = Field(default=None, max_length=32)
    flags: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    actor: str = Field(max_length=100)  # "system:moderation", "manager:api", "author", "import"
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewRequest(SQLModel, table=True):
    """The review request of one fulfilled order, to its e-mail or, for a buyer known only by
    phone, to the phone (Zalo ZNS, then SMS); its link works once."""

    __tablename__ = "review_request"
    __table_args__ = (UniqueConstraint("order_pk"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    order_pk: int = Field(foreign_key="orders.id", ondelete="CASCADE")
    email: str | None = Field(default=None, max_length=320, index=True)
    phone: str | None = Field(default=None, max_length=32, index=True)  # E.164
    channel: str | None = Field(default=None, max_length=16)  # email | zns | sms, once sent
    # Each send attempt: {channel, ok, error_code, message_id, at}.
    attempts: list[dict[str, Any]] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    nonce: str = Field(max_length=32)
    # The ZNS message's tracking_id, by which Zalo's rating callback names this request.
    tracking_id: str | None = Field(default=None, max_length=48, unique=True, index=True)
    # scheduled | sent | used | unsubscribed | cancelled | failed (no channel took it)
    status: str = Field(default="scheduled", max_length=16)
    scheduled_for: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewConfirmation(SQLModel, table=True):
    """A signed single-use link sent to an address to prove a review is its author's: to apply
    a pending edit ("edit"), to mark it a verified purchase ("verify"), or to let it be
    moderated and published at all ("publish", for stores that ask for confirmation)."""

    __tablename__ = "review_confirmation"

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    review_id: int = Field(foreign_key="review.id", index=True, ondelete="CASCADE")
    purpose: str = Field(max_length=16)  # edit | verify | publish
    channel: str = Field(default="email", max_length=16)  # email | phone (ZNS, then SMS)
    address: str = Field(max_length=320, index=True)
    order_pk: int | None = Field(default=None, foreign_key="orders.id", ondelete="SET NULL")
    # The edit waiting to be applied: rating, title, body, name, photo_ids, testimonial_consent.
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    nonce: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReviewOptOut(SQLModel, table=True):
    """An address that asked for no more review-request e-mails from this store."""

    __tablename__ = "review_opt_out"
    __table_args__ = (UniqueConstraint("store_id", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=320)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewAggregate(SQLModel, table=True):
    """Published reviews of one product, summed incrementally (store reviews: product "")."""

    __tablename__ = "review_aggregate"
    __table_args__ = (UniqueConstraint("store_id", "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    product_id: str = Field(max_length=200)
    count: int = Field(default=0)
    rating_sum: int = Field(default=0)
    r1: int = Field(default=0)
    r2: int = Field(default=0)
    r3: int = Field(default=0)
    r4: int = Field(default=0)
    r5: int = Field(default=0)
    positive: int = Field(default=0)
    neutral: int = Field(default=0)
    negative: int = Field(default=0)
    unscored: int = Field(default=0)

    def as_summary(self) -> dict[str, Any]:
        average = round(self.rating_sum / self.count, 2) if self.count else None
        return {
            "average": average,
            "count": self.count,
            "distribution": {
                "1": self.r1,
                "2": self.r2,
                "3": self.r3,
                "4": self.r4,
                "5": self.r5,
            },
            "sentiment": {
                "positive": self.positive,
                "neutral": self.neutral,
                "negative": self.negative,
                "unscored": self.unscored,
            },
        }


class ZNSRating(SQLModel, table=True):
    """A Zalo ZNS rating callback that named one of our review requests, kept once under its
    key (Zalo's msg_id) so that a redelivery changes nothing. Its stars, tags and note wait
    here for the job that makes the review, and are cleared once it has."""

    __tablename__ = "zns_rating"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    request_id: int | None = Field(
        default=None, foreign_key="review_request.id", index=True, ondelete="SET NULL"
    )
    # accepted (a job will read it) | reviewed | expired (the request's link had expired)
    status: str = Field(default="accepted", max_length=16)
    stars: int
    tags: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    review_id: int | None = Field(default=None, foreign_key="review.id", ondelete="SET NULL")
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
