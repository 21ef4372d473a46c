"""Schema for process owners' drafts and the change summary of each deployed version (issue 5).

Revision ID: 0004_modeler
Revises: 0003_web
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0004_modeler"
down_revision = "0003_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "process_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("process_key", sa.String(length=100), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("based_on_version_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_process_drafts_author_id_users")),
        sa.ForeignKeyConstraint(["based_on_version_id"], ["process_versions.id"], ondelete="SET NULL",
                                name=op.f("fk_process_drafts_based_on_version_id_process_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_drafts")),
    )
    op.create_index(op.f("ix_process_drafts_process_key"), "process_drafts", ["process_key"], unique=False)
    op.create_table(
        "process_version_changes",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("previous_version_id", sa.Integer(), nullable=True),
        sa.Column("restored_from_version_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["process_versions.id"], ondelete="CASCADE",
                                name=op.f("fk_process_version_changes_version_id_process_versions")),
        sa.ForeignKeyConstraint(["previous_version_id"], ["process_versions.id"], ondelete="SET NULL",
                                name=op.f("fk_process_version_changes_previous_version_id_process_versions")),
        sa.ForeignKeyConstraint(["restored_from_version_id"], ["process_versions.id"], ondelete="SET NULL",
                                name=op.f("fk_process_version_changes_restored_from_version_id_process_versions")),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_process_version_changes")),
    )


def downgrade() -> None:
    op.drop_table("process_version_changes")
    op.drop_index(op.f("ix_process_drafts_process_key"), table_name="process_drafts")
    op.drop_table("process_drafts")
