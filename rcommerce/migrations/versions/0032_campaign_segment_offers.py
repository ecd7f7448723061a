"""campaign segment offers: a campaign's other terms for shoppers of some segments; each
segment's daily unique clicks on its advocates' referral links, and its members who are advocates

Revision ID: 0032_campaign_segment_offers
Revises: 0031_job_due_index
Create Date: 2026-12-05 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_campaign_segment_offers"
down_revision: str | Sequence[str] | None = "0031_job_due_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "campaign", sa.Column("segment_offers", sa.JSON(), nullable=False, server_default="[]")
    )
    op.add_column(
        "segment_day",
        sa.Column("referral_clicks", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "segment_settings",
        sa.Column("advocates", sa.JSON(), nullable=False, server_default="{}"),
    )


def downgrade() -> None:
    with op.batch_alter_table("segment_settings", schema=None) as batch_op:
        batch_op.drop_column("advocates")
    with op.batch_alter_table("segment_day", schema=None) as batch_op:
        batch_op.drop_column("referral_clicks")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("segment_offers")
