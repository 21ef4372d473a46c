"""A diagram with Camunda 7 input/output mappings and dateTime() deploys and runs to its end through the services:
a script task, a user task and an external task each get their locals and hand on only their outputs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from engine import instances
from engine.services import cases, deployment, external_tasks, identity
from engine.services.external_tasks import Topic
from tests.fixtures.make import process
from tests.support import staff
from tests.support.drive import do, instance, open_task, open_tasks

NOW = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)


def io(inputs: str = "", outputs: str = "", more: str = "") -> str:
    return (f"<bpmn:extensionElements>{more}<camunda:inputOutput>{inputs}{outputs}</camunda:inputOutput>"
            "</bpmn:extensionElements>")


def diagram(decision_output: str = "${approved ? 'approved' : 'declined'}") -> str:
    form = ('<camunda:formData><camunda:formField id="approved" label="Approve?" type="boolean" />'
            "</camunda:formData>")
    return process("io_run", f"""
    <bpmn:startEvent id="start" />
    <bpmn:scriptTask id="prepare" name="Prepare" scriptFormat="python">
      {io('<camunda:inputParameter name="fee">${amount * 0.1}</camunda:inputParameter>',
          '<camunda:outputParameter name="total">${amount + fee}</camunda:outputParameter>')}
      <bpmn:script>checked = fee &gt; 5</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="supervisor"
      camunda:dueDate="${{dateTime().plusDays(2).toDate()}}">
      {io('<camunda:inputParameter name="limit">${total * 2}</camunda:inputParameter>',
          f'<camunda:outputParameter name="decision">{decision_output}</camunda:outputParameter>', form)}
    </bpmn:userTask>
    <bpmn:serviceTask id="bill" name="Bill" camunda:type="external" camunda:topic="io_billing">
      {io('<camunda:inputParameter name="lines"><camunda:list><camunda:value>${total}</camunda:value>'
          '<camunda:value>fee</camunda:value></camunda:list></camunda:inputParameter>',
          '<camunda:outputParameter name="receipt">Receipt ${number}</camunda:outputParameter>')}
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare" />
    <bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="approve" />
    <bpmn:sequenceFlow id="f3" sourceRef="approve" targetRef="bill" />
    <bpmn:sequenceFlow id="f4" sourceRef="bill" targetRef="end" />
""", name="Mapped invoice")


@pytest.fixture
def worker(batho):
    staff.add(batho, "io_billing_system", ["integration"], [])
    yield identity.authenticate(batho, "io_billing_system", staff.PASSWORD)
    staff.restore(batho)


def data_of(batho, reference: str) -> dict:
    """The data the instance ended with (its last task's), read as the engine loads it."""
    row = instance(batho, reference)
    with batho.db.transaction() as session:
        running = instances.load(batho, session, row.id)
        return dict(running.workflow.bpmn.last_task.data)


def test_a_mapped_diagram_runs_to_its_end_and_hands_on_only_its_outputs(batho, people, worker):
    deployment.deploy_sources(batho, {"io.bpmn": diagram()}, people["owner"].id)
    with time_machine.travel(NOW, tick=False):
        reference = cases.start_process(batho, "io_run", {"amount": 100})
    task = open_task(batho, reference, "approve")
    assert task.due_at.replace(tzinfo=UTC) == NOW + timedelta(days=2)  # ${dateTime().plusDays(2).toDate()}
    do(batho, people["supervisor"], reference, "approve", approved="true")
    assert open_tasks(batho, reference) == []
    [locked] = external_tasks.fetch_and_lock(batho, worker, "w1", 1, [Topic("io_billing", 60_000)])
    assert locked["activityId"] == "bill"
    assert json.loads(locked["variables"]["lines"]["value"]) == [110.0, "fee"]  # the worker sees its locals
    external_tasks.complete(batho, worker, locked["id"], "w1", {"number": "77"})
    assert instance(batho, reference).status == "completed"
    data = data_of(batho, reference)
    assert {key: data.get(key) for key in ("amount", "checked", "total", "approved", "decision", "receipt")} == {
        "amount": 100, "checked": True, "total": 110.0, "approved": True, "decision": "approved",
        "receipt": "Receipt 77"}
    assert not {"fee", "limit", "lines"} & set(data), "the locals stay inside their tasks"


def test_an_output_that_fails_on_completion_stops_the_instance_with_the_output_named(batho, people):
    deployment.deploy_sources(batho, {"io.bpmn": diagram("${approved / nobody}")}, people["owner"].id)
    reference = cases.start_process(batho, "io_run", {"amount": 100})
    do(batho, people["supervisor"], reference, "approve", approved="true")  # saved; the request does not crash
    stopped = instance(batho, reference)
    assert stopped.status == "error"
    assert stopped.error_message.startswith("MappingFailed: The output 'decision' (${approved / nobody}) of "
                                            "'Approve' (approve) could not be computed: NameError")


def test_a_mapping_batho_cannot_run_is_refused_at_deploy_with_a_sentence(batho, people):
    javascript = diagram().replace('<camunda:inputParameter name="fee">${amount * 0.1}</camunda:inputParameter>',
                                   '<camunda:inputParameter name="fee"><camunda:script scriptFormat="javascript">'
                                   "amount * 0.1</camunda:script></camunda:inputParameter>")
    with pytest.raises(Exception) as refused:
        deployment.deploy_sources(batho, {"io.bpmn": javascript}, people["owner"].id)
    messages = [p["message"] for p in getattr(refused.value, "problems", [])]
    assert any("the input 'fee' is a script in javascript; Batho runs Python only" in m for m in messages), messages
