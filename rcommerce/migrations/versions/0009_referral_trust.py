"""referrals: refused referral tokens kept with their orders; friend coupons expire per campaign

Revision ID: 0009_referral_trust
Revises: 0008_reviews_trust
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0009_referral_trust"
down_revision: str | Sequence[str] | None = "0008_reviews_trust"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rejected_token",
        sa.Column("order_pk", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_pk"], ["orders.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("order_pk"),
    )
    with op.batch_alter_table("rejected_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rejected_token_store_id"), ["store_id"], unique=False)
    # Every campaign gets the default: a friend's coupon lasts 30 days after their first click.
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("friend_coupon_days", sa.Integer(), nullable=True))
    op.execute("UPDATE campaign SET friend_coupon_days = 30")


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("friend_coupon_days")
    with op.batch_alter_table("rejected_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejected_token_store_id"))
    op.drop_table("rejected_token")
