"""Multi-instance loops as Camunda 7 diagrams write them, run through Batho's services on the test database:
loopCounter in an assignee expression, a completion condition on nrOfCompletedInstances, and a loop over BPMN's
loopDataInputRef whose instances' form answers stay in the case."""

from __future__ import annotations

from engine.services import cases, deployment, tasks
from tests.fixtures.make import process
from tests.support.drive import open_tasks

PEOPLE = ("officer", "billing", "agent")

# kermit_${loopCounter} as in Camunda's own tests, written here with the demo people: instance 0 to officer...
TURNS = process("turns", """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="turn" name="Take a turn"
        camunda:assignee="${loopCounter == 0 ? 'officer' : (loopCounter == 1 ? 'billing' : 'agent')}">
      <bpmn:multiInstanceLoopCharacteristics isSequential="true">
        <bpmn:loopCardinality>${rounds}</bpmn:loopCardinality>
        <bpmn:completionCondition>${nrOfCompletedInstances == 2}</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="turn" />
    <bpmn:sequenceFlow id="f2" sourceRef="turn" targetRef="end" />
""")

REVIEWS = process("reviews", """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="review" name="Review" camunda:assignee="${reviewer}">
      <bpmn:extensionElements><camunda:formData>
        <camunda:formField id="note_billing" label="Note for billing" />
      </camunda:formData></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:loopDataInputRef>reviewers</bpmn:loopDataInputRef>
        <bpmn:inputDataItem id="reviewer_item" name="reviewer" />
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="gate" default="to_end" />
    <bpmn:userTask id="follow_up" name="Follow up" camunda:assignee="officer" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="gate" />
    <bpmn:sequenceFlow id="to_follow_up" sourceRef="gate" targetRef="follow_up">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${note_billing == 'see me'}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_end" sourceRef="gate" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="follow_up" targetRef="end" />
""")


def mine(batho, who, reference):
    return [t for t in tasks.my_tasks(batho, who) if t.case_reference == reference]


def test_loop_counter_gives_each_turn_its_person_and_the_completion_condition_ends_the_loop(batho, people):
    deployment.deploy_sources(batho, {"turns.bpmn": TURNS})
    reference = cases.start_process(batho, "turns", {"rounds": 3})
    for username in PEOPLE[:2]:
        assert [mine(batho, people[other], reference) != [] for other in PEOPLE] == [o == username for o in PEOPLE]
        (task,) = mine(batho, people[username], reference)
        tasks.complete(batho, people[username], task.id, {})
    assert open_tasks(batho, reference) == []  # two of three: nrOfCompletedInstances == 2


def test_a_loop_over_loop_data_input_ref_keeps_each_reviewers_answers_in_the_case(batho, people):
    deployment.deploy_sources(batho, {"reviews.bpmn": REVIEWS})
    reference = cases.start_process(batho, "reviews", {"reviewers": ["officer", "billing"]})
    (first,) = mine(batho, people["officer"], reference)
    tasks.complete(batho, people["officer"], first.id, {"note_billing": ""})
    (second,) = mine(batho, people["billing"], reference)
    tasks.complete(batho, people["billing"], second.id, {"note_billing": "see me"})
    assert open_tasks(batho, reference) == ["follow_up"]
