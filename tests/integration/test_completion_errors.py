"""A diagram that fails as a task completes (the next step's timer expression names data the case lacks) stops its
instance with the error said, and the completion is kept: the officer gets no crash and loses nothing."""

from sqlalchemy import select

from engine.models import CaseEvent
from engine.models.enums import InstanceStatus
from engine.services import cases, deployment
from tests.fixtures.make import process
from tests.support.drive import do, instance, open_tasks


def diagram() -> str:
    return process("failing_timer", """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="supervisor" />
    <bpmn:intermediateCatchEvent id="wait" name="Wait">
      <bpmn:timerEventDefinition><bpmn:timeDuration>${waitFor}</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="wait" />
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="end" />
""", name="Failing timer")


def test_a_timer_failing_as_a_task_completes_stops_the_instance_and_keeps_the_completion(batho, people):
    deployment.deploy_sources(batho, {"failing_timer.bpmn": diagram()}, people["owner"].id)
    reference = cases.start_process(batho, "failing_timer", {})
    do(batho, people["supervisor"], reference, "approve")  # no exception reaches the officer
    row = instance(batho, reference)
    assert row.status == InstanceStatus.ERROR
    assert "waitFor" in (row.error_message or "")
    assert open_tasks(batho, reference) == []
    with batho.db.reading() as session:
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == row.case_id)).all()
    assert "completed" in kinds and "error" in kinds
