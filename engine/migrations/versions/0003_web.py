"""Schema for staff and citizen web experience (issue 4): sign-in throttling, task list index by age.

Revision ID: 0003_web
Revises: 0002_processes
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0003_web"
down_revision = "0002_processes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("locked_until", engine.models.base.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_human_tasks_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_human_tasks_created_at")
    op.drop_table("login_throttles")
