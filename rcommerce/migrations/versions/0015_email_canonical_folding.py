"""advocates: canonical e-mails recomputed with the look-alike folding (fullwidth forms,
homoglyphs, combining marks) and Yahoo's disposable addresses, so self-referral checks see
existing advocates as they see new ones

Revision ID: 0015_email_canonical_folding
Revises: 0014_friend_coupon_per_advocate
Create Date: 2026-12-12 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcommerce.advocates.service import canonical_email

revision: str = "0015_email_canonical_folding"
down_revision: str | Sequence[str] | None = "0014_friend_coupon_per_advocate"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_advocate = sa.table(
    "advocate",
    sa.column("id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("email_canonical", sa.String),
    sa.column("status", sa.String),
)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_advocate.c.id, _advocate.c.email, _advocate.c.email_canonical).where(
            _advocate.c.status != "erased"
        )
    ).all()
    for advocate_id, email, stored in rows:
        folded = canonical_email(email)
        if folded != stored:
            connection.execute(
                sa.update(_advocate)
                .where(_advocate.c.id == advocate_id)
                .values(email_canonical=folded)
            )


def downgrade() -> None:
    pass  # the folded forms serve the older code as well
