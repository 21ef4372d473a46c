"""Monthly roll-ups beside the daily ones (issue 14): monthly_figures, written from daily_figures.

(The revision's id keeps the name of the slot it was created as.)

Revision ID: 0025_call_binding
Revises: 0024_scale
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base  # noqa: F401

revision = "0025_call_binding"
down_revision = "0024_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from engine.models.rollups import rebuild_months

    op.create_table(
        "monthly_figures",
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_figures")),
    )
    op.create_index("ix_monthly_figures_day_department", "monthly_figures", ["day", "department_code"])
    # The daily rows already there, added up per month (seconds at a million cases: ~90 000 daily rows).
    rebuild_months(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_monthly_figures_day_department", table_name="monthly_figures")
    op.drop_table("monthly_figures")
