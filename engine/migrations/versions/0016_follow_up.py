"""Following up: citizens' additions, reopening, access-code resends (issue 15).

Revision ID: 0016_follow_up
Revises: 0015_sms_ussd
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0016_follow_up"
down_revision = "0015_sms_ussd"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
