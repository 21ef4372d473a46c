"""The complaint process through every path, driven through the service layer on the real database."""

from __future__ import annotations

import pytest

from engine.errors import Forbidden, ValidationFailed
from engine.services import cases
from tests.support.drive import (
    access_code,
    case,
    do,
    events,
    instance,
    lodge,
    open_tasks,
    public_messages,
    to_investigation,
    to_response,
)


def test_lodging_registers_acknowledges_and_routes_by_category(batho, people):
    reference = lodge(batho, name="Jane Citizen", email="jane@example.org")
    assert reference.startswith("MAF-") and reference.endswith("000001")
    lodged = case(batho, reference)
    assert (lodged.department_code, lodged.priority, lodged.status) == ("technical", "high", "registered")
    assert lodged.due_at is not None and lodged.ack_due_at is not None and lodged.ack_due_at <= lodged.due_at
    assert open_tasks(batho, reference) == ["Task_triage"]
    assert "We aim to resolve it by" in public_messages(batho, reference)[0]


def test_references_count_up_within_the_year(batho):
    first, second = lodge(batho), lodge(batho)
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


def test_approved_corrective_action_is_implemented_answered_and_closed(batho, people):
    reference = to_response(batho, people)
    assert case(batho, reference).status == "responded"
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    closed = case(batho, reference)
    assert closed.status == "closed" and closed.closed_at is not None
    # closed, and its process waits 30 days for a "still not fixed" (tests/processes/test_reopen.py)
    assert instance(batho, reference).status == "running"
    assert open_tasks(batho, reference) == []
    messages = public_messages(batho, reference)
    assert any("We apologise" in m and "We replaced it." in m for m in messages)


def test_rejected_action_returns_to_the_officer_with_the_comment(batho, people):
    reference = to_investigation(batho, people)
    do(batho, people["officer"], reference, "Task_investigate", findings="Leak", corrective_action="Wait")
    do(batho, people["supervisor"], reference, "Task_approve", decision="reject",
       supervisor_comment="Waiting is not an action: fix the leak.")
    assert open_tasks(batho, reference) == ["Task_investigate"]
    completed = [e for e in events(batho, reference, "completed") if e.task_name == "Task_approve"]
    assert completed[0].data["supervisor_comment"] == "Waiting is not an action: fix the leak."
    do(batho, people["officer"], reference, "Task_investigate", findings="Leak", corrective_action="Fix the leak")
    do(batho, people["supervisor"], reference, "Task_approve", decision="approve")
    assert open_tasks(batho, reference) == ["Task_implement"]


def test_rejecting_without_a_comment_is_refused_and_nothing_moves(batho, people):
    reference = to_investigation(batho, people)
    do(batho, people["officer"], reference, "Task_investigate", findings="Leak", corrective_action="Wait")
    with pytest.raises(ValidationFailed) as failure:
        do(batho, people["supervisor"], reference, "Task_approve", decision="reject")
    assert "supervisor_comment" in failure.value.errors
    assert open_tasks(batho, reference) == ["Task_approve"]


def test_referral_ends_the_case_with_the_reason_sent_to_the_citizen(batho, people):
    reference = lodge(batho)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="refer",
       triage_reason="Eskom supplies electricity in this area.")
    referred = case(batho, reference)
    assert referred.status == "referred" and referred.closed_at is not None
    assert "Eskom supplies electricity in this area." in public_messages(batho, reference)[-1]


def test_duplicate_names_the_original_case(batho, people):
    original = lodge(batho)
    reference = lodge(batho)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="duplicate", duplicate_of=original,
       triage_reason="Reported already.")
    assert case(batho, reference).status == "duplicate"
    assert original in public_messages(batho, reference)[-1]


def test_duplicate_without_the_original_reference_is_refused(batho, people):
    reference = lodge(batho)
    with pytest.raises(ValidationFailed) as failure:
        do(batho, people["agent"], reference, "Task_triage", triage_outcome="duplicate", triage_reason="Seen it")
    assert set(failure.value.errors) == {"duplicate_of"}


def test_dissatisfied_citizen_escalates_to_the_manager_who_can_reopen(batho, people):
    reference = to_response(batho, people)
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="dissatisfied",
       satisfaction_note="Water is back but brown.")
    assert case(batho, reference).escalation_level == "manager"
    assert [e.data["level"] for e in events(batho, reference, "escalation")] == ["manager"]
    do(batho, people["manager"], reference, "Task_manager_review", manager_decision="reopen",
       manager_response="We will flush the pipes.")
    assert case(batho, reference).status == "investigating"
    assert open_tasks(batho, reference) == ["Task_investigate"]
    assert any("reopened" in m for m in public_messages(batho, reference))


def test_manager_can_close_a_dissatisfied_complaint_with_a_final_answer(batho, people):
    reference = to_response(batho, people)
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="dissatisfied", satisfaction_note="No")
    do(batho, people["manager"], reference, "Task_manager_review", manager_decision="close",
       manager_response="The supply is within the national standard.")
    assert case(batho, reference).status == "closed"
    assert public_messages(batho, reference)[-1] == "The supply is within the national standard."


def test_poor_service_goes_to_the_customer_care_manager(batho, people):
    reference = lodge(batho, {"category": "poor_service", "description": "Rude at the pay point"})
    assert case(batho, reference).department_code == "customer_care"
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    assert open_tasks(batho, reference) == ["Task_investigate_service"]
    do(batho, people["manager"], reference, "Task_investigate_service", findings="Confirmed",
       corrective_action="Retraining and an apology")
    assert open_tasks(batho, reference) == ["Task_respond"]


def test_anonymous_complaints_are_accepted(batho):
    reference = lodge(batho)
    assert case(batho, reference).is_anonymous


@pytest.mark.parametrize("values, field", [
    ({"category": "weather", "description": "Too hot"}, "category"),
    ({"category": "water", "description": ""}, "description"),
    ({"category": "water", "description": "x" * 4001}, "description"),
])
def test_bad_lodging_input_is_refused_and_nothing_is_saved(batho, values, field):
    with pytest.raises(ValidationFailed) as failure:
        lodge(batho, values)
    assert field in failure.value.errors
    with pytest.raises(Exception, match="could not find"):
        cases.public_status(batho, "MAF-2026-000001")


def test_wrong_contact_details_are_named(batho):
    with pytest.raises(ValidationFailed) as failure:
        cases.lodge(batho, "complaint", {"category": "water", "description": "x"},
                    cases.Contact(email="not-an-email", phone="abc"), "web")
    assert set(failure.value.errors) == {"email", "phone"}


def test_the_audit_trail_records_who_did_what(batho, people):
    reference = to_response(batho, people)
    completed = [(e.task_name, e.actor_id) for e in events(batho, reference, "completed")]
    assert completed == [("Task_triage", people["agent"].id), ("Task_investigate", people["officer"].id),
                         ("Task_approve", people["supervisor"].id), ("Task_implement", people["officer"].id),
                         ("Task_respond", people["agent"].id)]
    assert events(batho, reference, "started")


def test_citizen_rating_is_kept_once(batho, people):
    reference = to_response(batho, people)
    cases.rate(batho, reference, 2, "Slow", access_code(batho, reference))
    assert case(batho, reference).satisfaction_rating == 2
    with pytest.raises(ValidationFailed):
        cases.rate(batho, reference, 5, "Changed my mind", access_code(batho, reference))


def test_rating_needs_the_access_code_given_with_the_reference(batho, people):
    reference = to_response(batho, people)
    with pytest.raises(Forbidden):
        cases.rate(batho, reference, 1, "Guessed the reference", None)
    with pytest.raises(Forbidden):
        cases.rate(batho, reference, 1, "Guessed the reference", "wrong-code")
    assert case(batho, reference).satisfaction_rating is None
