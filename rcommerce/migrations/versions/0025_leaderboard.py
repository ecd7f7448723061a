"""leaderboard: an advocate may keep off the store's leaderboard, and a store shows one only
once it turns it on

Revision ID: 0025_leaderboard
Revises: 0024_sentiment_confidence
Create Date: 2026-12-05 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_leaderboard"
down_revision: str | Sequence[str] | None = "0024_sentiment_confidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: on SQLite a batch copy of ``store`` would drop the old table,
    # and its ON DELETE CASCADE children with it.
    op.add_column(
        "advocate",
        sa.Column("leaderboard_opt_out", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "store",
        sa.Column("leaderboard_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("store", "leaderboard_enabled")
    op.drop_column("advocate", "leaderboard_opt_out")
