"""jobs: a running job's lease, renewed by its worker's heartbeat

Revision ID: 0007_job_lease
Revises: 0006_reward_email_job
Create Date: 2026-12-12 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcommerce.timestamps import UTCDateTime

revision: str = "0007_job_lease"
down_revision: str | Sequence[str] | None = "0006_reward_email_job"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("heartbeat_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_column("heartbeat_at")
