"""questions: product questions, their answers (the shop's and verified buyers'), helpful votes
on answers, and invitations asking a product's buyers to answer

Revision ID: 0017_questions
Revises: 0016_login_sessions
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rcommerce.timestamps

revision: str = "0017_questions"
down_revision: str | Sequence[str] | None = "0016_login_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = rcommerce.timestamps.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("product_id", S(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_name", S(length=100), nullable=False),
        sa.Column("email", S(length=320), nullable=True),
        sa.Column("status", S(length=16), nullable=False),
        sa.Column("reason_code", S(length=32), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("fingerprint", S(length=64), nullable=False),
        sa.Column("ip_hash", S(length=32), nullable=True),
        sa.Column("honeypot", sa.Boolean(), nullable=False),
        sa.Column("answer_count", sa.Integer(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("published_at", T(), nullable=True),
        sa.Column("invited_at", T(), nullable=True),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_store_product", ["store_id", "product_id", "status"], unique=False
        )
        for column in ("store_id", "status", "fingerprint", "ip_hash"):
            batch_op.create_index(batch_op.f(f"ix_question_{column}"), [column], unique=False)
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("kind", S(length=16), nullable=False),
        sa.Column("author_name", S(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("order_pk", sa.Integer(), nullable=True),
        sa.Column("status", S(length=16), nullable=False),
        sa.Column("reason_code", S(length=32), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("helpful_count", sa.Integer(), nullable=False),
        sa.Column("not_helpful_count", sa.Integer(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("published_at", T(), nullable=True),
        sa.Column("notified_at", T(), nullable=True),
        sa.ForeignKeyConstraint(["order_pk"], ["orders.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        for column in ("store_id", "question_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_answer_{column}"), [column], unique=False)
    op.create_table(
        "answer_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("voter", S(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("ip_hash", S(length=32), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("answer_id", "voter"),
    )
    with op.batch_alter_table("answer_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_vote_answer_id"), ["answer_id"], unique=False)
    op.create_table(
        "answer_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("order_pk", sa.Integer(), nullable=True),
        sa.Column("email", S(length=320), nullable=False),
        sa.Column("name", S(length=100), nullable=False),
        sa.Column("sent_at", T(), nullable=False),
        sa.Column("used_at", T(), nullable=True),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["order_pk"], ["orders.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "email"),
    )
    with op.batch_alter_table("answer_invitation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answer_invitation_store_email", ["store_id", "email", "sent_at"], unique=False
        )
        for column in ("store_id", "question_id"):
            batch_op.create_index(
                batch_op.f(f"ix_answer_invitation_{column}"), [column], unique=False
            )


def downgrade() -> None:
    op.drop_table("answer_invitation")
    op.drop_table("answer_vote")
    op.drop_table("answer")
    op.drop_table("question")
