"""WhatsApp conversations and inbound message ids (issue 15).

Revision ID: 0014_whatsapp
Revises: 0013_places
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0014_whatsapp"
down_revision = "0013_places"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
