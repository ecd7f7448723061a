"""question phone: a question's asker may give a phone (answers announced by Zalo ZNS or SMS),
and an answer invitation says whether it went by e-mail or by phone

Revision ID: 0029_question_phone
Revises: 0028_review_videos
Create Date: 2026-12-05 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0029_question_phone"
down_revision: str | Sequence[str] | None = "0028_review_videos"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "question",
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    )
    op.add_column(
        "answer_invitation",
        sa.Column(
            "channel",
            sqlmodel.sql.sqltypes.AutoString(length=8),
            nullable=False,
            server_default="email",
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("answer_invitation", schema=None) as batch_op:
        batch_op.drop_column("channel")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("phone")
