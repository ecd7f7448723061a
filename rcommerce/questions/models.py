"""Questions about a product, their answers (the store's or a verified buyer's), helpful votes
on answers, and the invitations that ask a product's buyers to answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from rcommerce.columns import empty_list
from rcommerce.timestamps import UTCDateTime, utcnow

# Who answered: the store (a manager, or its backend through the API) or a buyer of the
# product who came through an invitation sent to their order's address.
SHOP, BUYER = "shop", "buyer"


class Question(SQLModel, table=True):
    """A shopper's question about one product; moderated by the rules reviews use."""

    __tablename__ = "question"
    __table_args__ = (Index("ix_question_store_product", "store_id", "product_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    product_id: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    author_name: str = Field(max_length=100)
    # Where each answer is announced (the e-mail, or without one the phone by Zalo ZNS or SMS):
    # typed, never shown and never trusted. The phone is kept in E.164.
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=20)
    status: str = Field(default="received", max_length=16, index=True)
    reason_code: str | None = Field(default=None, max_length=32)
    flags: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    fingerprint: str = Field(default="", max_length=64, index=True)
    ip_hash: str | None = Field(default=None, max_length=32, index=True)
    honeypot: bool = Field(default=False)
    answer_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    invited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Answer(SQLModel, table=True):
    """An answer to a question: the store's ("shop" mark) or a verified buyer's."""

    __tablename__ = "answer"

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)  # SHOP or BUYER
    author_name: str = Field(max_length=100)
    body: str = Field(sa_column=Column(Text, nullable=False))
    order_pk: int | None = Field(default=None, foreign_key="orders.id", ondelete="SET NULL")
    status: str = Field(default="received", max_length=16, index=True)
    reason_code: str | None = Field(default=None, max_length=32)
    flags: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    helpful_count: int = Field(default=0)
    not_helpful_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AnswerVote(SQLModel, table=True):
    """Helpful (+1) or not helpful (-1); one per visitor per answer (a second vote changes it)."""

    __tablename__ = "answer_vote"
    __table_args__ = (UniqueConstraint("answer_id", "voter"),)

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", index=True, ondelete="CASCADE")
    voter: str = Field(max_length=32)
    value: int
    ip_hash: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AnswerInvitation(SQLModel, table=True):
    """A buyer of the product asked to answer one question, by a signed single-use link sent to
    their order's address; a buyer is invited at most once a week per store. ``email`` is that
    address: the order's e-mail, or for a buyer known only by phone (``channel`` "phone") the
    order's phone in E.164, the link then going by Zalo ZNS or SMS."""

    __tablename__ = "answer_invitation"
    __table_args__ = (
        UniqueConstraint("question_id", "email"),
        Index("ix_answer_invitation_store_email", "store_id", "email", "sent_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    order_pk: int | None = Field(default=None, foreign_key="orders.id", ondelete="SET NULL")
    email: str = Field(max_length=320)
    channel: str = Field(default="email", max_length=8)  # "email" | "phone"
    name: str = Field(default="", max_length=100)
    sent_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answer_id: int | None = Field(default=None)
