"""Camunda Forms (.form JSON made with Camunda Modeler's form editor) deploy with the diagram: a task that names one
by camunda:formRef or formKey takes its inputs as its form, checked on the server; what Batho cannot honour (FEEL,
patterns, components it cannot check, HTML form keys, a form not among the files) is refused with a sentence."""

from __future__ import annotations

import json

import pytest

from engine.services import cases, deployment, modeling
from tests.support.drive import open_task, open_tasks

METER_FORM = {
    "type": "default", "id": "meterForm", "schemaVersion": 16,
    "exporter": {"name": "Camunda Modeler", "version": "5.31.0"},
    "components": [
        {"type": "text", "text": "# Meter reading", "id": "Field_intro"},
        {"type": "number", "key": "reading", "label": "Reading", "id": "Field_r", "decimalDigits": 0,
         "validate": {"required": True, "min": 0, "max": 99999}},
        {"type": "textfield", "key": "note", "label": "Note", "id": "Field_n",
         "validate": {"minLength": 3, "maxLength": 20}, "defaultValue": "Read on site"},
        {"type": "select", "key": "kind", "label": "Kind of meter", "id": "Field_k",
         "values": [{"label": "Water", "value": "water"}, {"label": "Electricity", "value": "power"}],
         "validate": {"required": True}},
        {"type": "checkbox", "key": "estimated", "label": "Estimated", "id": "Field_e"},
    ],
}

TASK = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_f" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="form_task" name="Form task" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="fill" name="Fill the form" camunda:candidateGroups="customer_care_agent" {attributes} />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill" />
    <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""
BY_REF = 'camunda:formRef="meterForm" camunda:formRefBinding="latest"'


def files(attributes: str = BY_REF, form: dict | None = None) -> dict[str, str]:
    return {"meter.bpmn": TASK.format(attributes=attributes), "meter.form": json.dumps(form or METER_FORM)}


def _messages(batho, people, sources: dict[str, str]) -> list[str]:
    with pytest.raises(deployment.DeploymentError) as refused:
        deployment.deploy_sources(batho, sources, people["owner"].id)
    return [p["message"] for p in refused.value.problems]


@pytest.mark.parametrize("attributes", [BY_REF, 'camunda:formKey="camunda-forms:deployment:meter.form"'])
def test_a_task_showing_a_camunda_form_takes_its_fields_and_constraints(client, batho, people, bearer, attributes):
    deployment.deploy_sources(batho, files(attributes), people["owner"].id)
    reference = cases.start_process(batho, "form_task", {})
    task_id = open_task(batho, reference, "fill").id
    detail = client.get(f"/api/v1/tasks/{task_id}", headers=bearer("agent")).get_json()
    fields = {f["id"]: f for f in detail["form"]["fields"]}
    assert list(fields) == ["reading", "note", "kind", "estimated"]
    assert (fields["reading"]["type"], fields["reading"]["required"], fields["reading"]["max"]) == ("long", True,
                                                                                                   "99999")
    assert (fields["note"]["minlength"], fields["note"]["maxlength"], fields["note"]["default"]) == (3, 20,
                                                                                                     "Read on site")
    assert fields["kind"]["options"] == [{"id": "water", "name": "Water"}, {"id": "power", "name": "Electricity"}]
    assert fields["estimated"]["type"] == "boolean"


def test_values_are_checked_against_the_form_on_the_server_before_completing(client, batho, people, bearer):
    deployment.deploy_sources(batho, files(), people["owner"].id)
    reference = cases.start_process(batho, "form_task", {})
    url = f"/api/v1/tasks/{open_task(batho, reference, 'fill').id}"
    client.post(f"{url}/claim", headers=bearer("agent"))
    wrong = client.post(f"{url}/complete", headers=bearer("agent"), json={"reading": 100000, "note": "ab",
                                                                           "kind": "gas"})
    assert wrong.status_code == 400
    assert wrong.get_json()["errors"] == {"reading": "Reading: Enter a value of at most 99999.",
                                          "note": "Note: Write at least 3 characters.",
                                          "kind": "Kind of meter: Choose one of: Water, Electricity."}
    assert open_tasks(batho, reference) == ["fill"]
    done = client.post(f"{url}/complete", headers=bearer("agent"), json={"reading": 4521, "kind": "water"})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert open_tasks(batho, reference) == []


def test_the_form_file_is_kept_with_the_version(batho, people):
    deployment.deploy_sources(batho, files(), people["owner"].id)
    kept = modeling.version_files(batho, people["owner"], "form_task", 1)
    assert json.loads(kept["meter.form"])["id"] == "meterForm"


def test_a_form_not_among_the_files_is_refused(batho, people):
    messages = _messages(batho, people, {"meter.bpmn": TASK.format(attributes=BY_REF)})
    assert any("it uses the Camunda Form 'meterForm' (camunda:formRef), which is not among the files" in m
               for m in messages), messages
    messages = _messages(batho, people, {"meter.bpmn": TASK.format(
        attributes='camunda:formKey="camunda-forms:deployment:other.form"')})
    assert any("Form key 'camunda-forms:deployment:other.form' points at the Camunda Form other.form, which is not "
               "among the files. Deploy the .form file with the diagram." in m for m in messages), messages


@pytest.mark.parametrize(("component", "sentence"), [
    ({"type": "textfield", "key": "iban", "label": "IBAN", "validate": {"pattern": "[A-Z]{2}[0-9]+"}},
     'meter.form: the component "IBAN" asks for pattern checks; Batho checks required, minLength, maxLength, min '
     "and max."),
    ({"type": "textfield", "key": "x", "label": "Shown if", "conditional": {"hide": "=kind = \"water\""}},
     'meter.form: the component "Shown if" uses a FEEL expression or condition, which Batho does not evaluate.'),
    ({"type": "filepicker", "key": "photo", "label": "Photo"},
     'meter.form: the filepicker component "Photo" is not one Batho can check'),
    ({"type": "select", "key": "ward", "label": "Ward", "valuesKey": "wards"},
     'meter.form: the component "Ward" takes its options from wards; list its values in the form instead.'),
])
def test_what_batho_cannot_honour_in_a_form_is_refused(batho, people, component, sentence):
    form = {**METER_FORM, "components": [*METER_FORM["components"], component]}
    messages = _messages(batho, people, files(form=form))
    assert any(m.startswith(sentence) for m in messages), messages


def test_a_file_that_is_not_a_camunda_form_is_refused(batho, people):
    messages = _messages(batho, people, {**files(), "meter.form": "{\"not\": \"a form\"}"})
    assert any("meter.form is not a Camunda Form" in m for m in messages), messages


def test_a_form_key_naming_nothing_is_refused(batho, people):
    messages = _messages(batho, people, files('camunda:formKey="Meter form"'))
    assert any("Form key 'Meter form' names a form Batho does not have." in m for m in messages), messages
