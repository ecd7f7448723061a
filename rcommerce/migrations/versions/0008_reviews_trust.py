"""reviews: confirmation links, flagged reviews, thank-you e-mails, voters' networks, and the
store's review settings (hold window, unconfirmed reviews, products only from the API)

Revision ID: 0008_reviews_trust
Revises: 0007_job_lease
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import rcommerce.timestamps
from alembic import op

revision: str = "0008_reviews_trust"
down_revision: str | Sequence[str] | None = "0007_job_lease"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("review_hold_hours", sa.Integer(), nullable=False, server_default="72")
        )
        batch_op.add_column(
            sa.Column(
                "unverified_reviews",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="publish",
            )
        )
        batch_op.add_column(
            sa.Column(
                "products_from_api_only", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("flagged", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("thanked_at", rcommerce.timestamps.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("reply_notified_at", rcommerce.timestamps.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_review_flagged"), ["flagged"], unique=False)
    with op.batch_alter_table("review_vote", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ip_hash", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
    op.create_table(
        "review_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("order_pk", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.Column("expires_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.Column("sent_at", rcommerce.timestamps.UTCDateTime(), nullable=True),
        sa.Column("used_at", rcommerce.timestamps.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["order_pk"], ["orders.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_confirmation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_confirmation_store_id"), ["store_id"])
        batch_op.create_index(batch_op.f("ix_review_confirmation_review_id"), ["review_id"])
        batch_op.create_index(batch_op.f("ix_review_confirmation_address"), ["address"])


def downgrade() -> None:
    op.drop_table("review_confirmation")
    with op.batch_alter_table("review_vote", schema=None) as batch_op:
        batch_op.drop_column("ip_hash")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_flagged"))
        batch_op.drop_column("reply_notified_at")
        batch_op.drop_column("thanked_at")
        batch_op.drop_column("flagged")
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.drop_column("products_from_api_only")
        batch_op.drop_column("unverified_reviews")
        batch_op.drop_column("review_hold_hours")
