"""Monitoring, task list and search at a million cases (issue 14): the indexes of engine/models/scale_indexes.py.

Partial indexes on the open cases and on the few events of the kinds the figures count, the task list's default
order, and (PostgreSQL only, with the pg_trgm extension) trigram indexes for a citizen's name and the words of a
description.

Revision ID: 0024_scale
Revises: 0023_storage
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

import engine.models.base  # noqa: F401

revision = "0024_scale"
down_revision = "0023_storage"
branch_labels = None
depends_on = None

EVENT_KINDS = {"ix_case_events_escalation_at": "kind = 'escalation'",
               "ix_case_events_reopened_at": "kind = 'status' AND message = 'reopened'",
               "ix_case_events_applied_at": "kind = 'completed' AND task_name = 'Task_apply'"}
CANDIDATES = ("candidate_groups", "candidate_users")
TRIGRAMS = {"ix_cases_citizen_name_trgm": "citizen_name", "ix_cases_summary_trgm": "summary"}


def _where(condition: str) -> dict[str, Any]:
    return {"postgresql_where": sa.text(condition), "sqlite_where": sa.text(condition)}


def upgrade() -> None:
    op.create_index("ix_cases_open_opened", "cases", ["opened_at"], **_where("closed_at IS NULL"))
    op.create_index("ix_cases_located_opened", "cases", ["opened_at"], **_where("location IS NOT NULL"))
    for name, condition in EVENT_KINDS.items():
        op.create_index(name, "case_events", ["at", "case_id"], **_where(condition))
    op.create_index("ix_human_tasks_due_order", "human_tasks", ["due_at", "created_at", "id"])
    for column in CANDIDATES:
        op.create_index(f"ix_human_tasks_{column}", "human_tasks", [column], **_where(f"{column} IS NOT NULL"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in TRIGRAMS.items():
            op.execute(f"CREATE INDEX {name} ON cases USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAMS:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    for column in CANDIDATES:
        op.drop_index(f"ix_human_tasks_{column}", table_name="human_tasks")
    op.drop_index("ix_human_tasks_due_order", table_name="human_tasks")
    for name in EVENT_KINDS:
        op.drop_index(name, table_name="case_events")
    op.drop_index("ix_cases_located_opened", table_name="cases")
    op.drop_index("ix_cases_open_opened", table_name="cases")
