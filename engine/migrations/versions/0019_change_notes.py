"""The change note a process owner types with a draft, deployed with it (issue 16).

Revision ID: 0019_change_notes
Revises: 0018_rollups
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_change_notes"
down_revision = "0018_rollups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("process_drafts") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("process_drafts") as batch_op:
        batch_op.drop_column("note")
