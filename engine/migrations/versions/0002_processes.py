"""Schema for account queries, suggestion box, service standards, deviations (issue 3).

Revision ID: 0002_processes
Revises: 0001_initial
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0002_processes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reserved in the chain so that work on several issues can add tables without branching.
    pass


def downgrade() -> None:
    pass
