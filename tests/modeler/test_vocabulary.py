"""The diagram vocabulary: the lint names every unknown, misplaced or wrong property, and the README shows the list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.bpmn import vocabulary
from engine.bpmn.lint import lint
from engine.services.identity import ROLES
from tests.fixtures.make import process
from tests.modeler.diagrams import WORKFLOWS

README = Path(__file__).resolve().parents[2] / "README.md"
LANE = """<bpmn:laneSet id="ls"><bpmn:lane id="lane_agent" name="Customer Care Agent">
      <bpmn:flowNodeRef>ask</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"""


def _props(**values: str) -> str:
    inner = "".join(f'<camunda:property name="{k}" value="{v}" />' for k, v in values.items())
    return f"<bpmn:extensionElements><camunda:properties>{inner}</camunda:properties></bpmn:extensionElements>"


def _diagram(start: str = "", task: str = "", gateway: str = "", field: str = "") -> dict[str, str]:
    form = (f'<camunda:formData><camunda:formField id="note" label="Note" type="string"><camunda:properties>'
            f"{field}</camunda:properties></camunda:formField></camunda:formData>") if field else ""
    task_xml = task.replace("</bpmn:extensionElements>", form + "</bpmn:extensionElements>") if task else (
        f"<bpmn:extensionElements>{form}</bpmn:extensionElements>" if form else "")
    body = f"""{LANE}
    <bpmn:startEvent id="start">{start}</bpmn:startEvent>
    <bpmn:userTask id="ask" name="Look at it">{task_xml}</bpmn:userTask>
    <bpmn:exclusiveGateway id="gw">{gateway}</bpmn:exclusiveGateway>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="gw" />
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="end" />"""
    return {"p.bpmn": process("p", body)}


def _only(files: dict[str, str]) -> tuple[str, str, str]:
    found = [(p.rule, p.element_id, p.message) for p in lint(files, list(ROLES.items()))]
    assert len(found) == 1, found
    return found[0]


def test_a_mistyped_property_is_named_with_the_one_meant():
    rule, element, message = _only(_diagram(task=_props(caseStatsu="closed")))
    assert (rule, element) == ("property", "ask")
    assert message == ('User task "Look at it" (ask): property "caseStatsu" is not one Batho knows, so it would do '
                       "nothing. Did you mean caseStatus?")


def test_an_unknown_property_far_from_any_is_a_warning_that_lists_what_batho_reads():
    [found] = lint(_diagram(task=_props(colour="blue")), list(ROLES.items()))
    assert found.severity == "warning"
    assert 'property "colour" is not one Batho knows; Batho ignores it' in found.message
    assert "caseStatus, publicNote" in found.message


def test_a_near_miss_of_a_batho_property_stays_an_error():
    [found] = lint(_diagram(task=_props(caseStatsu="closed")), list(ROLES.items()))
    assert found.severity == "error"


@pytest.mark.parametrize(("where", "values", "element", "words"), [
    ("gateway", {"caseStatus": "closed"}, "gw", "only works on tasks (not service, send or receive tasks)"),
    ("task", {"lodge": "citizen"}, "ask", "only works on the process's start event"),
])
def test_a_property_on_an_element_that_does_not_read_it_is_refused(where, values, element, words):
    rule, found, message = _only(_diagram(**{where: _props(**values)}))
    assert (rule, found) == ("property", element) and words in message


@pytest.mark.parametrize(("where", "values", "words"), [
    ("task", {"creditHold": "maybe"}, 'creditHold is "maybe", which Batho cannot use: use start or end.'),
    ("task", {"deviation": "later"}, "use open or record"),
    ("task", {"publicNote": "You owe $"}, "write fields as $name"),
    ("task", {"startData": "category=, =x"}, "field=data_name pairs"),
    ("start", {"openDetails": "yes"}, "use true or false"),
    ("start", {"lodge": "everyone"}, "use citizen, staff or system"),
    ("start", {"title": " "}, "write the text citizens read"),
])
def test_a_value_batho_cannot_use_is_refused(where, values, words):
    rule, _, message = _only(_diagram(**{where: _props(**values)}))
    assert rule == "property" and words in message


def test_a_form_field_property_is_checked_on_its_field():
    _, element, message = _only(_diagram(field='<camunda:property id="multilne" value="true" />'))
    assert element == "ask" and 'form field "Note", property "multilne"' in message and "Did you mean multiline?" in message


def test_every_status_a_process_sets_needs_its_sentence_once_it_writes_sentences():
    start = _props(**{"status.registered": "Registered."})
    rule, element, message = _only(_diagram(start=start, task=_props(caseStatus="closed")))
    assert (rule, element) == ("property", "ask")
    assert 'sets the status "closed", which has no sentence for citizens. Add status.closed' in message
    _, element, message = _only(_diagram(start=_props(**{"status.closed": "Closed."}), task=_props(caseStatus="closed")))
    assert element == "start" and "add status.registered" in message
    assert lint(_diagram(task=_props(caseStatus="closed")), list(ROLES.items())) == [], "no sentences: no rule"


def test_a_starter_attribute_only_works_on_the_process():
    files = _diagram()
    files["p.bpmn"] = files["p.bpmn"].replace('<bpmn:userTask id="ask"',
                                              '<bpmn:userTask camunda:candidateStarterGroups="manager" id="ask"')
    _, element, message = _only(files)
    assert element == "ask" and "camunda:candidateStarterGroups only works on the process" in message


def test_every_property_the_shipped_diagrams_use_is_in_the_vocabulary():
    used = set()
    for path in WORKFLOWS.glob("*.bpmn"):
        used |= set(re.findall(r'camunda:property (?:name|id)="([^"]+)"', path.read_text()))
    assert used and all(vocabulary.term(n) or vocabulary.term(n, "field property") for n in used), used


def test_the_readme_table_of_diagram_properties_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- diagram-properties:[^>]*-->\n(.*?)<!-- /diagram-properties -->", text, re.S)
    assert found, "README.md has lost its diagram-properties table"
    assert found.group(1) == vocabulary.markdown_table(), "run python -m engine.bpmn.vocabulary and paste its table"
