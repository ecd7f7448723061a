"""clicks: index by store and time (report roll-ups read a store's clicks day by day)

Revision ID: 0005_click_store_day
Revises: 0004_reports
Create Date: 2026-11-24 02:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_click_store_day"
down_revision: str | Sequence[str] | None = "0004_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("click", schema=None) as batch_op:
        batch_op.drop_index("ix_click_store_id")
        batch_op.create_index("ix_click_store_created", ["store_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("click", schema=None) as batch_op:
        batch_op.drop_index("ix_click_store_created")
        batch_op.create_index("ix_click_store_id", ["store_id"], unique=False)
