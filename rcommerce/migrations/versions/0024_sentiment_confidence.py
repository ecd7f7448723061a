"""sentiment confidence: how sure each review's and testimonial's score is, per aspect, and
whether its praise may be sarcasm (reports quote only confident, sincere mentions)

Revision ID: 0024_sentiment_confidence
Revises: 0023_zns_ratings
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_sentiment_confidence"
down_revision: str | Sequence[str] | None = "0023_zns_ratings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("review", "testimonial")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("sentiment_confidence", sa.Float(), nullable=True))
            batch_op.add_column(
                sa.Column("sentiment_aspect_confidence", sa.JSON(), nullable=True)
            )
            batch_op.add_column(sa.Column("sentiment_sarcasm", sa.Boolean(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("sentiment_sarcasm")
            batch_op.drop_column("sentiment_aspect_confidence")
            batch_op.drop_column("sentiment_confidence")
