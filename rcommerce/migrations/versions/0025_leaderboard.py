"""leaderboard: an advocate may keep off the store's leaderboard, and a store shows one only
once it turns it on (also joins the two heads main had: 0023 and the sentiment revision)

Revision ID: 0025_leaderboard
Revises: 0023_zns_ratings, 0017_sentiment_confidence
Create Date: 2026-12-05 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_leaderboard"
down_revision: str | Sequence[str] | None = ("0023_zns_ratings", "0017_sentiment_confidence")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("advocate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "leaderboard_opt_out", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("leaderboard_enabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.drop_column("leaderboard_enabled")
    with op.batch_alter_table("advocate", schema=None) as batch_op:
        batch_op.drop_column("leaderboard_opt_out")
