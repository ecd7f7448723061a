"""advocate tiers: ranks a store names by referred buyers, each with a reward bonus

Revision ID: 0022_advocate_tiers
Revises: 0021_points_catalogue
Create Date: 2026-12-05 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022_advocate_tiers"
down_revision: str | Sequence[str] | None = "0021_points_catalogue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "advocate_tier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("min_referred_buyers", sa.Integer(), nullable=False),
        sa.Column("bonus_percent", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "min_referred_buyers"),
    )


def downgrade() -> None:
    op.drop_table("advocate_tier")
