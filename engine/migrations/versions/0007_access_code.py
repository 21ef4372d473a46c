"""Cases get the citizen's access code (updates and rating need it; the sequential reference alone does not).

Revision ID: 0007_access_code
Revises: 0006_metrics
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_access_code"
down_revision = "0006_metrics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("access_code", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("access_code")
