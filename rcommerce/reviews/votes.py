"""Shoppers' helpful / not helpful votes on published reviews, and their abuse reports, which ask a
manager to look and never hide a review by themselves. A visitor is who the server says it is:
a signed id it issued, or the network and user agent of the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from rcommerce import privacy, signing
from rcommerce.errors import NotFound
from rcommerce.reviews import aggregates
from rcommerce.reviews.models import PUBLISHED, Review, ReviewReport, ReviewVote
from rcommerce.reviews.shapes import ReportIn
from rcommerce.settings import Settings
from rcommerce.stores.models import Store
from rcommerce.timestamps import utcnow


def _published(session: Session, store: Store, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None or review.store_id != store.id or review.status != PUBLISHED:
        raise NotFound(f"No published review {review_id} in this store.")
    return review


# Votes on one review from one network (IP hash) in a day, whoever the visitors say they are:
# a stuffer making up visitors or user agents gets no further (a household or an office
# sharing an address rarely votes on the same review more often).
VOTES_PER_NETWORK_DAY = 3


def visitor_token(settings: Settings, store_id: int, voter: str) -> str:
    """The signed visitor id the widget keeps (first-party) and sends back as X-RC-Visitor."""
    return signing.sign(settings, "voter", {"s": store_id, "v": voter})


def read_visitor(settings: Settings, store_id: int, token: str) -> str | None:
    """The voter a signed visitor id names, or None when it is not one we issued for this
    store (a made-up header counts as none)."""
    if not token or len(token) > 200:
        return None
    try:
        payload = signing.unsign(settings, "voter", token)
    except (signing.TokenInvalid, signing.TokenExpired):
        return None
    if not isinstance(payload, dict) or payload.get("s") != store_id:
        return None
    voter = payload.get("v")
    return voter if isinstance(voter, str) and 0 < len(voter) <= 32 else None


@dataclass(frozen=True)
class Visitor:
    """Who votes: the voter id, the network it votes from, and a signed id to hand out when
    the request came without a valid one."""

    voter: str
    ip_hash: str
    issued: str | None


def identify(
    settings: Settings, store_id: int, *, header: str, ip_hash: str, user_agent: str, now: datetime
) -> Visitor:
    """A visitor is the signed id the server issued, else the network and the user agent for
    the day (and that identity is what the issued id then carries)."""
    voter = read_visitor(settings, store_id, header.strip())
    if voter is not None:
        return Visitor(voter, ip_hash, None)
    day = now.date().isoformat()
    voter = privacy.keyed_hash(settings, "voter", f"{store_id}:{ip_hash}:{user_agent[:300]}:{day}")
    return Visitor(voter, ip_hash, visitor_token(settings, store_id, voter))


def vote(
    *,
    session: Session,
    store: Store,
    review_id: int,
    voter: str,
    helpful: bool,
    ip_hash: str | None = None,
    now: datetime | None = None,
) -> Review:
    """One vote per visitor; voting again changes the vote. A network's votes on a review
    are capped a day (VOTES_PER_NETWORK_DAY): beyond it a new voter's vote is not counted."""
    review = _published(session, store, review_id)
    if record_vote(
        session, target=review, vote_model=ReviewVote, key="review_id", voter=voter,
        helpful=helpful, ip_hash=ip_hash, now=now,
    ):  # fmt: skip
        aggregates.invalidate(session, review.store_id, review.product_id)
    return review


def record_vote(
    session: Session,
    *,
    target: Any,
    vote_model: Any,
    key: str,
    voter: str,
    helpful: bool,
    ip_hash: str | None,
    now: datetime | None,
) -> bool:
    """A visitor's helpful vote on ``target`` (a review or an answer: its ``helpful_count`` and
    ``not_helpful_count``), kept in ``vote_model`` rows whose ``key`` column names the target:
    one vote per visitor, voting again changes it, and a network's new voters are capped a day
    (VOTES_PER_NETWORK_DAY). Returns whether the counts changed (``target`` is refreshed)."""
    value = 1 if helpful else -1
    target_column = getattr(vote_model, key)
    existing = session.exec(
        select(vote_model).where(target_column == target.id, vote_model.voter == voter)
    ).first()
    if existing is not None and existing.value == value:
        return False
    if existing is None and ip_hash is not None and now is not None:
        from_network = session.exec(
            select(func.count())
            .select_from(vote_model)
            .where(
                target_column == target.id,
                vote_model.ip_hash == ip_hash,
                col(vote_model.created_at) >= now - timedelta(days=1),
            )
        ).one()
        if from_network >= VOTES_PER_NETWORK_DAY:
            return False
    helpful_delta = (1 if value == 1 else 0) - (1 if existing and existing.value == 1 else 0)
    not_delta = (1 if value == -1 else 0) - (1 if existing and existing.value == -1 else 0)
    if existing is None:
        assert target.id is not None
        try:
            with session.begin_nested():
                session.add(
                    vote_model(
                        **{key: target.id},
                        voter=voter,
                        value=value,
                        ip_hash=ip_hash,
                        created_at=now or utcnow(),
                    )
                )
                session.flush()
        except IntegrityError:
            return False  # the same visitor's concurrent vote won
    else:
        existing.value = value
        session.add(existing)
    model = type(target)
    session.execute(
        update(model)
        .where(col(model.id) == target.id)
        .values(
            helpful_count=col(model.helpful_count) + helpful_delta,
            not_helpful_count=col(model.not_helpful_count) + not_delta,
        )
    )
    session.refresh(target)
    return True


def report(
    *, session: Session, store: Store, review_id: int, reporter: str, data: ReportIn
) -> None:
    """An abuse report asks a manager to look; reports never hide a review by themselves
    (otherwise a competitor could bury honest reviews)."""
    review = _published(session, store, review_id)
    assert review.id is not None
    try:
        with session.begin_nested():
            session.add(
                ReviewReport(
                    review_id=review.id, reporter=reporter, reason=data.reason, note=data.note
                )
            )
            session.flush()
    except IntegrityError:
        return
    session.execute(
        update(Review)
        .where(col(Review.id) == review.id)
        .values(report_count=col(Review.report_count) + 1)
    )
