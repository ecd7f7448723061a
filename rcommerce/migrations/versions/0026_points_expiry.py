"""points expiry: a store may let points expire a set number of days after they were earned
(null: they never expire)

Revision ID: 0026_points_expiry
Revises: 0025_leaderboard
Create Date: 2026-12-05 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_points_expiry"
down_revision: str | Sequence[str] | None = "0025_leaderboard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.add_column(sa.Column("points_expire_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.drop_column("points_expire_days")
