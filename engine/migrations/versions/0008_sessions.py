"""Sessions kept on the server (signing out ends them) and sign-in lockouts that grow (issue 10).

Revision ID: 0008_sessions
Revises: 0007_access_code
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0008_sessions"
down_revision = "0007_access_code"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", engine.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    op.create_index(op.f("ix_user_sessions_user_id"), "user_sessions", ["user_id"])
    # Counts kept under the old rules (one lock per username from every address) mean nothing under the new ones.
    op.execute("DELETE FROM login_throttles")
    with op.batch_alter_table("login_throttles") as batch:
        batch.add_column(sa.Column("lockouts", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("login_throttles") as batch:
        batch.drop_column("lockouts")
    op.drop_index(op.f("ix_user_sessions_user_id"), table_name="user_sessions")
    op.drop_table("user_sessions")
