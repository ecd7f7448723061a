"""zns ratings: a review request keeps its ZNS tracking id, Zalo's rating callbacks are kept
once under their msg_id until they become reviews, and a review keeps the aspects its author
named outright (a rating's preset tags)

Revision ID: 0023_zns_ratings
Revises: 0022_advocate_tiers
Create Date: 2026-12-05 11:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0023_zns_ratings"
down_revision: str | Sequence[str] | None = "0022_advocate_tiers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zns_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("received_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.Column("processed_at", rcommerce.timestamps.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["review_request.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("zns_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zns_rating_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_zns_rating_store_id"), ["store_id"], unique=False)
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tag_aspects", sa.JSON(), nullable=True))
    with op.batch_alter_table("review_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tracking_id", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_review_request_tracking_id"), ["tracking_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("review_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_request_tracking_id"))
        batch_op.drop_column("tracking_id")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("tag_aspects")
    with op.batch_alter_table("zns_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zns_rating_store_id"))
        batch_op.drop_index(batch_op.f("ix_zns_rating_request_id"))
    op.drop_table("zns_rating")
