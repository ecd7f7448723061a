"""phone-first identity: advocates, reviews and testimonials known by a phone (E.164) beside or
instead of an e-mail, one advocate per store per phone and one review per phone per subject;
phones that opted out of the store's messages

Revision ID: 0030_phone_identity
Revises: 0029_question_phone
Create Date: 2026-12-05 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0030_phone_identity"
down_revision: str | Sequence[str] | None = "0029_question_phone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EMAIL = "email VARCHAR(320) NOT NULL"


def _advocate_email_nullable(nullable: bool) -> None:
    """On SQLite, rebuilding ``advocate`` (batch mode) would drop the old table, and with
    foreign keys on that cascades into every advocate's clicks, ledger and rewards. Dropping or
    restoring a NOT NULL changes nothing on disk, so SQLite documents editing the schema text
    in place for it (https://sqlite.org/lang_altertable.html#otheralter)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column(
            "advocate",
            "email",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=320),
            nullable=nullable,
        )
        return
    old, new = (_EMAIL, "email VARCHAR(320)") if nullable else ("email VARCHAR(320)", _EMAIL)
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
        (old, new, "advocate"),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    op.add_column(
        "advocate", sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
    )
    op.create_index("ix_advocate_store_phone", "advocate", ["store_id", "phone"], unique=True)
    _advocate_email_nullable(True)

    op.add_column(
        "review", sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
    )
    op.create_index(op.f("ix_review_phone"), "review", ["phone"], unique=False)
    op.create_index(
        "ix_review_store_product_phone", "review", ["store_id", "product_id", "phone"], unique=True
    )
    op.add_column(
        "testimonial",
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.create_index(op.f("ix_testimonial_phone"), "testimonial", ["phone"], unique=False)

    op.create_table(
        "phone_opt_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "phone"),
    )
    op.create_index(op.f("ix_phone_opt_out_store_id"), "phone_opt_out", ["store_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_phone_opt_out_store_id"), table_name="phone_opt_out")
    op.drop_table("phone_opt_out")
    op.drop_index(op.f("ix_testimonial_phone"), table_name="testimonial")
    op.drop_column("testimonial", "phone")
    op.drop_index("ix_review_store_product_phone", table_name="review")
    op.drop_index(op.f("ix_review_phone"), table_name="review")
    op.drop_column("review", "phone")
    # The older schema needs an e-mail: advocates known only by phone cannot stay.
    op.execute(sa.text("DELETE FROM advocate WHERE email IS NULL"))
    _advocate_email_nullable(False)
    op.drop_index("ix_advocate_store_phone", table_name="advocate")
    op.drop_column("advocate", "phone")
