"""External tasks that integration workers fetch, lock, complete or fail (issue 16).

Revision ID: 0020_external_tasks
Revises: 0019_change_notes
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0020_external_tasks"
down_revision = "0019_change_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
