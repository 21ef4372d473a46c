"""Camunda 7 task attributes: candidates, priority, follow-up, external tasks (issue 16).

Revision ID: 0017_camunda_tasks
Revises: 0016_follow_up
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0017_camunda_tasks"
down_revision = "0016_follow_up"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
