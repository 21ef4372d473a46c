"""Call activities and decisions outside a diagram's files are bound when a case reaches them (Camunda 7's
"latest"): the caller deploys alone with a warning, a case stops at the call as an incident until the called
process or decision is deployed, and a retry then carries it on, on the version it bound, also after a reload."""

from __future__ import annotations

import pytest

from engine.errors import DeploymentError
from engine.models import CaseEvent
from engine.services import cases, deployment, incidents, tasks
from tests.fixtures.make import process
from tests.support.drive import case, do, events, instance, open_task, open_tasks

LANE = """<bpmn:laneSet id="ls_{key}"><bpmn:lane id="lane_{key}" name="Customer Care Agent">{refs}</bpmn:lane>
    </bpmn:laneSet>"""

NOT_DEPLOYED = ('Call activity "Check the meter" (call) calls process "meter_check", which is not deployed yet: a '
                'case that reaches this step stops there, as an incident, until "meter_check" is deployed.')


def caller(attributes: str = "") -> str:
    """start -> user task "Take the call" -> call activity of meter_check -> user task "Answer" -> end."""
    return process("billing_query", LANE.format(key="c", refs="<bpmn:flowNodeRef>take</bpmn:flowNodeRef>"
                                                              "<bpmn:flowNodeRef>answer</bpmn:flowNodeRef>") + f"""
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="take" name="Take the call" />
    <bpmn:callActivity id="call" name="Check the meter" calledElement="meter_check" {attributes} />
    <bpmn:userTask id="answer" name="Answer" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="take" />
    <bpmn:sequenceFlow id="f2" sourceRef="take" targetRef="call" />
    <bpmn:sequenceFlow id="f3" sourceRef="call" targetRef="answer" />
    <bpmn:sequenceFlow id="f4" sourceRef="answer" targetRef="end" />
""")


def callee(task: str = "read", tag: str = "") -> str:
    """start -> user task `task` -> script setting reading -> end."""
    version_tag = f' camunda:versionTag="{tag}"' if tag else ""
    return process("meter_check", LANE.format(key="m", refs=f"<bpmn:flowNodeRef>{task}</bpmn:flowNodeRef>") + f"""
    <bpmn:startEvent id="m_start" />
    <bpmn:userTask id="{task}" name="Read the meter"><bpmn:extensionElements><camunda:formData>
      <camunda:formField id="{task}_value" label="Reading" type="string" /></camunda:formData></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:scriptTask id="note" name="Note it" scriptFormat="python"><bpmn:script>reading = "{task}"</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:endEvent id="m_end" />
    <bpmn:sequenceFlow id="m1" sourceRef="m_start" targetRef="{task}" />
    <bpmn:sequenceFlow id="m2" sourceRef="{task}" targetRef="note" />
    <bpmn:sequenceFlow id="m3" sourceRef="note" targetRef="m_end" />
""").replace('isExecutable="true">', f'isExecutable="true"{version_tag}>', 1)


def stopped_at_the_call(app, people) -> str:
    reference = cases.start_process(app, "billing_query", {})
    do(app, people["agent"], reference, "take")
    return reference


def test_a_caller_deploys_alone_with_a_warning_saying_what_happens_to_its_cases(empty_batho):
    [deployed] = deployment.deploy_sources(empty_batho, {"billing.bpmn": caller()})
    assert deployed.key == "billing_query"
    assert [w["message"] for w in deployed.warnings if w["rule"] == "reference"] == [NOT_DEPLOYED]


def test_a_case_stops_at_the_call_as_an_incident_and_a_retry_after_the_deploy_carries_it_on(empty_batho, people):
    deployment.deploy_sources(empty_batho, {"billing.bpmn": caller()})
    reference = stopped_at_the_call(empty_batho, people)
    stopped = instance(empty_batho, reference)
    assert (stopped.status, stopped.error_message) == ("error", NOT_DEPLOYED)
    assert incidents.retry(empty_batho, people["admin"], stopped.id, {}) == "error"  # not yet: the same place
    assert instance(empty_batho, reference).error_message == NOT_DEPLOYED

    deployment.deploy_sources(empty_batho, {"meter.bpmn": callee()})
    assert incidents.retry(empty_batho, people["admin"], stopped.id, {}) == "running"
    assert open_tasks(empty_batho, reference) == ["read"]
    do(empty_batho, people["agent"], reference, "read")
    do(empty_batho, people["agent"], reference, "answer")
    assert instance(empty_batho, reference).status == "completed"
    assert case(empty_batho, reference).closed_at is not None
    assert [e.task_name for e in events(empty_batho, reference, "completed")] == ["take", "read", "answer"]


def test_a_case_keeps_the_version_it_bound_when_a_newer_one_is_deployed(empty_batho, people):
    deployment.deploy_sources(empty_batho, {"billing.bpmn": caller()})
    deployment.deploy_sources(empty_batho, {"meter.bpmn": callee("read")})
    early = stopped_at_the_call(empty_batho, people)
    assert open_tasks(empty_batho, early) == ["read"]  # bound when reached: no incident
    deployment.deploy_sources(empty_batho, {"meter.bpmn": callee("read_again")})
    late = stopped_at_the_call(empty_batho, people)
    assert open_tasks(empty_batho, late) == ["read_again"]  # the newest version when this case reached it
    # restored on the version it bound: its task shows that version's form and still runs
    assert [f.id for f in tasks.task_view(empty_batho, people["agent"], open_task(empty_batho, early, "read").id)
            .fields] == ["read_value"]
    do(empty_batho, people["agent"], early, "read", read_value="0042")
    assert open_tasks(empty_batho, early) == ["answer"]
    with empty_batho.db.reading() as session:
        [last] = [e for e in session.query(CaseEvent).filter(CaseEvent.instance_id == instance(empty_batho, early).id,
                                                              CaseEvent.kind == "completed")][-1:]
        assert last.task_name == "read"


def test_a_call_bound_to_a_version_number_waits_for_that_version(empty_batho, people):
    deployment.deploy_sources(empty_batho, {"meter.bpmn": callee("read")})
    [deployed] = deployment.deploy_sources(empty_batho, {"billing.bpmn": caller(
        'camunda:calledElementBinding="version" camunda:calledElementVersion="2"')})
    assert [w["message"] for w in deployed.warnings if w["rule"] == "reference"] == [
        'Call activity "Check the meter" (call) calls process "meter_check" version "2", which is not deployed '
        'yet: a case that reaches this step stops there, as an incident, until "meter_check" version "2" is '
        "deployed."]
    reference = stopped_at_the_call(empty_batho, people)
    assert instance(empty_batho, reference).status == "error"
    deployment.deploy_sources(empty_batho, {"meter.bpmn": callee("read_two")})
    deployment.deploy_sources(empty_batho, {"meter.bpmn": callee("read_three")})
    assert incidents.retry(empty_batho, people["admin"], instance(empty_batho, reference).id, {}) == "running"
    assert open_tasks(empty_batho, reference) == ["read_two"]


def test_a_call_bound_to_a_version_tag_takes_the_newest_version_with_it(empty_batho, people):
    deployment.deploy_sources(empty_batho, {"meter.bpmn": callee("read_tagged", tag="2026-a")})
    deployment.deploy_sources(empty_batho, {"meter.bpmn": callee("read_untagged")})
    [deployed] = deployment.deploy_sources(empty_batho, {"billing.bpmn": caller(
        'camunda:calledElementBinding="versionTag" camunda:calledElementVersionTag="2026-a"')})
    assert not [w for w in deployed.warnings if w["rule"] == "reference"]  # deployed: nothing to say
    reference = stopped_at_the_call(empty_batho, people)
    assert open_tasks(empty_batho, reference) == ["read_tagged"]


def test_a_call_of_its_own_deployment_outside_the_files_is_refused(empty_batho):
    with pytest.raises(DeploymentError) as refused:
        deployment.deploy_sources(empty_batho, {"billing.bpmn": caller('camunda:calledElementBinding="deployment"')})
    assert 'calls process "meter_check" of its own deployment (binding "deployment"), which is not in the files' \
        in str(refused.value.problems)


def test_a_call_of_its_own_process_is_still_refused(empty_batho):
    looping = caller().replace('calledElement="meter_check"', 'calledElement="billing_query"')
    with pytest.raises(DeploymentError) as refused:
        deployment.deploy_sources(empty_batho, {"billing.bpmn": looping})
    assert 'calls its own process "billing_query"' in str(refused.value.problems)


DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="D" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="tariff" name="Tariff">
    <decisionTable id="t" hitPolicy="FIRST">
      <input id="in1" label="Kind"><inputExpression id="ie1" typeRef="string"><text>kind</text></inputExpression></input>
      <output id="out1" label="Rate" name="rate" typeRef="string" />
      <rule id="r1"><inputEntry id="c1"><text>"home"</text></inputEntry><outputEntry id="o1"><text>"low"</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="c2"><text>-</text></inputEntry><outputEntry id="o2"><text>"high"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""


def deciding() -> str:
    return process("tariff_query", LANE.format(key="t", refs="<bpmn:flowNodeRef>answer</bpmn:flowNodeRef>") + """
    <bpmn:startEvent id="start" />
    <bpmn:businessRuleTask id="decide" name="Find the tariff" camunda:decisionRef="tariff" />
    <bpmn:userTask id="answer" name="Answer" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="answer" />
    <bpmn:sequenceFlow id="f3" sourceRef="answer" targetRef="end" />
""")


def test_a_decision_deployed_nowhere_is_looked_for_when_a_case_reaches_it(empty_batho, people):
    said = ('Decision task "Find the tariff" (decide) uses decision "tariff", which is not deployed yet: a case '
            'that reaches this step stops there, as an incident, until "tariff" is deployed.')
    [deployed] = deployment.deploy_sources(empty_batho, {"tariff.bpmn": deciding()})
    assert [w["message"] for w in deployed.warnings if w["rule"] == "reference"] == [said]
    reference = cases.start_process(empty_batho, "tariff_query", {"kind": "home"})
    stopped = instance(empty_batho, reference)
    assert (stopped.status, stopped.error_message) == ("error", said)
    deployment.deploy_sources(empty_batho, {"tariff.dmn": DMN})
    assert incidents.retry(empty_batho, people["admin"], stopped.id, {}) == "running"
    assert open_tasks(empty_batho, reference) == ["answer"]
    do(empty_batho, people["agent"], reference, "answer")
    assert instance(empty_batho, reference).status == "completed"


def test_a_called_process_in_the_files_may_itself_call_one_deployed_nowhere(empty_batho, people):
    middle = process("meter_round", """
    <bpmn:startEvent id="r_start" />
    <bpmn:callActivity id="r_call" name="Check one meter" calledElement="meter_check" />
    <bpmn:endEvent id="r_end" />
    <bpmn:sequenceFlow id="r1" sourceRef="r_start" targetRef="r_call" />
    <bpmn:sequenceFlow id="r2" sourceRef="r_call" targetRef="r_end" />
""")
    files = {"billing.bpmn": caller().replace('calledElement="meter_check"', 'calledElement="meter_round"'),
             "round.bpmn": middle}
    deployed = deployment.deploy_sources(empty_batho, files)
    assert {d.key for d in deployed} == {"billing_query", "meter_round"}
    reference = stopped_at_the_call(empty_batho, people)
    stopped = instance(empty_batho, reference)
    assert stopped.error_message == NOT_DEPLOYED.replace('"Check the meter" (call)', '"Check one meter" (r_call)')
    deployment.deploy_sources(empty_batho, {"meter.bpmn": callee()})
    assert incidents.retry(empty_batho, people["admin"], stopped.id, {}) == "running"
    do(empty_batho, people["agent"], reference, "read")
    do(empty_batho, people["agent"], reference, "answer")
    assert instance(empty_batho, reference).status == "completed"
