"""Storage per closed case (issue 14): indexes that keep only what is searched.

- `ix_notifications_status_next` serves the worker's search for due messages (pending, sending) and new-task
  notices (batch); on PostgreSQL it now holds only those rows, not every message ever delivered. (SQLite keeps the
  whole index: its planner uses a partial index only for a query with the very same condition.)
- `ix_case_events_kind` goes: `ix_case_events_kind_at` (kind, at) serves every query on the kind alone.
- `process_instances` back to the default fill factor (100) on PostgreSQL. 0021's 70 left room on a page for the
  next copy of a state, but a state of about 3 KB then took a page of 8 KB alone (a second row did not fit under
  70 %), and most updates change an indexed column (`next_timer_at`, `status`), which no free room makes HOT. At 100
  two rows share a page, and the old copies of an updated row are freed by autovacuum (PostgreSQL's default; with
  autovacuum switched off they pile up on fresh pages, where 70 pruned them within the row's own page). STORAGE
  MAIN stays: the state stays in the row.

Revision ID: 0023_storage
Revises: 0022_decisions
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base  # noqa: F401

revision = "0023_storage"
down_revision = "0022_decisions"
branch_labels = None
depends_on = None

OUTBOX_DUE = "status IN ('pending', 'sending', 'batch')"


def upgrade() -> None:
    op.drop_index("ix_notifications_status_next", table_name="notifications")
    op.create_index("ix_notifications_status_next", "notifications", ["status", "next_attempt_at"],
                    postgresql_where=sa.text(OUTBOX_DUE))
    op.drop_index("ix_case_events_kind", table_name="case_events")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE process_instances RESET (fillfactor)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE process_instances SET (fillfactor = 70)")
    op.create_index("ix_case_events_kind", "case_events", ["kind"])
    op.drop_index("ix_notifications_status_next", table_name="notifications")
    op.create_index("ix_notifications_status_next", "notifications", ["status", "next_attempt_at"])
