"""jobs: reward e-mails waiting in the queue move to the referral programme's job name

Revision ID: 0006_reward_email_job
Revises: 0005_click_store_day
Create Date: 2026-12-05 08:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_reward_email_job"
down_revision: str | Sequence[str] | None = "0005_click_store_day"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_job = sa.table(
    "job",
    sa.column("id", sa.String),
    sa.column("name", sa.String),
    sa.column("payload", sa.JSON),
    sa.column("status", sa.String),
)


def _move(old: str, new: str, *, to_new: bool) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_job.c.id, _job.c.payload).where(
            _job.c.name == old, _job.c.status.in_(("queued", "running"))
        )
    ).all()
    for job_id, payload in rows:
        data = json.loads(payload) if isinstance(payload, str) else dict(payload or {})
        if to_new:
            if data.get("template") != "reward":
                continue
            data = {"advocate_id": data["advocate_id"], "reward_id": data["reward_id"]}
        else:
            data = {**data, "template": "reward"}
        connection.execute(
            sa.update(_job).where(_job.c.id == job_id).values(name=new, payload=data)
        )


def upgrade() -> None:
    _move("advocates.email", "referrals.reward_email", to_new=True)


def downgrade() -> None:
    _move("referrals.reward_email", "advocates.email", to_new=False)
