"""review requests by phone: a request may go to a buyer known only by phone (Zalo ZNS, then
SMS), so its e-mail becomes optional; the channel it went by and each attempt are kept

Revision ID: 0019_review_request_phone
Revises: 0018_review_incentives
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019_review_request_phone"
down_revision: str | Sequence[str] | None = "0018_review_incentives"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_request", schema=None) as batch_op:
        batch_op.alter_column(
            "email", existing_type=sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True
        )
        batch_op.add_column(
            sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(
            sa.Column("attempts", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.create_index(batch_op.f("ix_review_request_phone"), ["phone"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM review_request WHERE email IS NULL")
    with op.batch_alter_table("review_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_request_phone"))
        batch_op.drop_column("attempts")
        batch_op.drop_column("channel")
        batch_op.drop_column("phone")
        batch_op.alter_column(
            "email", existing_type=sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False
        )
