"""Storage per closed case (issue 14).

Revision ID: 0023_storage
Revises: 0022_decisions
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0023_storage"
down_revision = "0022_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
