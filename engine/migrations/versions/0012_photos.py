"""Photos attached to cases (issue 15).

Revision ID: 0012_photos
Revises: 0011_staff_accounts
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0012_photos"
down_revision = "0011_staff_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
