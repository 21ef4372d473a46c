"""Daily roll-ups for monitoring at metro scale (issue 14): daily_figures and rollup_marks, built from the cases.

Revision ID: 0018_rollups
Revises: 0017_camunda_tasks
"""

import os

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = "0018_rollups"
down_revision = "0017_camunda_tasks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from engine.models.rollups import offset_of, rebuild

    op.create_table(
        "daily_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("case_type", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=True),
        sa.Column("department_code", sa.String(length=40), nullable=True),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("ward", sa.String(length=20), nullable=True),
        sa.Column("town", sa.String(length=60), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in (
            "opened", "acknowledged", "acknowledged_in_time")),
        sa.Column("ack_histogram", sa.JSON(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in (
            "resolved", "within_standard", "with_standard", "rated", "rating_total")),
        sa.Column("resolve_histogram", sa.JSON(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in (
            "duplicates", "survey_satisfied", "survey_dissatisfied", "survey_no_response")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_figures")),
    )
    op.create_index("ix_daily_figures_day_department", "daily_figures", ["day", "department_code"])
    op.create_table(
        "rollup_marks",
        sa.Column("offset_minutes", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("built_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("offset_minutes", name=op.f("pk_rollup_marks")),
    )
    # The cases already there are counted now, for the zone the deployment is configured with (BATHO_TIMEZONE).
    rebuild(op.get_bind(), offset_of(os.environ.get("BATHO_TIMEZONE", "Africa/Johannesburg")), months=False)


def downgrade() -> None:
    op.drop_table("rollup_marks")
    op.drop_index("ix_daily_figures_day_department", table_name="daily_figures")
    op.drop_table("daily_figures")
