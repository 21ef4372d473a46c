"""The remaining complaint paths through the web: refer, duplicate, dissatisfied and escalated, the SLA timer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from engine.services import timers
from tests.support.drive import case, open_tasks, status_path
from tests.web.test_web_complaint import complete_on_web, lodge_on_web

SAST = ZoneInfo("Africa/Johannesburg")


def test_referral_through_the_web_tells_the_citizen_why(browsers, batho):
    reference = lodge_on_web(browsers("citizen"))
    complete_on_web(browsers("agent"), batho, reference, "Task_triage", triage_outcome="refer",
                    triage_reason="Eskom supplies this street directly.")
    page = browsers("citizen").get(status_path(batho, reference)).get_data(as_text=True)
    assert "Referred" in page and "Eskom supplies this street directly." in page


def test_duplicate_through_the_web_names_the_original(browsers, batho):
    original = lodge_on_web(browsers("citizen"))
    reference = lodge_on_web(browsers("citizen"))
    complete_on_web(browsers("agent"), batho, reference, "Task_triage", triage_outcome="duplicate",
                    duplicate_of=original, triage_reason="Same burst pipe.")
    page = browsers("citizen").get(status_path(batho, reference)).get_data(as_text=True)
    assert original in page and "duplicate" in page.lower()


def test_a_dissatisfied_citizen_reaches_the_manager_who_reopens_through_the_web(browsers, batho):
    reference = lodge_on_web(browsers("citizen"), email="jane@example.org")
    agent, officer, supervisor = browsers("agent"), browsers("officer"), browsers("supervisor")
    complete_on_web(agent, batho, reference, "Task_triage", triage_outcome="accept")
    complete_on_web(officer, batho, reference, "Task_investigate", findings="Valve", corrective_action="Replace")
    complete_on_web(supervisor, batho, reference, "Task_approve", decision="approve", supervisor_comment="ok")
    complete_on_web(officer, batho, reference, "Task_implement", implementation_outcome="Done",
                    completed_on="2026-11-27")
    complete_on_web(agent, batho, reference, "Task_respond", apology="Sorry.", explanation="Valve.", remedy="New.")
    complete_on_web(agent, batho, reference, "Task_satisfaction", satisfaction="dissatisfied",
                    satisfaction_note="Still brown water.")
    manager = browsers("manager")
    assert reference in manager.get("/tasks/").get_data(as_text=True)
    complete_on_web(manager, batho, reference, "Task_manager_review", manager_decision="reopen",
                    manager_response="We will flush the main.")
    assert open_tasks(batho, reference) == ["Task_investigate"]
    assert "We will flush the main." in browsers("citizen").get(status_path(batho, reference)).get_data(as_text=True)


def test_the_sla_timer_escalates_and_staff_see_the_case_overdue(browsers, batho):
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=SAST), tick=False):
        reference = lodge_on_web(browsers("citizen"))
        complete_on_web(browsers("agent"), batho, reference, "Task_triage", triage_outcome="accept")
    with time_machine.travel(datetime(2026, 3, 24, 9, 0, tzinfo=SAST), tick=False):
        assert timers.fire_due_timers(batho) == 1
        assert case(batho, reference).escalation_level == "supervisor"
        page = browsers("officer").get("/tasks/").get_data(as_text=True)
        assert reference in page and "Overdue" in page
