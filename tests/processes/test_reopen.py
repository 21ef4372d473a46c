"""'Still not fixed': within 30 days of closure the complaint reopens through its diagram and goes back to the
department; after 30 days the process ends and reopening is refused."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from engine.errors import Forbidden, ValidationFailed
from engine.metrics import service
from engine.models.enums import EventKind
from engine.services import followup, timers
from tests.support.drive import access_code, case, do, events, instance, open_tasks, public_messages, to_response

WORDS = "The pipe is leaking again at the same place."


def _closed(batho, people) -> str:
    reference = to_response(batho, people)
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    return reference


def test_a_closed_complaint_waits_30_days_for_the_citizen_before_its_process_ends(batho, people):
    reference = _closed(batho, people)
    closed = case(batho, reference)
    assert closed.status == "closed" and closed.closed_at is not None
    assert [e.message for e in events(batho, reference, EventKind.CLOSED)] == ["closed"]
    waiting = instance(batho, reference)
    assert waiting.status == "running" and open_tasks(batho, reference) == []
    assert waiting.next_timer_at is not None
    assert timedelta(days=29) < waiting.next_timer_at - closed.closed_at <= timedelta(days=30, minutes=1)
    assert followup.follow_up(batho, reference).reopen is True


def test_still_not_fixed_within_30_days_reopens_it_to_the_same_officer(batho, people):
    reference = _closed(batho, people)
    followup.reopen(batho, reference, access_code(batho, reference), WORDS)
    reopened = case(batho, reference)
    assert reopened.status == "investigating" and reopened.closed_at is None  # open, at the department again
    assert [e.message for e in events(batho, reference, EventKind.STATUS)][-2:] == ["reopened", "investigating"]
    assert open_tasks(batho, reference) == ["Task_investigate"]
    assert len(events(batho, reference, EventKind.REOPENED)) == 1
    assert [e.message for e in events(batho, reference, EventKind.CITIZEN_NOTE)] == [WORDS]
    assert any("we reopened complaint" in m for m in public_messages(batho, reference))
    assert instance(batho, reference).next_timer_at is not None  # the new resolution target's escalation timers
    board = service.dashboard(batho, people["manager"], batho.now().strftime("%Y-%m"))
    assert board.total.reopened == 1
    assert board.total.closed == 0  # open again: not counted resolved until it closes again


def test_a_reopened_complaint_closes_again_and_counts_once(batho, people):
    reference = _closed(batho, people)
    followup.reopen(batho, reference, access_code(batho, reference), WORDS)
    do(batho, people["officer"], reference, "Task_investigate", findings="A second leak", corrective_action="Weld")
    do(batho, people["supervisor"], reference, "Task_approve", decision="approve")
    do(batho, people["officer"], reference, "Task_implement", implementation_outcome="Welded",
       completed_on="2026-11-30")
    do(batho, people["agent"], reference, "Task_respond", explanation="A second leak.", remedy="We welded it.")
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    assert case(batho, reference).status == "closed" and case(batho, reference).closed_at is not None
    board = service.dashboard(batho, people["manager"], batho.now().strftime("%Y-%m"))
    assert (board.total.closed, board.total.reopened, board.total.within_standard) == (1, 1, 1)
    assert followup.follow_up(batho, reference).reopen is True  # and may be reopened again within 30 days


def test_after_30_days_the_process_ends_and_reopening_is_refused(batho, people):
    reference = _closed(batho, people)
    code = access_code(batho, reference)
    later = datetime.now().astimezone() + timedelta(days=31)
    with time_machine.travel(later, tick=False):
        assert followup.follow_up(batho, reference).reopen_expired is True  # before the worker ran, too
        timers.fire_due_timers(batho)
        assert instance(batho, reference).status == "completed"
        with pytest.raises(ValidationFailed) as refused:
            followup.reopen(batho, reference, code, WORDS)
    assert "can no longer be reopened" in refused.value.errors["words"]
    assert case(batho, reference).status == "closed" and events(batho, reference, EventKind.REOPENED) == []
    assert len(events(batho, reference, EventKind.CLOSED)) == 1  # closed once, at closure, not again at the end


def test_reopening_needs_the_access_code_and_words(batho, people):
    reference = _closed(batho, people)
    with pytest.raises(Forbidden):
        followup.reopen(batho, reference, "WRONG", WORDS)
    with pytest.raises(ValidationFailed) as empty:
        followup.reopen(batho, reference, access_code(batho, reference), "  ")
    assert empty.value.errors == {"words": "Write what you want to tell us."}
    assert case(batho, reference).status == "closed"


def test_an_open_complaint_cannot_be_reopened(batho, people):
    reference = to_response(batho, people)
    with pytest.raises(ValidationFailed) as refused:
        followup.reopen(batho, reference, access_code(batho, reference), WORDS)
    assert "still open" in refused.value.errors["words"]


def test_the_manager_s_final_answer_also_leaves_30_days_to_reopen(batho, people):
    reference = to_response(batho, people)
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="dissatisfied",
       satisfaction_note="Still leaking")
    do(batho, people["manager"], reference, "Task_manager_review", manager_decision="close",
       manager_response="We checked twice: the leak is on your side of the meter.")
    assert case(batho, reference).closed_at is not None
    followup.reopen(batho, reference, access_code(batho, reference), WORDS)
    assert open_tasks(batho, reference) == ["Task_investigate"]
