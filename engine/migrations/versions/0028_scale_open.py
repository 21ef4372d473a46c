"""The open snapshot read from its index alone (issue 14, session 21): `ix_cases_open_opened` (the open cases,
by opening time) carries the case dimensions and the due time as INCLUDE columns on PostgreSQL, so the dashboard's
count of the open cases by dimensions, age and lateness is an index-only scan (875 index pages at 89 000 open cases
instead of one heap visit per open case). A partial index of the open cases only: closed cases, nearly all of a
million, take no space in it. SQLite has no INCLUDE: its index stays as it was.

Revision ID: 0028_scale_open
Revises: 0026_state_bytes
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

import engine.models.base  # noqa: F401

revision = "0028_scale_open"
down_revision = "0026_state_bytes"
branch_labels = None
depends_on = None

INCLUDED = ["case_type", "category", "department_code", "channel", "ward", "town", "due_at"]
OPEN: dict[str, Any] = {"postgresql_where": sa.text("closed_at IS NULL"), "sqlite_where": sa.text("closed_at IS NULL")}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_cases_open_opened", table_name="cases")
    op.create_index("ix_cases_open_opened", "cases", ["opened_at"], postgresql_include=INCLUDED, **OPEN)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_cases_open_opened", table_name="cases")
    op.create_index("ix_cases_open_opened", "cases", ["opened_at"], **OPEN)
