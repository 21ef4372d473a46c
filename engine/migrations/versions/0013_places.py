"""Places and wards: point, ward and town of a case; councillors' wards (issue 15).

Revision ID: 0013_places
Revises: 0012_photos
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0013_places"
down_revision = "0012_photos"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("ward", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("town", sa.String(length=60), nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_ward"), ["ward"], unique=False)
        batch_op.create_index("ix_cases_point", ["latitude", "longitude"], unique=False)
    # wardviews: the ward a councillor (role `councillor`) sees, a ward code of the ward file (engine/services/wards.py).
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("ward", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_index("ix_cases_point")
        batch_op.drop_index(batch_op.f("ix_cases_ward"))
        for column in ("town", "ward", "longitude", "latitude"):
            batch_op.drop_column(column)
    # wardviews: the councillor's ward.
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("ward")
