"""What product questions say about each buyer, read in bulk for customer segments: how many
questions each e-mail address asked (refused ones and bot traps left out)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from rcommerce.questions.models import Question
from rcommerce.stores.models import Store


def asked_by_email(session: Session, store: Store) -> dict[str, int]:
    """Asker's e-mail (lower case) -> questions asked in the store."""
    rows = session.exec(
        select(Question.email, func.count())
        .where(
            Question.store_id == store.id,
            col(Question.email).is_not(None),
            Question.status != "rejected",
            col(Question.honeypot).is_(False),
        )
        .group_by(col(Question.email))
    )
    found: dict[str, int] = {}
    for email, count in rows:
        if email:
            found[email.lower()] = found.get(email.lower(), 0) + int(count)
    return found
