"""Decisions deployed on their own: DMN files as versions of their decisions (issue 16).

Revision ID: 0022_decisions
Revises: 0021_perf
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0022_decisions"
down_revision = "0021_perf"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
