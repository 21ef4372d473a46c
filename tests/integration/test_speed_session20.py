"""What the leaner completion path (issue 14, session 20) must keep: the task rows read with the task, the roles a
process keeps for its lanes, the event waits it no longer reads when there are none, and the API's Server-Timing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from engine.bpmn.specs import SpecCache
from engine.errors import TaskNotReady
from engine.models import Case, EventWait, HumanTask, Role
from engine.services import cases, deployment, messages, organisation, tasks
from tests.fixtures.make import process

LANE = """<bpmn:laneSet id="ls"><bpmn:lane id="lane_agent" name="Customer Care Agent">{refs}</bpmn:lane></bpmn:laneSet>"""
PARALLEL = process("speed_parallel", LANE.format(refs="".join(
    f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in ("start", "fork", "task_a", "task_b", "join", "task_c",
                                                          "end"))) + """
    <bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:userTask id="task_a" name="Check the meter" />
    <bpmn:userTask id="task_b" name="Check the account" />
    <bpmn:parallelGateway id="join" />
    <bpmn:userTask id="task_c" name="Answer the resident" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="task_a" />
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="task_b" />
    <bpmn:sequenceFlow id="f4" sourceRef="task_a" targetRef="join" />
    <bpmn:sequenceFlow id="f5" sourceRef="task_b" targetRef="join" />
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="task_c" />
    <bpmn:sequenceFlow id="f7" sourceRef="task_c" targetRef="end" />
""")
WAITING = process("speed_waiting", LANE.format(refs="".join(
    f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in ("start", "first", "wait", "second", "end"))) + """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="first" name="Ask the contractor" />
    <bpmn:intermediateCatchEvent id="wait" name="Contractor answers">
      <bpmn:messageEventDefinition id="med" messageRef="msg_go" />
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="second" name="Read the answer" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="wait" />
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="second" />
    <bpmn:sequenceFlow id="f4" sourceRef="second" targetRef="end" />
""").replace("  </bpmn:process>\n", '  </bpmn:process>\n  <bpmn:message id="msg_go" name="speed_go" />\n')
INSPECTORS = process("speed_inspect", """
    <bpmn:laneSet id="ls"><bpmn:lane id="lane_inspect" name="Speed Inspectors">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>inspect</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="inspect" name="Inspect the site" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="inspect" />
    <bpmn:sequenceFlow id="f2" sourceRef="inspect" targetRef="end" />
""")


def _rows(batho, reference: str) -> dict[str, HumanTask]:
    with batho.db.reading() as session:
        found = session.scalars(select(HumanTask).join(Case, Case.id == HumanTask.case_id)
                                .where(Case.reference == reference))
        return {row.task_name: row for row in found}


def _waits(batho) -> set[tuple[str, str]]:
    with batho.db.reading() as session:
        return {(w.kind, w.name) for w in session.scalars(select(EventWait))}


def test_completing_one_of_two_parallel_tasks_keeps_the_other_and_its_holder(empty_batho, people):
    deployment.deploy_sources(empty_batho, {"speed_parallel.bpmn": PARALLEL})
    reference = cases.start_process(empty_batho, "speed_parallel", {})
    rows = _rows(empty_batho, reference)
    assert set(rows) == {"task_a", "task_b"}
    tasks.claim(empty_batho, people["agent"], rows["task_b"].id)
    tasks.complete(empty_batho, people["agent"], rows["task_a"].id, {})
    after = _rows(empty_batho, reference)
    assert set(after) == {"task_b"} and after["task_b"].id == rows["task_b"].id
    assert after["task_b"].assignee_id == people["agent"].id
    tasks.complete(empty_batho, people["agent"], rows["task_b"].id, {})
    assert set(_rows(empty_batho, reference)) == {"task_c"}
    with pytest.raises(TaskNotReady, match="no longer open"):
        tasks.complete(empty_batho, people["agent"], rows["task_b"].id, {})


def test_a_task_before_a_message_leaves_its_wait_and_the_message_clears_it(empty_batho, people):
    deployment.deploy_sources(empty_batho, {"speed_waiting.bpmn": WAITING})
    reference = cases.start_process(empty_batho, "speed_waiting", {})
    assert _waits(empty_batho) == set()  # a task waits for no message
    tasks.complete(empty_batho, people["agent"], _rows(empty_batho, reference)["first"].id, {})
    assert _waits(empty_batho) == {("message", "speed_go")}
    assert set(_rows(empty_batho, reference)) == set()
    messages.correlate(empty_batho, people["admin"], "speed_go", reference)
    assert _waits(empty_batho) == set()
    assert set(_rows(empty_batho, reference)) == {"second"}


def test_a_role_added_or_renamed_in_this_process_is_what_the_next_lane_finds(empty_batho, people):
    deployment.deploy_sources(empty_batho, {"speed_inspect.bpmn": INSPECTORS})
    first = cases.start_process(empty_batho, "speed_inspect", {})
    # No role is called "Speed Inspectors" yet: the task goes to the unassigned-task role.
    assert _rows(empty_batho, first)["inspect"].candidate_role == empty_batho.config.unassigned_task_role
    try:
        organisation.save_role(empty_batho, people["admin"], "speed_inspector", "Speed Inspectors")
        second = cases.start_process(empty_batho, "speed_inspect", {})
        assert _rows(empty_batho, second)["inspect"].candidate_role == "speed_inspector"
        organisation.save_role(empty_batho, people["admin"], "speed_inspector", "Speed Checkers")
        third = cases.start_process(empty_batho, "speed_inspect", {})
        assert _rows(empty_batho, third)["inspect"].candidate_role == empty_batho.config.unassigned_task_role
    finally:
        with empty_batho.db.transaction() as session:
            for role in session.scalars(select(Role).where(Role.key == "speed_inspector")):
                session.delete(role)


def test_a_completion_reads_its_task_and_instance_once_and_no_roles_or_waits_twice(empty_batho, people):
    deployment.deploy_sources(empty_batho, {"speed_parallel.bpmn": PARALLEL})
    reference = cases.start_process(empty_batho, "speed_parallel", {})
    rows = _rows(empty_batho, reference)
    tasks.complete(empty_batho, people["agent"], rows["task_a"].id, {})  # the roles are read once, here
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()).lower())

    event.listen(empty_batho.db.write_engine, "before_cursor_execute", note)
    try:
        tasks.complete(empty_batho, people["agent"], rows["task_b"].id, {})
    finally:
        event.remove(empty_batho.db.write_engine, "before_cursor_execute", note)
    reads = [s for s in seen if s.startswith("select")]
    assert len([s for s in reads if re.match(r"select human_tasks\.id\b", s)]) == 1  # task, siblings, instance
    assert not [s for s in reads if "from roles" in s]
    assert not [s for s in reads if "from event_waits" in s]
    assert not [s for s in reads if "bpmn_files" in s]  # the version's files stay in the database once parsed
    assert set(_rows(empty_batho, reference)) == {"task_c"}


def test_a_completion_in_a_process_that_has_not_parsed_the_version_yet_reads_its_files_then(empty_batho, people):
    deployment.deploy_sources(empty_batho, {"speed_parallel.bpmn": PARALLEL})
    reference = cases.start_process(empty_batho, "speed_parallel", {})
    rows = _rows(empty_batho, reference)
    empty_batho.specs = SpecCache(empty_batho.config.unassigned_task_role)  # as a web process just started
    tasks.complete(empty_batho, people["agent"], rows["task_a"].id, {})
    assert set(_rows(empty_batho, reference)) == {"task_b"}


def test_every_api_answer_says_how_long_the_server_took(client, bearer):
    answer = client.get("/api/v1/tasks", headers=bearer("agent"))
    assert answer.status_code == 200
    assert re.fullmatch(r"app;dur=\d+\.\d\d", answer.headers["Server-Timing"])
    refused = client.get("/api/v1/tasks")
    assert refused.status_code == 401 and refused.headers["Server-Timing"].startswith("app;dur=")
