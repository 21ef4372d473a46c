"""Call activities and decisions bound when reached (issue 16).

Revision ID: 0025_call_binding
Revises: 0024_scale
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0025_call_binding"
down_revision = "0024_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
