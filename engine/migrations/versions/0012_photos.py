"""Photos attached to cases (issue 15).

Revision ID: 0012_photos
Revises: 0011_staff_accounts
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0012_photos"
down_revision = "0011_staff_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(length=30), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("later", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_photos_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], name=op.f("fk_photos_added_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    op.create_index(op.f("ix_photos_case_id"), "photos", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_photos_case_id"), table_name="photos")
    op.drop_table("photos")
