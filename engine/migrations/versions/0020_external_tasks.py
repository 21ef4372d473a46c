"""External tasks that integration workers fetch, lock, complete or fail, and Camunda Forms deployed with a
diagram (issue 16).

Revision ID: 0020_external_tasks
Revises: 0019_change_notes
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0020_external_tasks"
down_revision = "0019_change_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "external_tasks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("process_key", sa.String(length=200), nullable=False),
        sa.Column("element", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("worker_id", sa.String(length=200), nullable=True),
        sa.Column("locked_until", engine.models.base.UTCDateTime(), nullable=True),
        sa.Column("retries", sa.Integer(), nullable=True),
        sa.Column("error_message", sa.String(length=4000), nullable=True),
        sa.Column("error_details", sa.Text(), nullable=True),
        sa.Column("created_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instances.id"],
                                name=op.f("fk_external_tasks_instance_id_process_instances"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_tasks")),
    )
    op.create_index(op.f("ix_external_tasks_instance_id"), "external_tasks", ["instance_id"])
    op.create_index("ix_external_tasks_topic_locked_until", "external_tasks", ["topic", "locked_until"])
    with op.batch_alter_table("process_versions") as batch_op:
        batch_op.add_column(sa.Column("form_files", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("process_versions") as batch_op:
        batch_op.drop_column("form_files")
    op.drop_table("external_tasks")
