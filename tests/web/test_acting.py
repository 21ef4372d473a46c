"""Acting appointments: during the period a deputy sees and completes the absent supervisor's approval, as them;
before and after, not; the case history says for whom."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.errors import Forbidden
from engine.services import api_tokens, tasks, worklist
from tests.support.drive import do, events, open_task, to_investigation
from tests.support.staff import PASSWORD, add, restore


@pytest.fixture(autouse=True)
def _demo_staff_put_back(batho):
    """Users, roles and departments are kept between tests: what this test added goes again."""
    yield
    restore(batho)


def _local(moment, app):
    return moment.astimezone(ZoneInfo(app.config.timezone)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def away(batho, people, browsers):
    """The absent supervisor holds the approval; an officer is appointed (on the admin page) to act for tomorrow."""
    add(batho, "naledi_away", ["supervisor"], ["technical"], "Naledi Away")
    add(batho, "deputy_officer", ["department_officer"], ["technical"], "Dumisani Deputy")
    reference = to_investigation(batho, people)
    do(batho, people["officer"], reference, "Task_investigate", findings="Burst pipe", corrective_action="Replace")
    approval = open_task(batho, reference, "Task_approve")
    absent_token = api_tokens.issue_token(batho, "naledi_away", PASSWORD).token
    tasks.claim(batho, api_tokens.identify(batho, absent_token), approval.id)
    now = batho.now()
    start, end = now + timedelta(days=1), now + timedelta(days=2)
    made = browsers("admin").post("/admin/acting", {"absent": "naledi_away", "deputy": "deputy_officer",
                                                    "starts_at": _local(start, batho),
                                                    "ends_at": _local(end, batho)}, page="/admin/acting")
    assert made.status_code == 302
    token = api_tokens.issue_token(batho, "deputy_officer", PASSWORD, lifetime=timedelta(days=30)).token
    return reference, approval.id, token, now


def _deputy_at(app, token, moment):
    app.clock = lambda: moment
    return api_tokens.identify(app, token)


def test_before_the_period_the_deputy_neither_sees_nor_completes_the_approval(batho, away):
    reference, task_id, token, now = away
    deputy = _deputy_at(batho, token, now + timedelta(hours=12))
    assert deputy.acting == ()
    assert task_id not in [t.id for t in tasks.my_tasks(batho, deputy)]
    with pytest.raises(Forbidden):
        tasks.complete(batho, deputy, task_id, {"decision": "approve"})


def test_after_the_period_the_deputy_neither_sees_nor_completes_the_approval(batho, away):
    reference, task_id, token, now = away
    deputy = _deputy_at(batho, token, now + timedelta(days=2, minutes=5))
    assert task_id not in [t.id for t in worklist.task_page(batho, deputy, worklist.TaskQuery(view="mine")).rows]
    with pytest.raises(Forbidden):
        tasks.complete(batho, deputy, task_id, {"decision": "approve"})


def test_during_the_period_the_deputy_completes_it_acting_for_the_absent_supervisor(batho, away):
    reference, task_id, token, now = away
    deputy = _deputy_at(batho, token, now + timedelta(days=1, hours=6))
    assert [a.for_name for a in deputy.acting] == ["Naledi Away"]
    page = worklist.task_page(batho, deputy, worklist.TaskQuery(view="mine"))
    assert task_id in [t.id for t in page.rows]
    tasks.complete(batho, deputy, task_id, {"decision": "approve"})
    approved = [e for e in events(batho, reference, "completed") if e.task_name == "Task_approve"]
    assert approved[-1].actor_id == deputy.id
    assert approved[-1].title.endswith("(acting for Naledi Away)")
    assert open_task(batho, reference, "Task_implement")


def test_a_deputy_also_sees_the_absent_persons_unclaimed_group_tasks(batho, away, people):
    reference, task_id, token, now = away
    tasks.unclaim(batho, api_tokens.identify(batho, api_tokens.issue_token(
        batho, "naledi_away", PASSWORD).token), task_id)
    deputy = _deputy_at(batho, token, now + timedelta(days=1, hours=1))
    page = worklist.task_page(batho, deputy, worklist.TaskQuery(view="unassigned"))
    assert task_id in [t.id for t in page.rows]


def test_the_admin_page_lists_the_appointment_and_refuses_a_period_that_ends_before_it_starts(batho, away,
                                                                                           browsers):
    admin = browsers("admin")
    assert "Dumisani Deputy" in admin.get("/admin/acting").get_data(as_text=True)
    refused = admin.post("/admin/acting", {"absent": "naledi_away", "deputy": "deputy_officer",
                                           "starts_at": "2026-12-10T08:00", "ends_at": "2026-12-09T08:00"},
                         page="/admin/acting")
    assert refused.status_code == 400
    assert "The end of the period must come after its start." in refused.get_data(as_text=True)
    assert "acts for Naledi Away" in admin.get("/admin/staff").get_data(as_text=True)
