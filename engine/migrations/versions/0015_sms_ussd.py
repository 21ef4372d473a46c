"""Two-way SMS and USSD (issue 15).

Revision ID: 0015_sms_ussd
Revises: 0014_whatsapp
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0015_sms_ussd"
down_revision = "0014_whatsapp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
