"""Schema for Open311, staff API tokens, notification outbox (issue 6).

Revision ID: 0005_api
Revises: 0004_modeler
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0005_api"
down_revision = "0004_modeler"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reserved in the chain so that work on several issues can add tables without branching.
    pass


def downgrade() -> None:
    pass
