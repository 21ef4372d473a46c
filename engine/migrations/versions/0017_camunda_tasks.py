"""Camunda 7 task attributes: candidates, priority, follow-up, external tasks (issue 16).

Revision ID: 0017_camunda_tasks
Revises: 0016_follow_up
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0017_camunda_tasks"
down_revision = "0016_follow_up"
branch_labels = None
depends_on = None


# --- juel: user-task assignment as Camunda does it (candidate users and groups, priority, follow-up) ---------------

def _upgrade_assignment() -> None:
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("candidate_users", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("candidate_groups", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_at", engine.models.base.UTCDateTime(), nullable=True))


def _downgrade_assignment() -> None:
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.drop_column("follow_up_at")
        batch_op.drop_column("priority")
        batch_op.drop_column("candidate_groups")
        batch_op.drop_column("candidate_users")

# --- end of juel's block --------------------------------------------------------------------------------------------


def upgrade() -> None:
    _upgrade_assignment()


def downgrade() -> None:
    _downgrade_assignment()
