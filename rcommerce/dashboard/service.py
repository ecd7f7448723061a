"""What the dashboard needs that no other domain owns: the settings form read into a store
change, a manager's language, and the overview's to-do counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from rcommerce.errors import InvalidInput
from rcommerce.referrals import read_models
from rcommerce.reviews.models import PENDING, Review
from rcommerce.stores.models import Manager, Store, StoreUpdate
from rcommerce.web import validate


def settings_changes(form: dict[str, str]) -> dict[str, Any]:
    """The settings form's fields, checked like PATCH /api/v1/store checks them."""
    origins = [
        line.strip() for line in form.get("allowed_origins", "").splitlines() if line.strip()
    ]
    raw: dict[str, Any] = {
        "name": form.get("name", ""),
        "allowed_origins": origins,
        "landing_url": form.get("landing_url", "").strip() or None,
        "webhook_url": form.get("webhook_url", "").strip() or None,
        "locale": form.get("locale", ""),
        "review_request_delay_days": form.get("review_request_delay_days", ""),
    }
    # Only the form's own fields: settings edited elsewhere (the reviews page) stay as they are.
    changes = validate(StoreUpdate, raw).model_dump(exclude_unset=True)
    if not origins:
        raise InvalidInput("A store needs at least one allowed origin for its widgets.")
    return changes  # stores.service.update_store normalises the origins


def set_manager_locale(*, session: Session, manager: Manager, locale: str) -> None:
    if locale not in ("vi", "en"):
        raise InvalidInput("locale must be vi or en.")
    manager.locale = locale
    session.add(manager)


def to_do(*, session: Session, store: Store) -> tuple[int, int]:
    """(reviews waiting for moderation, conversions held for a decision), counted in SQL."""
    waiting = session.exec(
        select(func.count())
        .select_from(Review)
        .where(Review.store_id == store.id, Review.status == PENDING)
    ).one()
    held = read_models.count_conversions(session=session, store=store, status="held")
    return int(waiting), held
