"""Daily roll-ups for monitoring at metro scale (issue 14).

Revision ID: 0018_rollups
Revises: 0017_camunda_tasks
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0018_rollups"
down_revision = "0017_camunda_tasks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
