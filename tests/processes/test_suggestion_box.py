"""The weekly suggestion-box run: started by the scheduler, every slip kind handled, cases spawned and linked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from engine.errors import Forbidden, ValidationFailed
from engine.models import Case, ScheduledRun, SuggestionSlip
from engine.services import cases, schedule, suggestions
from tests.processes.helpers import at
from tests.support.drive import case, do, open_tasks

SLIPS = [
    ({"kind_hint": "complaint", "text": "Sewage running down Church Street for a week."},
     cases.Contact(name="Anna Resident", phone="058 813 1234")),
    ({"kind_hint": "query", "text": "My account 5520011 charges me for two bins; I have one. R460."},
     cases.Contact(name="Piet Ratepayer", email="piet@example.org")),
    ({"kind_hint": "suggestion", "text": "Open the pay point on Saturday mornings.", "service_area": "finance"},
     cases.Contact()),
    ({"kind_hint": "compliment", "text": "Mrs Dube at the Frankfort office was very helpful.",
      "staff_or_unit": "Mrs Dube, Frankfort office"}, cases.Contact()),
]


def _slip_rows(app):
    with app.db.reading() as session:
        rows = list(session.scalars(select(SuggestionSlip).order_by(SuggestionSlip.id)))
        for row in rows:
            session.expunge(row)
        return rows


def _tasks_by_name(app, reference, name):
    from engine.models import HumanTask

    with app.db.reading() as session:
        rows = list(session.scalars(select(HumanTask).join(Case, Case.id == HumanTask.case_id)
                                    .where(Case.reference == reference, HumanTask.task_name == name)
                                    .order_by(HumanTask.created_at, HumanTask.id)))
        for row in rows:
            session.expunge(row)
        return rows


def _complete(app, who, task, **values):
    from engine.services import tasks

    tasks.complete(app, who, task.id, values)


def _slip_of(app, who, task):
    from engine.services import tasks

    return tasks.task_view(app, who, task.id).values["slip"]


def test_a_run_classifies_all_four_kinds_and_spawns_linked_cases(batho, people):
    with at(2026, 6, 10, 11, 0):  # Wednesday
        online = suggestions.drop_slip(batho, *SLIPS[0], channel="web")
        suggestions.drop_slip(batho, *SLIPS[1], channel="web")
        suggestions.drop_slip(batho, *SLIPS[2], channel="paper", who=people["agent"])
    with at(2026, 6, 12, 9, 30):  # Friday
        run = schedule.start_suggestion_box_run(batho)
        assert run is not None
        assert case(batho, run).channel == "suggestion_box"
        # A paper slip found in the box when it is opened is captured there, before the slips are classified.
        do(batho, people["agent"], run, "Task_open", box_checked="capture")
        with pytest.raises(ValidationFailed) as unknown_area:
            do(batho, people["agent"], run, "Task_capture", paper_kind="compliment", paper_text="x", paper_area="moon")
        assert "Choose one of" in unknown_area.value.errors["paper_area"]
        do(batho, people["agent"], run, "Task_capture", paper_kind="compliment", paper_text=SLIPS[3][0]["text"],
           paper_staff="Mrs Dube, Frankfort office")
        assert open_tasks(batho, run) == ["Task_open"]
        do(batho, people["agent"], run, "Task_open", box_checked="all_captured")
    assert all(slip.run_case_id == case(batho, run).id for slip in _slip_rows(batho))
    with at(2026, 6, 15, 10, 0):  # the next Monday, well within the standard
        classify = _tasks_by_name(batho, run, "Task_classify")
        assert len(classify) == 4
        by_text = {_slip_of(batho, people["agent"], t)["text"]: t for t in classify}
        texts = [s[0]["text"] for s in SLIPS]

        with pytest.raises(ValidationFailed) as no_category:
            _complete(batho, people["agent"], by_text[texts[0]], kind="complaint")
        assert "complaint_category" in no_category.value.errors
        _complete(batho, people["agent"], by_text[texts[0]], kind="complaint", complaint_category="sanitation")
        _complete(batho, people["agent"], by_text[texts[1]], kind="account_query", account_number="5520011",
                  query_type="tariff", disputed_amount="460")
        _complete(batho, people["agent"], by_text[texts[2]], kind="suggestion", service_area="finance")
        _complete(batho, people["agent"], by_text[texts[3]], kind="compliment", service_area="customer_care",
                  staff_or_unit="Mrs Dube, Frankfort office")

        slips = {s.text: s for s in _slip_rows(batho)}
        complaint = _case_by_id(batho, slips[texts[0]].spawned_case_id)
        query = _case_by_id(batho, slips[texts[1]].spawned_case_id)
        assert (complaint.case_type, complaint.category, complaint.department_code) == ("complaint", "sanitation",
                                                                                         "technical")
        assert complaint.citizen_phone == "058 813 1234" and complaint.summary == texts[0]
        assert (query.case_type, query.category, query.citizen_email) == ("account_query", "tariff", "piet@example.org")
        run_case = case(batho, run)
        assert complaint.parent_case_id == run_case.id and query.parent_case_id == run_case.id
        assert open_tasks(batho, complaint.reference) == ["Task_triage"]
        assert open_tasks(batho, query.reference) == ["Task_verify"]
        assert slips[texts[0]].id == online and slips[texts[0]].channel == "web"
        assert (slips[texts[3]].channel, slips[texts[3]].captured_by_id) == ("paper", people["agent"].id)

        # Suggestion: the finance manager plans, the finance supervisor returns it once, then approves.
        do(batho, people["manager_finance"], run, "Task_plan", action_what="Open the Frankfort pay point 08:00-12:00 on Saturdays",
           action_who="Revenue manager", action_by="2026-07-31", you_said="Open the pay point on Saturday mornings.")
        with pytest.raises(Forbidden):
            do(batho, people["supervisor"], run, "Task_approve_plan", decision="approve")  # technical, not finance
        do(batho, people["supervisor_finance"], run, "Task_approve_plan", decision="reject", plan_comment="Name the staff.")
        do(batho, people["manager_finance"], run, "Task_plan", action_what="Open the pay point 08:00-12:00 on Saturdays",
           action_who="Two cashiers on a roster", action_by="2026-07-31", you_said="Open the pay point on Saturday mornings.")
        do(batho, people["supervisor_finance"], run, "Task_approve_plan", decision="approve")
        do(batho, people["manager_finance"], run, "Task_we_did", we_did="The pay point now opens on Saturdays 08:00-12:00.")
        # Compliment: forwarded to the manager of the unit named.
        do(batho, people["manager"], run, "Task_compliment", compliment_passed_on="yes", compliment_note="Told her.")

    assert open_tasks(batho, run) == []
    assert case(batho, run).status == "closed"
    slips = {s.text: s for s in _slip_rows(batho)}
    assert [slips[t].classified_as for t in texts] == ["complaint", "account_query", "suggestion", "compliment"]
    published = suggestions.published_outcomes(batho)
    assert [(o.you_said, o.we_did) for o in published] == [
        ("Open the pay point on Saturday mornings.", "The pay point now opens on Saturdays 08:00-12:00.")]
    assert "Anna" not in str(published) and "@" not in str(published)


def _case_by_id(app, case_id):
    with app.db.reading() as session:
        found = session.get(Case, case_id)
        session.expunge(found)
        return found


def test_an_account_query_slip_without_a_contact_cannot_become_a_case_and_nothing_is_saved(batho, people):
    suggestions.drop_slip(batho, {"kind_hint": "query", "text": "Why is my bill so high?"}, cases.Contact(), "web")
    with at(2026, 6, 12, 10, 0):
        run = schedule.start_suggestion_box_run(batho)
        do(batho, people["agent"], run, "Task_open", box_checked="all_captured")
    [task] = _tasks_by_name(batho, run, "Task_classify")
    with pytest.raises(ValidationFailed) as refused:
        _complete(batho, people["agent"], task, kind="account_query", account_number="123456", query_type="other",
                  disputed_amount="100")
    assert "email address or a phone number" in str(refused.value)
    with batho.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
    assert open_tasks(batho, run) == ["Task_classify"]


@pytest.mark.parametrize("field, value, message", [
    ("service_area", "moon", "Choose one of"), ("kind_hint", "", "is required"), ("text", "", "is required")])
def test_a_bad_slip_is_refused_and_nothing_is_saved(batho, field, value, message):
    slip = {"kind_hint": "suggestion", "text": "More benches in the park", "service_area": "community", field: value}
    with pytest.raises(ValidationFailed) as bad:
        suggestions.drop_slip(batho, slip, cases.Contact(), "web")
    assert message in bad.value.errors[field]
    assert _slip_rows(batho) == []


def test_an_unknown_service_area_at_classification_is_refused(batho, people):
    suggestions.drop_slip(batho, {"kind_hint": "comment", "text": "The library is lovely."}, cases.Contact(), "web")
    with at(2026, 6, 12, 10, 0):
        run = schedule.start_suggestion_box_run(batho)
        do(batho, people["agent"], run, "Task_open", box_checked="all_captured")
    [task] = _tasks_by_name(batho, run, "Task_classify")
    with pytest.raises(ValidationFailed) as bad:
        _complete(batho, people["agent"], task, kind="comment", service_area="library")
    assert "Choose one of" in bad.value.errors["service_area"]
    assert open_tasks(batho, run) == ["Task_classify"]


def test_an_empty_box_closes_the_run(batho, people):
    with at(2026, 6, 12, 10, 0):
        run = schedule.start_suggestion_box_run(batho)
        do(batho, people["agent"], run, "Task_open", box_checked="all_captured")
    assert case(batho, run).status == "closed"


def test_the_scheduler_starts_one_run_per_week_on_friday_only(batho):
    with at(2026, 6, 11, 16, 0):  # Thursday
        assert schedule.start_suggestion_box_run(batho) is None
    with at(2026, 6, 12, 8, 59):  # Friday, before 09:00 SAST
        assert schedule.start_suggestion_box_run(batho) is None
    with at(2026, 6, 12, 9, 0):
        first = schedule.start_suggestion_box_run(batho)
        assert first is not None
        assert schedule.start_suggestion_box_run(batho) is None, "a second worker starts nothing"
    with at(2026, 6, 13, 12, 0):  # Saturday, same ISO week
        assert schedule.start_suggestion_box_run(batho) is None
    with at(2026, 6, 19, 9, 5):  # next Friday
        second = schedule.start_suggestion_box_run(batho)
    assert second not in (None, first)
    with batho.db.reading() as session:
        weeks = sorted(session.scalars(select(ScheduledRun.period).where(ScheduledRun.schedule == "suggestion_box")))
    assert weeks == ["2026-W24", "2026-W25"]


def test_the_day_and_time_of_the_run_are_configurable(batho):
    from dataclasses import replace

    batho.config = replace(batho.config, suggestion_box_day="monday", suggestion_box_time="07:30")
    with at(2026, 6, 12, 9, 0):  # Friday: this week's Monday 07:30 has passed
        assert schedule.start_suggestion_box_run(batho) is not None
    with at(2026, 6, 15, 7, 0):  # Monday before 07:30
        assert schedule.start_suggestion_box_run(batho) is None
    with at(2026, 6, 15, 7, 31):
        assert schedule.start_suggestion_box_run(batho) is not None


def test_two_workers_at_the_same_moment_start_one_run(batho):
    from concurrent.futures import ThreadPoolExecutor

    from tests.support.database import make_batho

    workers = [make_batho(batho.config.database_url, batho.config.instance_path) for _ in range(4)]
    for worker in workers:
        worker.clock = lambda: datetime(2026, 6, 12, 7, 0, tzinfo=UTC)  # Friday 09:00 SAST
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            started = list(pool.map(schedule.start_suggestion_box_run, workers))
    finally:
        for worker in workers:
            worker.db.dispose()
    assert len([s for s in started if s]) == 1
    with batho.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ScheduledRun)) == 1
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_an_unhandled_box_climbs_the_ladder_and_leaves_a_deviation(batho, people):
    from engine.metrics.report import council_report
    from engine.services import timers
    from tests.processes.helpers import SAST
    from tests.support.drive import events

    suggestions.drop_slip(batho, {"kind_hint": "suggestion", "text": "More bins at the taxi rank."},
                          cases.Contact(), "web")
    with at(2026, 6, 12, 9, 0):
        run = schedule.start_suggestion_box_run(batho)
        do(batho, people["agent"], run, "Task_open", box_checked="all_captured")
    assert case(batho, run).due_at.astimezone(SAST).date().isoformat() == "2026-06-29"  # 16 June skipped
    with at(2026, 6, 30, 8, 0):
        assert timers.fire_due_timers(batho) == 1
    assert case(batho, run).escalation_level == "supervisor"
    assert sorted(open_tasks(batho, run)) == ["Task_classify", "Task_deviation"]
    with at(2026, 7, 7, 8, 0):
        assert timers.fire_due_timers(batho) == 1
    assert [e.data["level"] for e in events(batho, run, "escalation")] == ["supervisor", "manager"]
    with at(2026, 7, 7, 9, 0):
        do(batho, people["manager"], run, "Task_deviation", deviation_reason="The agent was on leave.",
           remedial_action="A second agent opens the box.")
    [line] = council_report(batho, people["manager"], "2026").deviations
    assert line.reference == run and line.remedial_action == "A second agent opens the box."
    assert open_tasks(batho, run) == ["Task_classify"]
