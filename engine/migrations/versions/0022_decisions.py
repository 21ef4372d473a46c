"""Decisions deployed on their own: DMN files as versions of their decisions (issue 16).

Revision ID: 0022_decisions
Revises: 0021_perf
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0022_decisions"
down_revision = "0021_perf"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("deployed_by_id", sa.Integer(), nullable=True),
        sa.Column("deployed_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["deployed_by_id"], ["users.id"],
                                name=op.f("fk_decision_versions_deployed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_versions")),
        sa.UniqueConstraint("decision_id", "version", name="uq_decision_versions_decision_id_version"),
    )
    op.create_index(op.f("ix_decision_versions_decision_id"), "decision_versions", ["decision_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_decision_versions_decision_id"), table_name="decision_versions")
    op.drop_table("decision_versions")
