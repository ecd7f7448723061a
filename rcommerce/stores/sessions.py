"""Signed-in sessions kept on the server (managers in the dashboard, advocates in the portal):
a session is alive while its row is, so logging out ends it even for a copied cookie."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col

from rcommerce.stores.models import LoginSession


def open_session(
    session: Session, *, store_id: int, kind: str, subject_id: int, now: datetime, ttl: int
) -> str:
    """A new session of ``kind`` for ``subject_id``, alive ``ttl`` seconds; returns its id (what
    the signed cookie carries). The subject's expired sessions are cleared on the way."""
    session.execute(
        delete(LoginSession).where(
            col(LoginSession.kind) == kind,
            col(LoginSession.subject_id) == subject_id,
            col(LoginSession.expires_at) <= now,
        )
    )
    session_id = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            id=session_id,
            store_id=store_id,
            kind=kind,
            subject_id=subject_id,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl),
        )
    )
    session.flush()
    return session_id


def session_alive(
    session: Session, session_id: object, *, kind: str, subject_id: int, now: datetime
) -> bool:
    """Whether the session named by a cookie is still open for this subject."""
    if not isinstance(session_id, str) or not session_id:
        return False
    row = session.get(LoginSession, session_id)
    return (
        row is not None
        and row.kind == kind
        and row.subject_id == subject_id
        and row.expires_at > now
    )


def close_session(session: Session, session_id: object) -> None:
    """Log out: the session ends for every copy of its cookie."""
    if isinstance(session_id, str) and session_id:
        session.execute(delete(LoginSession).where(col(LoginSession.id) == session_id))


def close_all(session: Session, *, kind: str, subject_id: int) -> None:
    """End every session of the subject (a password change, an erased advocate)."""
    session.execute(
        delete(LoginSession).where(
            col(LoginSession.kind) == kind, col(LoginSession.subject_id) == subject_id
        )
    )
