"""The reviews package's shapes on the wire: what its endpoints accept and answer (the tables
are in models.py; serialise.py turns rows into these)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

from rcommerce.orders.models import HttpUrl, Money, Phone, ProductKey
from rcommerce.reviews.photos import MAX_PHOTOS_PER_REVIEW

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Rating = Annotated[int, Field(ge=1, le=5)]


# ---- reviews sent in -----------------------------------------------------------------------


class _Reachable(BaseModel):
    """An e-mail, a phone (any way it is typed; kept in E.164), or both."""

    email: EmailStr | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _reachable(self) -> _Reachable:
        if self.email is None and self.phone is None:
            raise ValueError("email or phone is required")
        return self


class ReviewIn(_Reachable):
    """A review from the widget, with the author's e-mail or phone (or both). ``website`` is a
    honeypot: people leave it empty."""

    model_config = ConfigDict(extra="forbid")
    product_id: ProductKey | None = None
    rating: Rating
    body: Body
    name: Name
    title: Text200 = ""
    token: Annotated[str, StringConstraints(max_length=1000)] | None = None
    photo_ids: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]],
        # One more: the widget sends its video's id among its photos' (see videos.split_ids).
        Field(max_length=MAX_PHOTOS_PER_REVIEW + 1),
    ] = []
    video_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")] | None = None
    testimonial_consent: bool = False
    website: Annotated[str, StringConstraints(max_length=500)] = ""
    # The product as the widget's element names it: creates a product the store has not sent
    # yet (unless the store takes products only from its API); ignored for a known product.
    product_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    product_url: HttpUrl | None = None
    product_image: HttpUrl | None = None
    product_price: Money | None = None


class PhotoOut(BaseModel):
    """The stored photo; pass its id in the review's photo_ids."""

    id: str
    width: int
    height: int


class VideoOut(BaseModel):
    """The stored video; pass its id as the review's video_id."""

    id: str
    content_type: str
    duration: float


class ApiReviewIn(BaseModel):
    """A review sent by the store's backend; verified when order_id is one of this buyer's."""

    model_config = ConfigDict(extra="forbid")
    product_id: ProductKey | None = None
    rating: Rating
    body: Body
    name: Name
    email: EmailStr
    title: Text200 = ""
    order_id: ProductKey | None = None
    testimonial_consent: bool = False


class Accepted(BaseModel):
    """Stored; moderation and scoring follow in the background. ``confirmation_sent``: the
    review (or the edit of the author's earlier one) waits for the link sent to the author.

    ``id`` is the review's, except for a widget review without a review-request link: that
    answer is the same whether the typed e-mail already reviewed the product or not (no id, the
    same status), so it never tells who reviewed what."""

    id: int | None = None
    status: str


# ---- what widgets read ---------------------------------------------------------------------


class ReplyPublic(BaseModel):
    body: str
    created_at: datetime


class PhotoPublic(BaseModel):
    id: str
    url: str
    width: int
    height: int
    kind: Literal["photo", "video"] = Field(
        default="photo",
        description="In a widget's read, a review's video is also the last item of its photos: "
        "a play tile (url) whose video is the url without its `/poster.svg`.",
    )


class VideoPublic(BaseModel):
    url: str
    content_type: str


class ReviewPublic(BaseModel):
    """A published review as widgets show it (never the author's e-mail)."""

    id: int
    product_id: str | None
    rating: int
    title: str
    body: str
    author: str
    verified: bool
    incentivized: bool = Field(
        default=False,
        description="Its author was rewarded for it (a rating-blind reward for a photo): show "
        "it as an incentivised review.",
    )
    language: str | None
    photos: list[PhotoPublic]
    video: VideoPublic | None = None
    helpful: int
    not_helpful: int
    created_at: datetime
    reply: ReplyPublic | None


class Summary(BaseModel):
    average: float | None
    count: int
    distribution: dict[str, int]
    sentiment: dict[str, int]


class HighlightQuote(BaseModel):
    review_id: int
    text: str
    author: str
    sentiment: Literal["positive", "negative"]


class Highlight(BaseModel):
    """One aspect: how many reviews mention it, praise it and complain about it."""

    aspect: str
    mentions: int
    positive: int
    negative: int
    quote: HighlightQuote | None


class Highlights(BaseModel):
    """What buyers say, per aspect ("Khách hàng nói gì"): empty until the product has 5
    scored published reviews; an aspect shows once 3 reviewers mention it."""

    scored: int
    aspects: list[Highlight]


class ReviewPage(BaseModel):
    """One page of a product's published reviews with its summary."""

    summary: Summary
    reviews: list[ReviewPublic]
    next: str | None = None


SortName = Literal["newest", "highest", "lowest", "helpful", "photos"]


class ReviewQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sort: SortName = "newest"
    rating: Rating | None = None
    language: Annotated[str, StringConstraints(pattern=r"^(vi|en|other)$")] | None = None
    verified: bool | None = None
    cursor: Annotated[str, StringConstraints(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=50)] = 10


class JsonLd(BaseModel):
    """schema.org Product with AggregateRating and Review (JSON-LD)."""

    model_config = ConfigDict(extra="allow")


# ---- the store's view of reviews and its decisions -----------------------------------------


class DecisionPublic(BaseModel):
    from_status: str
    to_status: str
    reason_code: str | None
    flags: list[str]
    actor: str
    note: str
    created_at: datetime


class ReviewAdmin(ReviewPublic):
    """A review as the store's manager sees it."""

    email: str | None
    phone: str | None = None  # E.164, for a widget review typed with a phone
    status: str
    reason_code: str | None
    flags: list[str]
    source: str
    report_count: int
    testimonial_consent: bool
    sentiment: dict[str, Any] | None
    updated_at: datetime
    published_at: datetime | None
    decisions: list[DecisionPublic] | None = None


class ReviewAdminPage(BaseModel):
    reviews: list[ReviewAdmin]
    next: str | None = None


class AdminReviewQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_id: ProductKey | None = None
    status: (
        Literal["received", "published", "pending", "rejected", "unpublished", "unconfirmed"] | None
    ) = None
    flagged: bool | None = None
    cursor: Annotated[str, StringConstraints(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class StatusUpdate(BaseModel):
    """A manager's decision. Rejecting or unpublishing needs a reason from the allowed list."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["published", "rejected", "unpublished"]
    reason: str | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: Body


# ---- shoppers' votes and reports -----------------------------------------------------------


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    helpful: bool


class VoteOut(BaseModel):
    helpful: int
    not_helpful: int
    visitor: str | None = Field(
        default=None,
        description="A signed visitor id, issued when the vote came without a valid one: "
        "send it as X-RC-Visitor from then on.",
    )


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Literal["spam", "abuse", "off_topic", "personal_data", "fake", "other"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""


# ---- testimonials --------------------------------------------------------------------------


class TestimonialIn(_Reachable):
    """A testimonial from the widget, with the author's e-mail or phone (or both); published
    only with consent and after approval."""

    model_config = ConfigDict(extra="forbid")
    body: Body
    name: Name
    role: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    company: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    rating: Rating | None = None
    consent: bool
    website: Annotated[str, StringConstraints(max_length=500)] = ""


class TestimonialPublic(BaseModel):
    id: int
    body: str
    author: str
    role: str
    company: str
    rating: int | None
    created_at: datetime


class TestimonialAdmin(TestimonialPublic):
    email: str | None
    phone: str | None = None  # E.164
    status: str
    reason_code: str | None
    flags: list[str]
    position: int
    source: str
    review_id: int | None
    consent: bool
    sentiment: dict[str, Any] | None


class TestimonialList(BaseModel):
    testimonials: list[TestimonialPublic]


class TestimonialAdminList(BaseModel):
    testimonials: list[TestimonialAdmin]


class TestimonialUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["published", "rejected", "unpublished"] | None = None
    reason: str | None = None
    position: Annotated[int, Field(ge=0, le=100_000)] | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class TestimonialQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["received", "published", "pending", "rejected", "unpublished"] | None = None


# ---- import, export and a person's data ----------------------------------------------------


class ImportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["judgeme", "yotpo", "generic"] = "generic"


class ImportOut(BaseModel):
    """Rows imported, rows already imported before, and every failed row with its reasons."""

    format: str
    imported: int
    unchanged: int
    failed: list[dict[str, Any]]


class ExportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["received", "published", "pending", "rejected", "unpublished"] | None = None


class PersonExport(BaseModel):
    email: str | None
    phone: str | None
    reviews: list[dict[str, Any]]
    testimonials: list[dict[str, Any]]
    review_requests: list[dict[str, Any]]


class PersonErased(BaseModel):
    reviews: int
    testimonials: int
    review_requests: int
