"""jobs: one index on (status, run_at) for finding the due ones, instead of one on status

The runner's "next due job" (status queued, due, oldest first) read the run_at index from the
oldest job on, through every job done since the installation began; the pair finds the queued
ones directly. Lookups by status alone use its first column.

Revision ID: 0031_job_due_index
Revises: 0030_phone_identity
Create Date: 2026-12-05 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0031_job_due_index"
down_revision: str | Sequence[str] | None = "0030_phone_identity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_job_status_run_at", "job", ["status", "run_at"])
    op.drop_index("ix_job_status", table_name="job")


def downgrade() -> None:
    op.create_index("ix_job_status", "job", ["status"])
    op.drop_index("ix_job_status_run_at", table_name="job")
