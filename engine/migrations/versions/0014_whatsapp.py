"""WhatsApp conversations and inbound message ids (issue 15).

Revision ID: 0014_whatsapp
Revises: 0013_places
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0014_whatsapp"
down_revision = "0013_places"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "whatsapp_conversations",
        sa.Column("wa_id", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=True),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=True),
        sa.Column("last_message_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("wa_id", name=op.f("pk_whatsapp_conversations")),
    )
    op.create_index(op.f("ix_whatsapp_conversations_last_message_at"), "whatsapp_conversations", ["last_message_at"])
    op.create_table(
        "whatsapp_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("wa_id", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("received_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("handled_at", engine.models.base.UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_messages")),
        sa.UniqueConstraint("message_id", name=op.f("uq_whatsapp_messages_message_id")),
    )
    op.create_index("ix_whatsapp_messages_pending", "whatsapp_messages", ["handled_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_whatsapp_messages_pending", table_name="whatsapp_messages")
    op.drop_table("whatsapp_messages")
    op.drop_index(op.f("ix_whatsapp_conversations_last_message_at"), table_name="whatsapp_conversations")
    op.drop_table("whatsapp_conversations")
