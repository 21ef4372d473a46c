"""Late binding of call activities and decisions: what the lint says, and the parts the engine binds with."""

from __future__ import annotations

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.bpmn.call_binding import LateCalls, NotDeployedYet, Wanted, wanted_of
from engine.bpmn.lint import lint
from engine.bpmn.specs import parse
from tests.fixtures.make import process

ROLES = [("customer_care_agent", "Customer Care Agent")]


def calling(attributes: str = "", called: str = "meter_check") -> str:
    return process("billing_query", f"""
    <bpmn:startEvent id="start" />
    <bpmn:callActivity id="call" name="Check the meter" calledElement="{called}" {attributes} />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
""")


def references(files: dict[str, str]) -> list[tuple[str, str]]:
    return [(p.severity, p.message) for p in lint(files, ROLES) if p.rule == "reference"]


def test_a_call_outside_the_files_is_a_warning_naming_what_the_files_hold():
    other = process("meter_round", '<bpmn:startEvent id="s2" /><bpmn:endEvent id="e2" />'
                                   '<bpmn:sequenceFlow id="g1" sourceRef="s2" targetRef="e2" />')
    assert references({"billing.bpmn": calling(), "round.bpmn": other}) == [(
        "warning", 'Call activity "Check the meter" (call) calls process "meter_check", which is not deployed yet: a '
                   'case that reaches this step stops there, as an incident, until "meter_check" is deployed. '
                   "Processes in these files: meter_round; correct the name if it is one of them.")]


@pytest.mark.parametrize(("attributes", "said"), [
    ('camunda:calledElementBinding="deployment"', 'of its own deployment (binding "deployment"), which is not in '
                                                  "the files"),
    ('camunda:calledElementBinding="version" camunda:calledElementVersion="two"', "its version is not a whole number"),
    ('camunda:calledElementBinding="newest"', 'has the binding "newest", which Batho does not know'),
])
def test_a_binding_that_cannot_be_kept_is_refused(attributes, said):
    [(severity, message)] = references({"billing.bpmn": calling(attributes)})
    assert severity == "error" and said in message


def test_a_called_element_written_as_an_expression_is_refused():
    [(severity, message)] = references({"billing.bpmn": calling(called="${whichProcess}")})
    assert severity == "error" and 'calls "${whichProcess}", an expression, which Batho cannot work out' in message


def test_a_decision_deployed_nowhere_is_a_warning():
    body = """<bpmn:startEvent id="start" /><bpmn:businessRuleTask id="decide" camunda:decisionRef="tariff" />
    <bpmn:endEvent id="end" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end" />"""
    assert references({"t.bpmn": process("tariff_query", body)}) == [(
        "warning", 'Decision task decide uses decision "tariff", which is not deployed yet: a case that reaches this '
                   'step stops there, as an incident, until "tariff" is deployed.')]


def test_the_parse_keeps_calls_outside_the_files_for_later():
    parsed = parse({"billing.bpmn": calling('camunda:calledElementBinding="version" camunda:calledElementVersion="3"')},
                   {})["billing_query"]
    assert parsed.late_calls == {"meter_check"} and parsed.subprocess_specs == {}
    assert parsed.spec.task_specs["call"].wanted == Wanted("meter_check", version=3)


def test_the_binding_attributes_are_read_as_camunda_writes_them():
    def node(attributes: str) -> etree._Element:
        return etree.fromstring(f'<c xmlns:camunda="http://camunda.org/schema/1.0/bpmn" {attributes}/>')

    assert wanted_of(node(""), "x") == Wanted("x")
    assert wanted_of(node('camunda:calledElementBinding="version" camunda:calledElementVersion="4"'), "x") == \
        Wanted("x", version=4)
    assert wanted_of(node('camunda:calledElementBinding="versionTag" camunda:calledElementVersionTag="v1"'),
                     "x") == Wanted("x", tag="v1")


def test_an_empty_mapping_of_late_calls_stays_the_workflows_own():
    parsed = parse({"billing.bpmn": calling()}, {})["billing_query"]
    late = LateCalls({}, frozenset({"meter_check"}), None)
    workflow = BpmnWorkflow(parsed.spec, late)
    assert workflow.subprocess_specs is late  # BpmnWorkflow keeps `subprocess_specs or {}`
    assert late.bind(Wanted("meter_check")) is False  # nothing to look in: not deployed


def test_the_incident_says_the_sentence_alone():
    parsed = parse({"billing.bpmn": calling()}, {})["billing_query"]
    task = BpmnWorkflow(parsed.spec).get_tasks()[0]
    stop = NotDeployedYet("It is not deployed yet.", task=task)
    stop.add_note("Business Rule Task 'x'")
    assert str(stop) == "It is not deployed yet."
