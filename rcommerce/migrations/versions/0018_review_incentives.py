"""review incentives: a store's reward for reviews with a photo, whatever their rating, the
rewards reviews earned, and the mark of a rewarded review

Revision ID: 0018_review_incentives
Revises: 0017_questions
Create Date: 2026-12-05 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0018_review_incentives"
down_revision: str | Sequence[str] | None = "0017_questions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = rcommerce.timestamps.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("incentivized", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "review_incentive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("kind", S(length=16), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("min_chars", sa.Integer(), nullable=False),
        sa.Column("needs_media", sa.Boolean(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id"),
    )
    op.create_table(
        "review_reward",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("advocate_id", sa.Integer(), nullable=False),
        sa.Column("kind", S(length=16), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("coupon_code", S(length=32), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["advocate_id"], ["advocate.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id"),
    )
    with op.batch_alter_table("review_reward", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_reward_store_id"), ["store_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_review_reward_advocate_id"), ["advocate_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("review_reward")
    op.drop_table("review_incentive")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("incentivized")
