"""Following up: citizens' additions, reopening, access-code resends (issue 15).

Revision ID: 0016_follow_up
Revises: 0015_sms_ussd
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0016_follow_up"
down_revision = "0015_sms_ussd"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_waits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instances.id"],
                                name=op.f("fk_event_waits_instance_id_process_instances"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_waits")),
    )
    op.create_index(op.f("ix_event_waits_instance_id"), "event_waits", ["instance_id"])
    op.create_index("ix_event_waits_kind_name", "event_waits", ["kind", "name"])
    op.create_table(
        "code_resends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("at", engine.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_resends")),
    )
    op.create_index(op.f("ix_code_resends_key"), "code_resends", ["key"])
    op.create_index(op.f("ix_code_resends_at"), "code_resends", ["at"])


def downgrade() -> None:
    op.drop_table("code_resends")
    op.drop_table("event_waits")
