"""review videos: one short MP4 or WebM clip per review, stored as sent beside the photos

Revision ID: 0028_review_videos
Revises: 0027_purchase_points
Create Date: 2026-12-05 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0028_review_videos"
down_revision: str | Sequence[str] | None = "0027_purchase_points"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_video",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("duration", sa.Float(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("ip_hash", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_video", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_video_review_id"), ["review_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_video_store_id"), ["store_id"], unique=False)
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("video_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("video_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("video_type")
        batch_op.drop_column("video_id")
    with op.batch_alter_table("review_video", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_video_store_id"))
        batch_op.drop_index(batch_op.f("ix_review_video_review_id"))
    op.drop_table("review_video")
