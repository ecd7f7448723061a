"""login sessions: dashboard and portal sessions kept on the server, so logging out revokes
them (cookies signed before this have no session and ask to log in again)

Revision ID: 0016_login_sessions
Revises: 0015_email_canonical_folding
Create Date: 2026-12-12 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0016_login_sessions"
down_revision: str | Sequence[str] | None = "0015_email_canonical_folding"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_session",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=43), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("created_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.Column("expires_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.create_index("ix_login_session_subject", ["kind", "subject_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_login_session_store_id"), ["store_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_session_store_id"))
        batch_op.drop_index("ix_login_session_subject")
    op.drop_table("login_session")
