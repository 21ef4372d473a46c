"""Schema for monitoring and reports (issue 7).

Revision ID: 0006_metrics
Revises: 0005_api
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0006_metrics"
down_revision = "0005_api"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reserved in the chain so that work on several issues can add tables without branching.
    pass


def downgrade() -> None:
    pass
