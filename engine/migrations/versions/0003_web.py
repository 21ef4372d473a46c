"""Schema for staff and citizen web experience (issue 4).

Revision ID: 0003_web
Revises: 0002_processes
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0003_web"
down_revision = "0002_processes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reserved in the chain so that work on several issues can add tables without branching.
    pass


def downgrade() -> None:
    pass
