"""coupons: one active friend coupon per advocate, whatever the campaign (a new default
campaign used to try a second one with the same code); older duplicates are voided, and
still attribute the orders that carry them

Revision ID: 0014_friend_coupon_per_advocate
Revises: 0013_ascii_store_urls
Create Date: 2026-12-12 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_friend_coupon_per_advocate"
down_revision: str | Sequence[str] | None = "0013_ascii_store_urls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE_FRIEND = "purpose = 'friend' AND status = 'active'"
_coupon = sa.table(
    "coupon",
    sa.column("id", sa.Integer),
    sa.column("advocate_id", sa.Integer),
    sa.column("purpose", sa.String),
    sa.column("status", sa.String),
)


def upgrade() -> None:
    connection = op.get_bind()
    newest = (
        sa.select(sa.func.max(_coupon.c.id))
        .where(_coupon.c.purpose == "friend", _coupon.c.status == "active")
        .group_by(_coupon.c.advocate_id)
    )
    connection.execute(
        sa.update(_coupon)
        .where(
            _coupon.c.purpose == "friend",
            _coupon.c.status == "active",
            _coupon.c.id.not_in(newest.scalar_subquery()),
        )
        .values(status="void")
    )
    op.create_index(
        "uq_coupon_friend_advocate",
        "coupon",
        ["advocate_id"],
        unique=True,
        sqlite_where=sa.text(_ACTIVE_FRIEND),
        postgresql_where=sa.text(_ACTIVE_FRIEND),
    )


def downgrade() -> None:
    op.drop_index("uq_coupon_friend_advocate", table_name="coupon")
