"""customer segments: each customer's segment memberships with their reasons, each segment's
daily figures, and the store's segment thresholds

Revision ID: 0020_customer_segments
Revises: 0019_review_request_phone
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0020_customer_segments"
down_revision: str | Sequence[str] | None = "0019_review_request_phone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_segment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("customer", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("segment", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("reason", sa.JSON(), nullable=False),
        sa.Column("computed_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "segment", "customer"),
    )
    with op.batch_alter_table("customer_segment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customer_segment_customer", ["store_id", "customer"], unique=False
        )
    op.create_table(
        "segment_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("segment", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("referred_orders", sa.Integer(), nullable=False),
        sa.Column("reviewed_orders", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "segment", "day"),
    )
    op.create_table(
        "segment_settings",
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("computed_at", rcommerce.timestamps.UTCDateTime(), nullable=True),
        sa.Column("updated_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("store_id"),
    )


def downgrade() -> None:
    op.drop_table("segment_settings")
    op.drop_table("segment_day")
    with op.batch_alter_table("customer_segment", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_segment_customer")
    op.drop_table("customer_segment")
