"""The questions package's shapes on the wire: what its endpoints accept and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, StringConstraints

from rcommerce.orders.models import HttpUrl, Phone, ProductKey

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
Search = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class QuestionIn(BaseModel):
    """A shopper's question from the widget. ``email``, or else ``phone`` (read as Vietnamese
    without a country code, kept in E.164), is where each answer is announced (optional; by
    Zalo ZNS, else SMS, for a phone); ``website`` is a honeypot people leave empty."""

    model_config = ConfigDict(extra="forbid")
    body: Text
    name: Name
    email: EmailStr | None = None
    phone: Phone | None = None
    website: Annotated[str, StringConstraints(max_length=500)] = ""
    # The product as the widget's element names it (like a review's): creates a product the
    # store has not sent yet, unless the store takes products only from its API.
    product_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    product_url: HttpUrl | None = None


class AnswerIn(BaseModel):
    """The store's answer (API). ``name`` defaults to the store's name."""

    model_config = ConfigDict(extra="forbid")
    body: Text
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["published", "rejected"]


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    helpful: bool


class QuestionQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    q: Search = ""


class AdminQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["received", "published", "pending", "rejected"] | None = None
    product_id: ProductKey | None = None
    limit: int = 50


class Accepted(BaseModel):
    """Stored: ``published``, ``pending`` (a manager looks first) or ``rejected``."""

    id: int
    status: str


class AnswerOut(BaseModel):
    """A published answer as widgets show it; ``by`` says who answered (the store, or a buyer
    of the product proven by the invitation link sent to their order's address)."""

    id: int
    body: str
    author: str
    by: Literal["shop", "verified_buyer", "shopper"]
    helpful: int
    not_helpful: int
    created_at: datetime


class QuestionOut(BaseModel):
    id: int
    body: str
    author: str
    created_at: datetime
    answers: list[AnswerOut]


class ReviewMatch(BaseModel):
    """A published review of the product whose text matches the search."""

    id: int
    rating: int
    title: str
    body: str
    author: str
    verified: bool
    created_at: datetime


class QuestionPage(BaseModel):
    """A product's published questions with their published answers. With ``q``: only the
    questions whose text or answers match it, best first, and the matching reviews, which
    the widget shows before the ask form (the answer may already be there)."""

    q: str
    questions: list[QuestionOut]
    reviews: list[ReviewMatch]


class VoteOut(BaseModel):
    helpful: int
    not_helpful: int
    visitor: str | None = None


class AdminAnswer(BaseModel):
    id: int
    body: str
    author: str
    mark: Literal["shop", "verified_buyer"]
    status: str
    flags: list[str]
    helpful: int
    not_helpful: int
    created_at: datetime


class AdminQuestion(BaseModel):
    id: int
    product_id: str
    body: str
    author: str
    email: str | None
    phone: str | None
    status: str
    reason_code: str | None
    flags: list[str]
    created_at: datetime
    answers: list[AdminAnswer]


class AdminPage(BaseModel):
    questions: list[AdminQuestion]
