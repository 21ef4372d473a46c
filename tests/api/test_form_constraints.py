"""camunda:formData constraints and defaults: the staff task API and the start-form endpoint expose every one, the
server checks them on completion, and constraints or form keys Batho cannot honour are refused at deploy."""

from __future__ import annotations

import pytest

from engine.services import cases, deployment
from tests.support.drive import open_task, open_tasks

FIELDS = """
      <camunda:formField id="meter" label="Meter reading" type="long" defaultValue="100">
        <camunda:validation><camunda:constraint name="required" />
          <camunda:constraint name="min" config="0" /><camunda:constraint name="max" config="99999" />
        </camunda:validation></camunda:formField>
      <camunda:formField id="note" label="Note" type="string" defaultValue="Read on site">
        <camunda:validation><camunda:constraint name="minlength" config="3" />
          <camunda:constraint name="maxlength" config="20" /></camunda:validation></camunda:formField>
      <camunda:formField id="account" label="Account" type="string">
        <camunda:validation><camunda:constraint name="readonly" /></camunda:validation></camunda:formField>
      <camunda:formField id="kind" label="Kind of meter" type="enum" defaultValue="water">
        <camunda:value id="water" name="Water" /><camunda:value id="power" name="Electricity" />
      </camunda:formField>"""


def diagram(fields: str = FIELDS, task_attributes: str = "", start_fields: str = FIELDS) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_meter" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="meter_check" name="Meter check" isExecutable="true"
                camunda:candidateStarterGroups="customer_care_agent">
    <bpmn:startEvent id="start"><bpmn:extensionElements><camunda:formData>{start_fields}
    </camunda:formData></bpmn:extensionElements></bpmn:startEvent>
    <bpmn:userTask id="read" name="Read the meter" camunda:candidateGroups="customer_care_agent" {task_attributes}>
      <bpmn:extensionElements><camunda:formData>{fields}</camunda:formData></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="read" />
    <bpmn:sequenceFlow id="f2" sourceRef="read" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.fixture
def meter(batho, people):
    deployment.deploy_sources(batho, {"meter.bpmn": diagram()}, people["owner"].id)
    return cases.start_process(batho, "meter_check", {"account": "AC-1", "meter": 5})


def _refused(batho, people, source: str) -> list[str]:
    with pytest.raises(deployment.DeploymentError) as refused:
        deployment.deploy_sources(batho, {"meter.bpmn": source}, people["owner"].id)
    return [p["message"] for p in refused.value.problems]


def test_the_task_api_exposes_every_constraint_default_and_option(client, batho, bearer, meter):
    task_id = open_task(batho, meter, "read").id
    detail = client.get(f"/api/v1/tasks/{task_id}", headers=bearer("agent"))
    assert detail.status_code == 200, detail.get_data(as_text=True)
    fields = {f["id"]: f for f in detail.get_json()["form"]["fields"]}
    assert fields["meter"] == {"id": "meter", "label": "Meter reading", "type": "long", "required": True,
                               "readonly": False, "default": "100", "min": "0", "max": "99999", "minlength": None,
                               "maxlength": None, "multiline": False, "options": []}
    assert (fields["note"]["minlength"], fields["note"]["maxlength"], fields["note"]["default"]) == (3, 20,
                                                                                                     "Read on site")
    assert fields["account"]["readonly"] is True
    assert fields["kind"]["options"] == [{"id": "water", "name": "Water"}, {"id": "power", "name": "Electricity"}]
    assert fields["kind"]["default"] == "water"


def test_completion_is_checked_against_the_constraints_on_the_server(client, batho, bearer, meter):
    task_id = open_task(batho, meter, "read").id
    url = f"/api/v1/tasks/{task_id}"
    client.post(f"{url}/claim", headers=bearer("agent"))
    wrong = client.post(f"{url}/complete", headers=bearer("agent"),
                        json={"meter": 100000, "note": "ab", "kind": "gas"})
    assert wrong.status_code == 400
    errors = wrong.get_json()["errors"]
    assert errors["meter"] == "Meter reading: Enter a value of at most 99999."
    assert errors["note"] == "Note: Write at least 3 characters."
    assert errors["kind"] == "Kind of meter: Choose one of: Water, Electricity."
    too_long = client.post(f"{url}/complete", headers=bearer("agent"), json={"meter": 7, "note": "x" * 21})
    assert too_long.get_json()["errors"]["note"] == "Note: at most 20 characters; you typed 21."
    assert client.post(f"{url}/complete", headers=bearer("agent"), json={"meter": ""}).get_json()["errors"][
        "meter"] == "Meter reading is required."
    assert open_tasks(batho, meter) == ["read"]  # nothing was lost or moved on
    # Absent fields take the diagram's defaults; a read-only field keeps what the process had.
    done = client.post(f"{url}/complete", headers=bearer("agent"), json={"account": "CHANGED"})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert open_tasks(batho, meter) == []


def test_the_start_form_endpoint_gives_fields_constraints_and_default_variables(client, batho, bearer, meter):
    answer = client.get("/api/v1/processes/meter_check/start-form", headers=bearer("agent"))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    form = answer.get_json()
    assert (form["key"], form["name"], form["version"]) == ("meter_check", "Meter check", 1)
    assert [f["id"] for f in form["fields"]] == ["meter", "note", "account", "kind"]
    assert form["fields"][0]["max"] == "99999" and form["fields"][1]["maxlength"] == 20
    assert form["variables"]["meter"] == {"type": "String", "value": "100", "valueInfo": {}}
    assert form["variables"]["account"] == {"type": "Null", "value": None, "valueInfo": {}}
    assert client.get("/api/v1/processes/meter_check/start-form", headers=bearer("officer")).status_code == 403
    missing = client.get("/api/v1/processes/no_such_process/start-form", headers=bearer("agent"))
    assert missing.status_code == 404 and missing.get_json()["error"] == "No process called 'no_such_process' is " \
                                                                          "deployed."
    assert client.get("/api/v1/processes/meter_check/start-form").status_code == 401


@pytest.mark.parametrize(("constraint", "sentence"), [
    ('<camunda:constraint name="validator" config="org.example.IbanValidator" />',
     'form field "Note" uses a custom validator ("org.example.IbanValidator"), which runs in Camunda\'s Java engine.'),
    ('<camunda:constraint name="pattern" config="[0-9]+" />',
     'form field "Note" has the constraint "pattern", which Batho does not know.'),
    ('<camunda:constraint name="maxlength" config="many" />',
     'form field "Note" has maxlength "many", which is not a whole number of characters.'),
    ('<camunda:constraint name="min" config="3" />',
     'form field "Note" has min on a string field; min and max apply to numbers'),
])
def test_constraints_batho_cannot_check_are_refused_with_a_sentence(batho, people, constraint, sentence):
    fields = ('<camunda:formField id="note" label="Note" type="string"><camunda:validation>'
              f"{constraint}</camunda:validation></camunda:formField>")
    messages = _refused(batho, people, diagram(fields=fields))
    assert any(m.startswith('User task "Read the meter" (read): ' + sentence) for m in messages), messages


def test_a_long_field_with_a_fractional_bound_is_refused(batho, people):
    fields = ('<camunda:formField id="count" label="Count" type="long"><camunda:validation>'
              '<camunda:constraint name="max" config="2.5" /></camunda:validation></camunda:formField>')
    assert any('has max "2.5", which is not a whole number.' in m for m in _refused(batho, people,
                                                                                    diagram(fields=fields)))


@pytest.mark.parametrize("key", ["embedded:app:forms/x.html", "app:forms/x.html", "embedded:deployment:x.html",
                                 "deployment:x.html", "https://forms.example.org/x"])
def test_html_form_keys_are_refused_at_deploy(batho, people, key):
    messages = _refused(batho, people, diagram(task_attributes=f'camunda:formKey="{key}"'))
    assert f"User task \"Read the meter\" (read): Form key '{key}' points at an HTML form inside a Java web " \
           "application, which Batho cannot show. Use Form fields (camunda:formData) or a Camunda Form (.form)." \
           in messages


def test_a_form_key_that_is_only_a_name_beside_form_fields_deploys(batho, people):
    deployed = deployment.deploy_sources(batho, {"meter.bpmn": diagram(task_attributes='camunda:formKey="Meter"')},
                                         people["owner"].id)
    assert [d.key for d in deployed] == ["meter_check"]
