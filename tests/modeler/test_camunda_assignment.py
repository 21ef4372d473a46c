"""The Assignments section of Camunda Modeler decides who works a user task; the lint says when it reaches nobody."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.bpmn.lint import lint
from engine.errors import Forbidden
from engine.services import cases, deployment, tasks
from engine.services.identity import DEMO_USERS, DEPARTMENTS, ROLES
from tests.fixtures.make import process
from tests.support.drive import open_task, open_tasks

SAST = ZoneInfo("Africa/Johannesburg")
START = datetime(2026, 12, 2, 9, 0, tzinfo=SAST)


def assigned(key: str, attributes: str, name: str = "Approve", lane: str = "") -> str:
    """start -> user task with these camunda: attributes (outside any lane unless `lane` is named) -> end."""
    lanes = (f'<bpmn:laneSet id="ls"><bpmn:lane id="l1" name="{lane}"><bpmn:flowNodeRef>approve</bpmn:flowNodeRef>'
             "</bpmn:lane></bpmn:laneSet>") if lane else ""
    return process(key, f"""{lanes}
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="approve" name="{name}" {attributes} />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
""")


def messages(attributes: str, lane: str = "") -> list[str]:
    return [p.message for p in lint({"a.bpmn": assigned("a", attributes, lane=lane)}, list(ROLES.items()),
                                    users=list(DEMO_USERS), departments=list(DEPARTMENTS))]


# The lint, in the panel's words

@pytest.mark.parametrize("attributes", [
    'camunda:candidateGroups="supervisor"', 'camunda:candidateGroups="Supervisor, manager"',
    'camunda:candidateGroups="billing_clerk:finance"', 'camunda:candidateUsers="officer,billing"',
    'camunda:assignee="agent"', 'camunda:assignee="${approver}"', 'camunda:candidateGroups="${group}, manager"',
    'camunda:candidateGroups="manager" camunda:dueDate="P5D" camunda:followUpDate="${follow}" camunda:priority="70"',
    'camunda:candidateGroups="manager" camunda:dueDate="2026-12-24T09:00:00" camunda:priority="${urgency}"',
])
def test_a_user_task_that_names_a_role_or_a_person_needs_no_lane(attributes):
    assert messages(attributes) == []


def test_a_candidate_group_that_names_no_role_is_refused_in_the_panels_words():
    assert messages('camunda:candidateGroups="management"') == [
        "Candidate groups 'management' of task 'Approve' names no role. Add the role or change Candidate groups in "
        f"the Assignments section (roles: {', '.join(ROLES)}; a role in a department is written role:department)."]


@pytest.mark.parametrize(("attributes", "expected"), [
    ('camunda:candidateGroups="billing_clerk:treasury"', "Candidate groups 'billing_clerk:treasury' of task "
     "'Approve' names no department 'treasury'. Add the department or change Candidate groups in the Assignments"),
    ('camunda:candidateUsers="officer, jdoe"', "Candidate users 'jdoe' of task 'Approve' names no user. Add the user "
     "or change Candidate users in the Assignments section."),
    ('camunda:assignee="jdoe"', "Assignee 'jdoe' of task 'Approve' names no user."),
    ('camunda:assignee="${approvers.first()}"', "Assignee of task 'Approve' cannot be used: the expression "
     "${approvers.first()} cannot be translated: approvers.first(…) calls a method on a Java bean"),
    ('camunda:candidateGroups="manager" camunda:priority="high"', "Priority 'high' of task 'Approve' is not a whole "
     "number."),
    ('camunda:candidateGroups="manager" camunda:dueDate="P5X"', "Due date 'P5X' of task 'Approve' is neither an "
     "ISO 8601 date-time"),
    ('camunda:candidateGroups="manager" camunda:dueDate="tomorrow morning"', "Due date 'tomorrow morning' of task"),
    ('camunda:candidateGroups="manager" camunda:followUpDate="P5DT"', "Follow up date of task 'Approve': P5DT is "
     "not a valid ISO 8601 duration"),
])
def test_an_assignment_that_reaches_nobody_or_cannot_be_read_is_refused(attributes, expected):
    found = messages(attributes)
    assert len(found) == 1 and expected in found[0], found


def test_a_name_with_an_expression_in_it_is_left_to_run_time_whole():
    # Camunda's multi-instance tests name one user per loop: the lint must not read "kermit_" as a user.
    assert messages('camunda:assignee="kermit_${loopCounter}"') == []
    assert messages('camunda:candidateUsers="officer, jdoe_${n}"') == []


def test_a_task_with_neither_lane_nor_assignment_is_a_warning_saying_where_to_set_one():
    (message,) = messages("")
    assert "has no lane, assignee or candidate groups: it goes to Supervisor" in message
    assert "Assignments section" in message


def test_a_lane_is_still_enough_and_is_only_drawing_when_the_task_names_a_group():
    assert messages("", lane="Supervisor") == []
    assert messages('camunda:candidateGroups="manager"', lane="Bosses") == []


# Running: who sees, claims and completes; due date, follow-up and priority

def test_a_candidate_group_with_a_department_reaches_only_that_department(batho, people):
    deployment.deploy_sources(batho, {"a.bpmn": assigned("pay_a", 'camunda:candidateGroups="billing_clerk:finance"')})
    reference = cases.start_process(batho, "pay_a", {})
    task = open_task(batho, reference, "approve")
    assert (task.candidate_role, task.candidate_department) == ("billing_clerk", "finance")
    assert [t.id for t in tasks.available_tasks(batho, people["billing"])] .count(task.id) == 1
    for outsider in ("officer", "agent", "cfo"):
        assert task.id not in [t.id for t in tasks.available_tasks(batho, people[outsider])]
        with pytest.raises(Forbidden):
            tasks.claim(batho, people[outsider], task.id)
    tasks.complete(batho, people["billing"], task.id, {})


def test_several_candidate_groups_and_users_each_reach_the_task(batho, people):
    deployment.deploy_sources(batho, {"a.bpmn": assigned(
        "pay_b", 'camunda:candidateGroups="Supervisor,finance_approver" camunda:candidateUsers="meter"')})
    reference = cases.start_process(batho, "pay_b", {})
    task = open_task(batho, reference, "approve")
    assert task.candidate_groups == ",supervisor,finance_approver," and task.candidate_users == ",meter,"
    for username in ("supervisor", "cfo", "meter"):
        assert task.id in [t.id for t in tasks.available_tasks(batho, people[username])], username
    assert task.id not in [t.id for t in tasks.available_tasks(batho, people["billing"])]
    tasks.claim(batho, people["meter"], task.id)
    tasks.complete(batho, people["meter"], task.id, {})


def test_an_assignee_expression_gives_the_task_to_that_person(batho, people):
    deployment.deploy_sources(batho, {"a.bpmn": assigned(
        "pay_c", 'camunda:assignee="${approver}" camunda:candidateGroups="manager"')})
    reference = cases.start_process(batho, "pay_c", {"approver": "officer"})
    task = open_task(batho, reference, "approve")
    assert task.assignee_id == people["officer"].id
    assert [t.id for t in tasks.my_tasks(batho, people["officer"])] == [task.id]
    with pytest.raises(Forbidden):
        tasks.claim(batho, people["agent"], task.id)
    tasks.complete(batho, people["officer"], task.id, {})


def test_due_date_follow_up_and_priority_come_from_the_diagram_and_the_data(batho, people):
    deployment.deploy_sources(batho, {"a.bpmn": assigned(
        "pay_d", 'camunda:candidateGroups="billing_clerk" camunda:dueDate="P5D" '
                 'camunda:followUpDate="${follow}" camunda:priority="${urgency + 10}"')})
    with time_machine.travel(START, tick=False):
        reference = cases.start_process(batho, "pay_d", {"follow": "2026-12-04T08:00:00", "urgency": 60})
    task = open_task(batho, reference, "approve")
    assert task.due_at == START + timedelta(days=5)
    assert task.follow_up_at == datetime(2026, 12, 4, 8, 0, tzinfo=SAST)
    assert task.priority == 70


def test_an_expression_that_fails_leaves_the_task_to_its_lane_and_is_logged_with_its_ids(batho, people, caplog):
    deployment.deploy_sources(batho, {"a.bpmn": assigned(
        "pay_e", 'camunda:candidateGroups="${group}"', lane="Billing Clerk")})
    with caplog.at_level("WARNING", logger="engine.bpmn.camunda_assign"):
        reference = cases.start_process(batho, "pay_e", {})  # no `group` in the data
    task = open_task(batho, reference, "approve")
    assert task.candidate_role == "billing_clerk" and task.candidate_groups is None
    (logged,) = [r.getMessage() for r in caplog.records if r.name == "engine.bpmn.camunda_assign"]
    assert f"Candidate groups of task {task.id} (approve) of instance {task.instance_id}" in logged


# Multi-instance: one task per reviewer, each given to that reviewer by an expression

REVIEW = process("review_each", """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="review" name="Review" camunda:assignee="${reviewer}" camunda:candidateGroups="manager">
      <bpmn:multiInstanceLoopCharacteristics camunda:collection="${reviewers}" camunda:elementVariable="reviewer" />
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
""")


def test_a_multi_instance_collection_expression_gives_each_reviewer_their_task(batho, people):
    deployment.deploy_sources(batho, {"review.bpmn": REVIEW})
    reference = cases.start_process(batho, "review_each", {"reviewers": ["officer", "billing"]})
    for username in ("officer", "billing"):
        (mine,) = [t for t in tasks.my_tasks(batho, people[username]) if t.case_reference == reference]
        tasks.complete(batho, people[username], mine.id, {})
    assert open_tasks(batho, reference) == []


LOOP = '<bpmn:multiInstanceLoopCharacteristics camunda:collection="${reviewers}" camunda:elementVariable="reviewer" />'


@pytest.mark.parametrize(("loop", "words"), [
    ('<bpmn:multiInstanceLoopCharacteristics camunda:collection="${group.members}" />',
     "its collection ${group.members} is not one variable"),
    ("<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>${count +}</bpmn:loopCardinality>"
     "</bpmn:multiInstanceLoopCharacteristics>", "its cardinality cannot be used"),
    ("<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality><bpmn:completionCondition>"
     "${bean.done()}</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>",
     "its completion condition cannot be used"),
])
def test_a_multi_instance_loop_that_cannot_run_is_refused(loop, words):
    found = [p.message for p in lint({"r.bpmn": REVIEW.replace(LOOP, loop)}, list(ROLES.items()))]
    assert len(found) == 1 and words in found[0], found


def test_input_output_mappings_deploy_and_a_script_in_another_language_is_refused():
    def mapped(value: str) -> str:
        return assigned("m", 'camunda:candidateGroups="manager"').replace(
            'camunda:candidateGroups="manager" />', 'camunda:candidateGroups="manager"><bpmn:extensionElements>'
            f'<camunda:inputOutput><camunda:inputParameter name="limit">{value}</camunda:inputParameter>'
            "</camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>")

    assert [p.message for p in lint({"m.bpmn": mapped("${amount * 2}")}, list(ROLES.items()))] == []
    script = '<camunda:script scriptFormat="javascript">amount * 2</camunda:script>'
    found = [p.message for p in lint({"m.bpmn": mapped(script)}, list(ROLES.items()))]
    assert found == ['User task "Approve" (approve): its input/output mapping (Inputs/Outputs in the panel) cannot '
                     "be used: the input 'limit' is a script in javascript; Batho runs Python only. Write the value "
                     "as ${…} (for example ${amount * 2}) or as one Python expression with the script format "
                     "python."]
