"""Service standards in working days, the escalation ladder on a moved clock, deviations, the policy review."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from engine.effects import local_date
from engine.metrics.report import council_report
from engine.models import Case, Deviation
from engine.services import schedule, timers
from tests.processes.helpers import SAST, at, hold, lodge_query
from tests.support.drive import case, do, events, open_tasks


def _end_of(*day: int) -> datetime:
    return datetime(*day, 23, 59, 59, tzinfo=SAST)


@pytest.mark.parametrize("lodged, category, ack, due", [
    # Friday before Youth Day (Tuesday 16 June): the weekend and the holiday are skipped.
    ((2026, 6, 12, 15, 0), "payment_not_reflected", (2026, 6, 15), (2026, 6, 22)),
    # Heritage Day, Thursday 24 September.
    ((2026, 9, 23, 10, 0), "tariff", (2026, 9, 28), (2026, 10, 8)),
    # Day of Reconciliation, Wednesday 16 December.
    ((2026, 12, 15, 10, 0), "payment_not_reflected", (2026, 12, 17), (2026, 12, 23)),
    # Human Rights Day, Tuesday 21 March 2028.
    ((2028, 3, 20, 10, 0), "payment_not_reflected", (2028, 3, 22), (2028, 3, 28)),
])
def test_due_times_skip_weekends_and_public_holidays(batho, lodged, category, ack, due):
    with at(*lodged):
        reference = lodge_query(batho, category=category)
    opened = case(batho, reference)
    assert opened.ack_due_at == _end_of(*ack)
    assert opened.due_at == _end_of(*due)


def test_an_overdue_query_climbs_the_ladder_and_the_manager_records_a_deviation(batho, people):
    with at(2026, 6, 15, 9, 0):  # Monday; Tuesday 16 June is Youth Day
        reference = lodge_query(batho, category="payment_not_reflected")
        assert case(batho, reference).due_at == _end_of(2026, 6, 23)
        assert case(batho, reference).escalation_level is None  # with the officer (billing clerk)
        assert timers.fire_due_timers(batho) == 0
    with at(2026, 6, 23, 23, 0):
        assert timers.fire_due_timers(batho) == 0
    with at(2026, 6, 24, 8, 0):
        assert timers.fire_due_timers(batho) == 1
        assert case(batho, reference).escalation_level == "supervisor"
        assert sorted(open_tasks(batho, reference)) == ["Task_deviation", "Task_verify"]
    with at(2026, 7, 1, 8, 0):
        assert timers.fire_due_timers(batho) == 1
    assert [e.data["level"] for e in events(batho, reference, "escalation")] == ["supervisor", "manager"]
    assert case(batho, reference).escalation_level == "manager"
    with at(2026, 7, 1, 9, 0):
        do(batho, people["manager"], reference, "Task_deviation",
           deviation_reason="Two billing clerks were on leave at the same time.",
           remedial_action="Leave roster so that one clerk is always on duty; overtime to clear the backlog.")
    report = council_report(batho, people["manager"], "2026")
    [line] = report.deviations
    assert line.reference == reference and line.case_type == "account_query"
    assert line.reason.startswith("Two billing clerks")
    assert local_date(line.due_at, batho.config.timezone) == "Tuesday 23 June 2026"
    assert report.deviations_without_reason == 0 and report.total.opened == 1
    assert recorded_by(batho, reference) == people["manager"].id
    assert hold(batho, reference).ended_at is None, "the amount stays in dispute until the decision"
    assert open_tasks(batho, reference) == ["Task_verify"], "escalation must not take the work away"


def test_a_deviation_waits_in_the_report_until_the_manager_gives_reasons(batho, people):
    with at(2026, 6, 15, 9, 0):
        reference = lodge_query(batho, category="payment_not_reflected")
    with at(2026, 6, 24, 8, 0):
        timers.fire_due_timers(batho)
    report = council_report(batho, people["manager"], "2026")
    assert report.deviations_without_reason == 1 and report.deviations[0].reference == reference


def test_the_yearly_policy_review_reminds_the_owner_and_links_the_report(batho, people):
    with at(2027, 2, 26, 10, 0):
        assert schedule.start_policy_review(batho) is None
    with at(2027, 3, 1, 8, 0):
        reference = schedule.start_policy_review(batho)
        assert reference is not None
        assert schedule.start_policy_review(batho) is None
    assert open_tasks(batho, reference) == ["Task_review"]
    from engine.services import tasks
    from tests.support.drive import open_task

    view = tasks.task_view(batho, people["owner"], open_task(batho, reference, "Task_review").id)
    assert view.values["report_link"] == "/reports/council?period=2026"
    do(batho, people["owner"], reference, "Task_review", review_findings="Standards met in 91% of cases.",
       changes="minor", proposed_changes="Publish account-query standards at pay points.")
    do(batho, people["owner"], reference, "Task_table", council_meeting_date="2027-03-25", council_item="7.3")
    assert case(batho, reference).status == "closed"


def test_a_complaint_that_misses_its_standard_becomes_a_deviation_the_manager_explains(batho, people):
    from engine.errors import Forbidden, ValidationFailed
    from engine.services import deviations
    from tests.support.drive import to_investigation

    with at(2026, 3, 16, 9, 0):
        reference = to_investigation(batho, people)
    with at(2026, 3, 24, 8, 0):
        assert timers.fire_due_timers(batho) == 1
    with pytest.raises(Forbidden):
        deviations.awaiting_reasons(batho, people["supervisor"])
    [waiting] = deviations.awaiting_reasons(batho, people["manager"])
    assert waiting.reference == reference and waiting.case_type == "complaint"
    with pytest.raises(ValidationFailed) as blank:
        deviations.record_reason(batho, people["manager"], waiting.id, "  ", "Hire a plumber.")
    assert blank.value.errors == {"reason": "Reason is required."}
    assert len(deviations.awaiting_reasons(batho, people["manager"])) == 1
    deviations.record_reason(batho, people["manager"], waiting.id, "No plumber on standby over the weekend.",
                             "A weekend standby roster for plumbers.")
    assert deviations.awaiting_reasons(batho, people["manager"]) == []
    [line] = council_report(batho, people["manager"], "2026").deviations
    assert line.remedial_action == "A weekend standby roster for plumbers."
    assert [e.message for e in events(batho, reference, "deviation")][-1].startswith("Deviation recorded.")


def recorded_by(batho, reference: str) -> int | None:
    """Who recorded the reason of the case's deviation."""
    with batho.db.reading() as session:
        return session.scalar(select(Deviation.recorded_by_id).join(Case, Case.id == Deviation.case_id)
                              .where(Case.reference == reference))
