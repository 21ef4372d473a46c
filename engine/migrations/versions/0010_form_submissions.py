"""One-time form tokens and API idempotency keys: a form sent twice makes one case (issue 12).

Revision ID: 0010_form_submissions
Revises: 0009_case_search
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0010_form_submissions"
down_revision = "0009_case_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=60), nullable=False),
        sa.Column("token", sa.String(length=100), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("slip_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_form_submissions_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["slip_id"], ["suggestion_slips.id"],
                                name=op.f("fk_form_submissions_slip_id_suggestion_slips"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_form_submissions_actor_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
        sa.UniqueConstraint("scope", "token", name="uq_form_submissions_scope_token"),
    )
    op.create_index(op.f("ix_form_submissions_case_id"), "form_submissions", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_form_submissions_case_id"), table_name="form_submissions")
    op.drop_table("form_submissions")
