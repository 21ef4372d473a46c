"""Schema for monitoring and reports (issue 7): working-day calendar, step spans, acknowledgement time, indexes.

Revision ID: 0006_metrics
Revises: 0005_api
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import engine.models.base  # noqa: F401

revision = "0006_metrics"
down_revision = "0005_api"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from engine.models.metrics import calendar_rows

    work_days = op.create_table(
        "work_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_work_days")),
    )
    op.bulk_insert(work_days, calendar_rows())
    op.create_table(
        "step_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("process_key", sa.String(length=100), nullable=False),
        sa.Column("task_name", sa.String(length=100), nullable=False),
        sa.Column("started_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("finished_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_step_spans_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instances.id"],
                                name=op.f("fk_step_spans_instance_id_process_instances"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["version_id"], ["process_versions.id"],
                                name=op.f("fk_step_spans_version_id_process_versions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_step_spans")),
    )
    op.create_index("ix_step_spans_process_task_finished", "step_spans", ["process_key", "task_name", "finished_at"])
    op.create_index(op.f("ix_step_spans_version_id"), "step_spans", ["version_id"])
    op.create_table(
        "case_officers",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("first_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_officers_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_case_officers_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_case_officers")),
    )
    op.create_index(op.f("ix_case_officers_user_id"), "case_officers", ["user_id"])
    op.execute("""
        INSERT INTO case_officers (case_id, user_id, first_at)
        SELECT case_id, actor_id, min(at) FROM case_events
        WHERE kind = 'completed' AND actor_id IS NOT NULL AND case_id IS NOT NULL GROUP BY case_id, actor_id
    """)
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", engine.models.base.UTCDateTime(), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_survey_answers_case_id_cases"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
    )
    op.create_index(op.f("ix_survey_answers_case_id"), "survey_answers", ["case_id"])
    op.create_index(op.f("ix_survey_answers_answered_at"), "survey_answers", ["answered_at"])
    op.create_index("ix_case_events_task_at", "case_events", ["task_name", "at"])
    op.add_column("cases", sa.Column("acknowledged_at", engine.models.base.UTCDateTime(), nullable=True))
    op.create_index("ix_cases_opened_at", "cases", ["opened_at"])
    op.create_index("ix_cases_closed_at", "cases", ["closed_at"])
    op.create_index("ix_case_events_kind_at", "case_events", ["kind", "at"])
    # Cases that existed before this column: the first claim or completion by a person.
    op.execute("""
        UPDATE cases SET acknowledged_at = (
            SELECT min(e.at) FROM case_events e
            WHERE e.case_id = cases.id AND e.kind IN ('claimed', 'completed') AND e.actor_id IS NOT NULL)
    """)
    events = sa.table("case_events", sa.column("case_id"), sa.column("at"), sa.column("kind"),
                      sa.column("data", sa.JSON()))
    answer = events.c.data["satisfaction"].as_string()
    op.execute(sa.insert(sa.table("survey_answers", sa.column("case_id"), sa.column("answered_at"),
                                  sa.column("answer")))
               .from_select(["case_id", "answered_at", "answer"],
                            sa.select(events.c.case_id, events.c.at, answer)
                            .where(events.c.kind == "completed", events.c.case_id.is_not(None),
                                   answer.in_(["satisfied", "dissatisfied", "no_response"]))))


def downgrade() -> None:
    op.drop_index("ix_case_events_task_at", table_name="case_events")
    op.drop_index(op.f("ix_survey_answers_answered_at"), table_name="survey_answers")
    op.drop_index(op.f("ix_survey_answers_case_id"), table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_index("ix_case_events_kind_at", table_name="case_events")
    op.drop_index("ix_cases_closed_at", table_name="cases")
    op.drop_index("ix_cases_opened_at", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("acknowledged_at")
    op.drop_index(op.f("ix_case_officers_user_id"), table_name="case_officers")
    op.drop_table("case_officers")
    op.drop_index(op.f("ix_step_spans_version_id"), table_name="step_spans")
    op.drop_index("ix_step_spans_process_task_finished", table_name="step_spans")
    op.drop_table("step_spans")
    op.drop_table("work_days")
