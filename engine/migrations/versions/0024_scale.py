"""Monitoring, task list and search at a million cases (issue 14).

Revision ID: 0024_scale
Revises: 0023_storage
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0024_scale"
down_revision = "0023_storage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
