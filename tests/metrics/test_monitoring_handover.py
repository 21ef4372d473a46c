"""The monitoring facts a completion keeps (step spans, case officers, roll-ups) come from what it already loaded."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, event, select

from engine.models import Case, CaseEvent, StepSpan
from engine.models.metrics import CaseOfficer
from engine.models.rollups import FIGURES, MONTHS, offset_of, rebuild
from engine.services import tasks
from tests.metrics.rollup_rows import summed
from tests.support import drive


def _statements(app: Any, run: Any) -> list[str]:
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(app.db.write_engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(app.db.write_engine, "before_cursor_execute", note)
    return seen


def test_a_completion_s_step_span_and_officer_come_from_its_own_rows_without_reading_them_again(batho, people):
    reference = drive.lodge(batho, name="Jane Citizen", email="jane@example.org")
    triage = drive.open_task(batho, reference, "Task_triage")
    version_id = drive.instance(batho, reference).version_id
    sent = _statements(batho, lambda: tasks.complete(batho, people["agent"], triage.id, {"triage_outcome": "accept"}))

    with batho.db.reading() as session:
        span = session.scalars(select(StepSpan)).one()
        officer = session.scalars(select(CaseOfficer)).one()
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
    assert (span.process_key, span.task_name, span.version_id) == ("complaint", "Task_triage", version_id)
    assert span.started_at == triage.created_at and span.finished_at >= span.started_at
    assert (officer.case_id, officer.user_id) == (case.id, people["agent"].id)
    assert officer.first_at == span.finished_at
    # No statement reads the task row again for the span, or the officers before adding one; the calendar comes
    # from this process's copy after the first completion; and the roll-ups are added to, never locked.
    assert not [s for s in sent if s.startswith("SELECT human_tasks.created_at")]
    assert not [s for s in sent if s.startswith("SELECT case_officers")]
    assert not [s for s in sent if "FOR UPDATE" in s and "figures" in s]
    assert not [s for s in sent if s.startswith("UPDATE daily_figures") or s.startswith("UPDATE monthly_figures")]


def test_an_officer_s_second_completion_on_a_case_keeps_the_first_time_and_one_row(batho, people):
    reference = drive.to_investigation(batho, people)
    with batho.db.reading() as session:
        first = session.scalars(select(CaseOfficer).where(CaseOfficer.user_id == people["agent"].id)).one().first_at
    drive.respond(batho, people, reference)  # the agent completes Task_respond on the same case
    with batho.db.reading() as session:
        rows = list(session.scalars(select(CaseOfficer).where(CaseOfficer.user_id == people["agent"].id)))
        spans = {s.task_name for s in session.scalars(select(StepSpan))}
    assert [r.first_at for r in rows] == [first]
    assert {"Task_triage", "Task_investigate", "Task_approve", "Task_implement", "Task_respond"} <= spans


def test_a_calendar_read_once_serves_the_next_completions(batho, people):
    drive.to_investigation(batho, people)  # the first completion reads the calendar
    reference = drive.lodge(batho)
    triage = drive.open_task(batho, reference, "Task_triage")
    sent = _statements(batho, lambda: tasks.complete(batho, people["agent"], triage.id, {"triage_outcome": "accept"}))
    assert not [s for s in sent if "FROM work_days" in s]
    assert [s for s in sent if s.startswith("INSERT INTO daily_figures")]  # the acknowledgement moved the figures


def test_a_completion_reads_its_case_for_the_figures_once_at_the_commit(batho, people):
    reference = drive.lodge(batho)
    triage = drive.open_task(batho, reference, "Task_triage")
    sent = _statements(batho, lambda: tasks.complete(batho, people["agent"], triage.id, {"triage_outcome": "accept"}))
    # The case as it was comes from the row the completion loaded; as it is, from one read just before the commit.
    assert len([s for s in sent if s.startswith("SELECT cases.id, cases.case_type")]) == 1


def test_a_case_noted_from_its_loaded_row_then_deleted_takes_its_survey_answer_out_of_the_figures(month):
    app, refs = month
    with app.db.transaction() as session:
        case = session.scalars(select(Case).where(Case.reference == refs["H"])).one()  # answered "no response"
        session.add(CaseEvent(case_id=case.id, kind="note", message="Looked at"))
        session.flush()  # noted as loaded, its answers not read yet
        session.execute(delete(CaseEvent).where(CaseEvent.case_id == case.id))
        session.execute(delete(CaseOfficer).where(CaseOfficer.case_id == case.id))
        session.delete(case)
    with app.db.write_engine.connect() as conn:
        kept = [summed(conn, t, drop_empty=True) for t in (FIGURES, MONTHS)]
        assert not any(row.get("survey_no_response") for row in kept[0].values())
        rebuild(conn, offset_of(app.config.timezone))
        assert kept == [summed(conn, t, drop_empty=True) for t in (FIGURES, MONTHS)]
        conn.rollback()


def test_an_answer_given_as_a_case_closes_counts_once(month, people):
    app, _ = month
    reference = drive.to_response(app, people)
    drive.do(app, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    with app.db.write_engine.connect() as conn:
        kept = [summed(conn, t, drop_empty=True) for t in (FIGURES, MONTHS)]
        rebuild(conn, offset_of(app.config.timezone))
        assert kept == [summed(conn, t, drop_empty=True) for t in (FIGURES, MONTHS)]
        conn.rollback()
    assert sum(row.get("survey_satisfied", 0) for row in kept[0].values()) == 2  # B's in September, and this one
