"""Schema for process owners' drafts and migrations (issue 5).

Revision ID: 0004_modeler
Revises: 0003_web
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0004_modeler"
down_revision = "0003_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reserved in the chain so that work on several issues can add tables without branching.
    pass


def downgrade() -> None:
    pass
