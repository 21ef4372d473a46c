"""Schema for account queries, suggestion box, service standards, deviations (issue 3).

Revision ID: 0002_processes
Revises: 0001_initial
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0002_processes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

UTC_TIME = engine.models.base.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("parent_case_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_cases_parent_case_id_cases"), "cases", ["parent_case_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index(op.f("ix_cases_parent_case_id"), ["parent_case_id"])
    op.create_table(
        "credit_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("account_number", sa.String(length=30), nullable=False),
        sa.Column("disputed_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("started_at", UTC_TIME(), nullable=False),
        sa.Column("ended_at", UTC_TIME(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_credit_holds_case_id_cases"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_holds")),
        sa.UniqueConstraint("case_id", name=op.f("uq_credit_holds_case_id")),
    )
    op.create_index(op.f("ix_credit_holds_account_number"), "credit_holds", ["account_number"])
    op.create_table(
        "deviations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("standard", sa.String(length=40), nullable=False),
        sa.Column("due_at", UTC_TIME(), nullable=True),
        sa.Column("detected_at", UTC_TIME(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("remedial_action", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTC_TIME(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_deviations_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_deviations_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviations")),
    )
    op.create_index(op.f("ix_deviations_case_id"), "deviations", ["case_id"])
    op.create_index(op.f("ix_deviations_detected_at"), "deviations", ["detected_at"])
    op.create_table(
        "suggestion_slips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("received_at", UTC_TIME(), nullable=False),
        sa.Column("kind_hint", sa.String(length=30), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("service_area", sa.String(length=40), nullable=True),
        sa.Column("staff_or_unit", sa.String(length=200), nullable=True),
        sa.Column("citizen_name", sa.String(length=200), nullable=True),
        sa.Column("citizen_email", sa.String(length=200), nullable=True),
        sa.Column("citizen_phone", sa.String(length=40), nullable=True),
        sa.Column("captured_by_id", sa.Integer(), nullable=True),
        sa.Column("run_case_id", sa.Integer(), nullable=True),
        sa.Column("classified_as", sa.String(length=30), nullable=True),
        sa.Column("spawned_case_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", UTC_TIME(), nullable=True),
        sa.Column("public_you_said", sa.Text(), nullable=True),
        sa.Column("public_we_did", sa.Text(), nullable=True),
        sa.Column("published_at", UTC_TIME(), nullable=True),
        sa.ForeignKeyConstraint(["captured_by_id"], ["users.id"],
                                name=op.f("fk_suggestion_slips_captured_by_id_users")),
        sa.ForeignKeyConstraint(["run_case_id"], ["cases.id"], name=op.f("fk_suggestion_slips_run_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["spawned_case_id"], ["cases.id"],
                                name=op.f("fk_suggestion_slips_spawned_case_id_cases"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_slips")),
    )
    op.create_index(op.f("ix_suggestion_slips_received_at"), "suggestion_slips", ["received_at"])
    op.create_index(op.f("ix_suggestion_slips_run_case_id"), "suggestion_slips", ["run_case_id"])
    op.create_index(op.f("ix_suggestion_slips_published_at"), "suggestion_slips", ["published_at"])
    op.create_table(
        "scheduled_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("started_at", UTC_TIME(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_scheduled_runs_case_id_cases"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_runs")),
        sa.UniqueConstraint("schedule", "period", name="uq_scheduled_runs_schedule_period"),
    )


def downgrade() -> None:
    op.drop_table("scheduled_runs")
    op.drop_table("suggestion_slips")
    op.drop_table("deviations")
    op.drop_table("credit_holds")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index(op.f("ix_cases_parent_case_id"))
        batch.drop_constraint(op.f("fk_cases_parent_case_id_cases"), type_="foreignkey")
        batch.drop_column("parent_case_id")
