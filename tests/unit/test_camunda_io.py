"""Camunda 7's input/output mappings run on task data: inputs are the activity's locals, outputs what it hands on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from SpiffWorkflow.util.task import TaskState

from engine.bpmn import specs
from engine.bpmn.camunda_io import MappingFailed
from engine.bpmn.lint import lint
from engine.bpmn.scripting import RestrictedScriptEngine
from engine.bpmn.state import StateCodec
from engine.bpmn.workflow import Workflow
from engine.composition import script_functions
from tests.fixtures.make import process

NOW = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)
ROLES = [("supervisor", "Supervisor")]
CODEC = StateCodec(RestrictedScriptEngine(script_functions("Africa/Johannesburg", lambda: NOW)))


def io(inputs: str = "", outputs: str = "") -> str:
    return f"<bpmn:extensionElements><camunda:inputOutput>{inputs}{outputs}</camunda:inputOutput></bpmn:extensionElements>"


def param(kind: str, name: str, body: str = "") -> str:
    tag = f"camunda:{kind}Parameter"
    return f'<{tag} name="{name}" />' if not body else f'<{tag} name="{name}">{body}</{tag}>'


def chain(key: str, *steps: str) -> str:
    """start -> each step (ids s1, s2...) -> end."""
    ids = ["start", *[f"s{n}" for n in range(1, len(steps) + 1)], "end"]
    flows = "".join(f'<bpmn:sequenceFlow id="f{n}" sourceRef="{a}" targetRef="{b}" />'
                    for n, (a, b) in enumerate(zip(ids, ids[1:], strict=False)))
    body = "".join(step.replace("{id}", f"s{n}") for n, step in enumerate(steps, 1))
    return process(key, f'<bpmn:startEvent id="start" />{body}<bpmn:endEvent id="end" />{flows}')


def script(text: str, mapping: str = "", name: str = "Work it out") -> str:
    return (f'<bpmn:scriptTask id="{{id}}" name="{name}" scriptFormat="python">{mapping}'
            f"<bpmn:script>{text}</bpmn:script></bpmn:scriptTask>")


def user(mapping: str = "") -> str:
    return f'<bpmn:userTask id="{{id}}" name="Approve" camunda:candidateGroups="supervisor">{mapping}</bpmn:userTask>'


def started(diagram: str, data: dict | None = None) -> Workflow:
    assert [p.message for p in lint({"d.bpmn": diagram}, ROLES) if p.severity == "error"] == []
    parsed = next(iter(specs.parse({"d.bpmn": diagram}, {}).values()))
    workflow = CODEC.new(parsed)
    workflow.seed(dict(data or {}))
    workflow.run(lambda step: None, lambda step: None)
    return CODEC.load(CODEC.dump(workflow), parsed)  # every test also crosses a save and load


def end_data(workflow: Workflow) -> dict:
    assert workflow.completed
    return dict(workflow.bpmn.last_task.data)


def test_inputs_are_locals_computed_outside_and_outputs_are_handed_on():
    mapping = io(param("input", "amount", "${amount * 2}") + param("input", "rate", "${0.15}"),
                 param("output", "vat", "${amount * rate}"))
    workflow = started(chain("vat", script("seen = amount", mapping)), {"amount": 100})
    # the script saw its local amount (200); after the task the case's amount is 100 again and rate is gone
    assert end_data(workflow) == {"amount": 100, "seen": 200, "vat": 30.0}


def test_inputs_see_the_data_around_the_activity_not_each_other():
    mapping = io(param("input", "a", "${1}") + param("input", "b", "${a}"))
    workflow = started(chain("order", script("seen = [a, b]", mapping)), {"a": "outside"})
    assert end_data(workflow)["seen"] == [1, "outside"]


def test_values_are_text_null_lists_maps_and_python_expressions():
    mapping = io(
        param("input", "note", "Ask for the missing documents")
        + param("input", "nothing")
        + param("input", "greeting", "Dear ${name}, case ${ref}")
        + param("input", "tags", "<camunda:list><camunda:value>water</camunda:value><camunda:value>${ref}"
                "</camunda:value><camunda:list><camunda:value>nested</camunda:value></camunda:list></camunda:list>")
        + param("input", "contact", '<camunda:map><camunda:entry key="who">${name}</camunda:entry>'
                '<camunda:entry key="due">${dateTime().plusDays(1).toDate()}</camunda:entry></camunda:map>')
        + param("input", "total", '<camunda:script scriptFormat="python">sum([1, 2, 3]) * 2</camunda:script>'),
        param("output", "seen", '<camunda:script scriptFormat="Python">[note, nothing, greeting, tags, contact, '
                                "total]</camunda:script>"))
    workflow = started(chain("values", script("pass", mapping)), {"name": "Thabo", "ref": 7})
    assert end_data(workflow)["seen"] == [
        "Ask for the missing documents", None, "Dear Thabo, case 7", ["water", 7, ["nested"]],
        {"who": "Thabo", "due": "2026-12-03T09:30:00+02:00"}, 12]  # a date is kept as ISO text


def test_a_user_task_shows_its_locals_and_a_form_value_of_that_name_stays_local_unless_mapped_out():
    mapping = io(param("input", "approved", "${false}") + param("input", "limit", "${amount * 2}"),
                 param("output", "decision", "${approved ? 'yes' : 'no'}"))
    workflow = started(chain("approve", user(mapping)), {"amount": 50, "approved": "not yet"})
    [step] = workflow.ready_manual_tasks()
    assert (step.data["approved"], step.data["limit"]) == (False, 100)
    workflow.complete(step, {"approved": True, "comment": "fine"})
    workflow.run(lambda step: None, lambda step: None)
    assert end_data(workflow) == {"amount": 50, "approved": "not yet", "decision": "yes", "comment": "fine"}


def test_without_outputs_the_locals_still_do_not_leak_out():
    workflow = started(chain("plain", script("result = helper + 1", io(param("input", "helper", "${41}")))))
    assert end_data(workflow) == {"result": 42}


def test_an_embedded_subprocess_gives_its_steps_the_inputs_and_hands_on_the_outputs():
    diagram = process("outer", f"""
    <bpmn:startEvent id="start" />
    <bpmn:subProcess id="check" name="Check">
      {io(param("input", "limit", "${1000}"), param("output", "over", "${total > limit}"))}
      <bpmn:startEvent id="in_start" />
      <bpmn:scriptTask id="add" name="Add" scriptFormat="python"><bpmn:script>total = amount + limit</bpmn:script>
      </bpmn:scriptTask>
      <bpmn:endEvent id="in_end" />
      <bpmn:sequenceFlow id="i1" sourceRef="in_start" targetRef="add" />
      <bpmn:sequenceFlow id="i2" sourceRef="add" targetRef="in_end" />
    </bpmn:subProcess>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
""")
    assert end_data(started(diagram, {"amount": 5})) == {"amount": 5, "total": 1005, "over": True}


def test_a_waiting_timer_uses_its_input_and_keeps_it_while_it_waits():
    event = ('<bpmn:intermediateCatchEvent id="{id}" name="Wait">'
             + io(param("input", "pause", "PT2H"), param("output", "waited", "${pause}"))
             + '<bpmn:timerEventDefinition id="t"><bpmn:timeDuration>${pause}</bpmn:timeDuration>'
               "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>")
    with time_machine.travel(NOW, tick=False):
        workflow = started(chain("pause", event))
    assert workflow.next_timer() == NOW + timedelta(hours=2)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        workflow.run(lambda step: None, lambda step: None, refresh_timers=True)
    assert not workflow.completed
    with time_machine.travel(NOW + timedelta(hours=2, minutes=1), tick=False):
        workflow.run(lambda step: None, lambda step: None, refresh_timers=True)
    assert end_data(workflow) == {"waited": "PT2H"}


def test_an_output_that_fails_stops_the_instance_at_the_next_run_naming_the_parameter():
    workflow = started(chain("fails", user(io(outputs=param("output", "ratio", "${amount / count}")))),
                       {"amount": 5})
    [step] = workflow.ready_manual_tasks()
    workflow.complete(step, {})  # the completion itself does not crash the request
    with pytest.raises(MappingFailed, match=r"The output 'ratio' \(\$\{amount / count\}\) of 'Approve' \(s1\) could not be computed: "
                                            "NameError"):
        workflow.run(lambda step: None, lambda step: None)
    assert [t.task_spec.bpmn_id for t in workflow.bpmn.get_tasks(state=TaskState.ERROR)] == ["s1"]
    assert workflow.retry_failed({"count": 5}) == "s1"  # put right, it is asked again
    [step] = workflow.ready_manual_tasks()
    workflow.complete(step, {})
    workflow.run(lambda step: None, lambda step: None)
    assert end_data(workflow)["ratio"] == 1.0


def test_an_input_that_fails_stops_the_instance_before_the_step_and_a_retry_computes_it_again():
    diagram = chain("input_fails", user(io(param("input", "x", "${missing + 1}"))))
    parsed = next(iter(specs.parse({"d.bpmn": diagram}, {}).values()))
    workflow = CODEC.new(parsed)
    with pytest.raises(MappingFailed, match=r"The input 'x' \(\$\{missing \+ 1\}\) of 'Approve' \(s1\) could not be "
                                            "computed: NameError: name 'missing' is not defined"):
        workflow.run(lambda step: None, lambda step: None)
    assert workflow.ready_manual_tasks() == []
    workflow = CODEC.load(CODEC.dump(workflow), parsed)
    assert workflow.retry_failed({"missing": 1}) == "s1"
    workflow = CODEC.reload(workflow, parsed)
    workflow.run(lambda step: None, lambda step: None)
    [step] = workflow.ready_manual_tasks()
    assert step.data["x"] == 2


def problems(diagram: str) -> list[str]:
    return [p.message for p in lint({"d.bpmn": diagram}, ROLES) if p.severity == "error"]


@pytest.mark.parametrize(("body", "words"), [
    ('<camunda:script scriptFormat="javascript">execution.setVariable("score", 5);</camunda:script>',
     "the input 'x' is a script in javascript; Batho runs Python only"),
    ('<camunda:script scriptFormat="groovy" resource="score.groovy" />',
     "the input 'x' reads its script from a file (resource), which Batho cannot load"),
    ('<camunda:script scriptFormat="python">x = 1\ny = 2</camunda:script>',
     "must be one expression, whose value the variable takes"),
    ('<camunda:script scriptFormat="python">__import__("os")</camunda:script>', "may not use"),
    ("${scoring.compute(amount)}", "calls a method on a Java bean"),
    ('${customer.prop("age").numberValue()}', "Camunda Spin"),
    ("${__import__('os')}", "the function name '__import__' cannot be used"),
    ("<camunda:list><camunda:value>${bad.call()}</camunda:value></camunda:list>", "calls a method on a Java bean"),
    ('<camunda:map><camunda:entry>no key</camunda:entry></camunda:map>', "a map entry without a key"),
    ("<camunda:list /><camunda:map />", "holds 2 values"),
])
def test_values_batho_cannot_compute_safely_are_refused_with_a_sentence(body, words):
    [found] = problems(chain("bad", script("pass", io(param("input", "x", body)))))
    assert found.startswith('Script task "Work it out" (s1)') and words in found, found


@pytest.mark.parametrize(("diagram", "words"), [
    (process("p", f'<bpmn:startEvent id="start">{io(param("input", "x", "1"))}</bpmn:startEvent>'
                  '<bpmn:endEvent id="end" /><bpmn:sequenceFlow id="f" sourceRef="start" targetRef="end" />'),
     "which Camunda 7 does not run on a start event either"),
    (chain("g", '<bpmn:exclusiveGateway id="{id}">' + io(param("input", "x", "1")) + "</bpmn:exclusiveGateway>"),
     "which Camunda 7 does not run on a gateway either"),
    (process("p", f'<bpmn:startEvent id="start" /><bpmn:endEvent id="end">{io(outputs=param("output", "x", "1"))}'
                  '</bpmn:endEvent><bpmn:sequenceFlow id="f" sourceRef="start" targetRef="end" />'),
     "nothing follows an end event"),
    (chain("mi", '<bpmn:userTask id="{id}" name="Review" camunda:candidateGroups="supervisor">'
                 + io(outputs=param("output", "x", "1"))
                 + "<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>2</bpmn:loopCardinality>"
                   "</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>"),
     "a multi-instance activity with output parameters, which Camunda 7 refuses too"),
])
def test_mappings_where_camunda_does_not_run_them_either_are_refused(diagram, words):
    found = problems(diagram)
    assert any(words in f for f in found), found


def test_a_boundary_event_and_an_event_subprocess_are_refused_too():
    diagram = process("b", f"""
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="supervisor" />
    <bpmn:boundaryEvent id="late" attachedToRef="approve">{io(param("input", "x", "1"))}
      <bpmn:timerEventDefinition id="t"><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:subProcess id="events" triggeredByEvent="true">{io(param("input", "x", "1"))}
      <bpmn:startEvent id="sig"><bpmn:signalEventDefinition id="sd" /></bpmn:startEvent>
      <bpmn:endEvent id="sig_end" /><bpmn:sequenceFlow id="s1" sourceRef="sig" targetRef="sig_end" />
    </bpmn:subProcess>
    <bpmn:endEvent id="end" /><bpmn:endEvent id="late_end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="late_end" />
""")
    found = problems(diagram)
    assert any("Boundary event late has an input/output mapping" in f and "boundary event either" in f
               for f in found), found
    assert any("is an event subprocess with an input/output mapping" in f for f in found), found


def test_a_connectors_own_mapping_is_left_to_the_connector_refusal():
    connector = ("<bpmn:extensionElements><camunda:connector><camunda:inputOutput>"
                 '<camunda:inputParameter name="url">http://example.org</camunda:inputParameter>'
                 "</camunda:inputOutput><camunda:connectorId>http-connector</camunda:connectorId>"
                 "</camunda:connector></bpmn:extensionElements>")
    found = problems(chain("c", f'<bpmn:serviceTask id="{{id}}" name="Call">{connector}</bpmn:serviceTask>'))
    assert found and not any("input/output mapping" in f for f in found), found


def test_each_instance_of_a_multi_instance_task_gets_its_own_inputs_and_keeps_them():
    review = ('<bpmn:userTask id="{id}" name="Review" camunda:candidateGroups="supervisor">'
              + io(param("input", "note", "For ${reviewer}"))
              + '<bpmn:multiInstanceLoopCharacteristics camunda:collection="${reviewers}" '
                'camunda:elementVariable="reviewer" /></bpmn:userTask>')
    workflow = started(chain("reviews", review), {"reviewers": ["ann", "ben"]})
    steps = workflow.ready_manual_tasks()
    assert sorted(step.data["note"] for step in steps) == ["For ann", "For ben"]
    for step in steps:
        workflow.complete(step, {"seen": True})
        workflow.run(lambda step: None, lambda step: None)
    assert "note" not in end_data(workflow)
