"""orders: buyers known by phone, the merchant's order number, the source, partial refunds; product ids for Google's feed

Revision ID: 0011_order_buyers
Revises: 0010_report_attribution_kinds
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0011_order_buyers"
down_revision: str | Sequence[str] | None = "0010_report_attribution_kinds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "source",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="api",
            )
        )
        batch_op.add_column(
            sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "refunded_amount",
                sa.Numeric(precision=18, scale=2),
                nullable=False,
                server_default="0",
            )
        )
        batch_op.alter_column(
            "email", existing_type=sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True
        )
        batch_op.create_index(batch_op.f("ix_orders_phone"), ["phone"], unique=False)
    # Refunded orders were refunded in full.
    orders = sa.table(
        "orders",
        sa.column("status", sa.String),
        sa.column("total", sa.Numeric),
        sa.column("refunded_amount", sa.Numeric),
    )
    op.execute(
        orders.update().where(orders.c.status == "refunded").values(refunded_amount=orders.c.total)
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("source", server_default=None)
        batch_op.alter_column("refunded_amount", server_default=None)

    op.create_table(
        "order_refund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_pk", sa.Integer(), nullable=False),
        sa.Column("refund_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", rcommerce.timestamps.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_pk"], ["orders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_pk", "refund_id"),
    )
    with op.batch_alter_table("order_refund", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_refund_order_pk"), ["order_pk"], unique=False)

    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("gtin", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True)
        )
        batch_op.add_column(
            sa.Column("mpn", sqlmodel.sql.sqltypes.AutoString(length=70), nullable=True)
        )
        batch_op.add_column(
            sa.Column("brand", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("category")
        batch_op.drop_column("brand")
        batch_op.drop_column("mpn")
        batch_op.drop_column("gtin")
    with op.batch_alter_table("order_refund", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_refund_order_pk"))
    op.drop_table("order_refund")
    # The older schema needs an e-mail: orders known only by phone keep an empty one.
    op.execute(sa.text("UPDATE orders SET email = '' WHERE email IS NULL"))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_phone"))
        batch_op.alter_column(
            "email", existing_type=sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False
        )
        batch_op.drop_column("refunded_amount")
        batch_op.drop_column("phone")
        batch_op.drop_column("source")
        batch_op.drop_column("number")
