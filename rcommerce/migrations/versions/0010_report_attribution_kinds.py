"""reports: referred orders by attribution kind (click, code, coupon), converted clicks and
referred customers

Revision ID: 0010_report_attribution_kinds
Revises: 0009_referral_trust
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_report_attribution_kinds"
down_revision: str | Sequence[str] | None = "0009_referral_trust"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("referred_by_click", "referred_by_code", "referred_by_coupon", "converted_clicks")


def upgrade() -> None:
    with op.batch_alter_table("report_day", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("referred_customers", sa.LargeBinary(), nullable=False, server_default="")
        )
    with op.batch_alter_table("report_day", schema=None) as batch_op:
        for name in (*COLUMNS, "referred_customers"):
            batch_op.alter_column(name, server_default=None)
    # The stored days lack the new counters: drop them, and each is rolled up again from the
    # raw events the first time a report reads it (the roll-ups are a cache of those events).
    op.execute("DELETE FROM report_day")
    op.execute("DELETE FROM report_advocate_day")


def downgrade() -> None:
    with op.batch_alter_table("report_day", schema=None) as batch_op:
        batch_op.drop_column("referred_customers")
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
