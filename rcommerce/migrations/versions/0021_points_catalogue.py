"""points catalogue: rewards a store offers for points, each issuing a coupon

Revision ID: 0021_points_catalogue
Revises: 0020_customer_segments
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0021_points_catalogue"
down_revision: str | Sequence[str] | None = "0020_customer_segments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("points_cost", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("coupon_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("coupon_value", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("catalogue_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalogue_item_store_id"), ["store_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("catalogue_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_item_store_id"))
    op.drop_table("catalogue_item")
