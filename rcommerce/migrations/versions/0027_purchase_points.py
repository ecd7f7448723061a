"""points for purchases: a store may give its advocates points on their own orders (so many
points per so much of the order total), pending for the hold period, reversed on refund

Revision ID: 0027_purchase_points
Revises: 0026_points_expiry
Create Date: 2026-12-05 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0027_purchase_points"
down_revision: str | Sequence[str] | None = "0026_points_expiry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = rcommerce.timestamps.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("points_per_order_amount", sa.Numeric(precision=18, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "points_order_amount",
                sa.Numeric(precision=18, scale=2),
                nullable=False,
                server_default="1000",
            )
        )
    op.create_table(
        "purchase_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("advocate_id", sa.Integer(), nullable=False),
        sa.Column("order_pk", sa.Integer(), nullable=False),
        sa.Column("points", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("status", S(length=16), nullable=False),
        sa.Column("approve_after", T(), nullable=False),
        sa.Column("issued_at", T(), nullable=True),
        sa.Column("reversed_at", T(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["advocate_id"], ["advocate.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["order_pk"], ["orders.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_pk"),
    )
    with op.batch_alter_table("purchase_points", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_points_store_id"), ["store_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_points_advocate_id"), ["advocate_id"], unique=False
        )
        batch_op.create_index(
            "ix_purchase_points_due", ["status", "approve_after"], unique=False
        )


def downgrade() -> None:
    op.drop_table("purchase_points")
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.drop_column("points_order_amount")
        batch_op.drop_column("points_per_order_amount")
