"""In Chromium, under the site's CSP: a task showing a Camunda Form is drawn by form-js, which checks the values
before they are sent; the completed task's values are kept and the instance moves on."""

from __future__ import annotations

import json

from engine.services import cases, deployment
from tests.support.browser import Person, assert_accessible, screenshot
from tests.support.drive import events, open_task, open_tasks

FORM = {
    "type": "default", "id": "readingForm", "schemaVersion": 16,
    "components": [
        {"type": "text", "text": "Read the meter at the property and note what you saw.", "id": "Field_intro"},
        {"type": "number", "key": "reading", "label": "Meter reading", "id": "Field_r", "decimalDigits": 0,
         "validate": {"required": True, "min": 0, "max": 99999}},
        {"type": "radio", "key": "kind", "label": "Kind of meter", "id": "Field_k", "validate": {"required": True},
         "values": [{"label": "Water", "value": "water"}, {"label": "Electricity", "value": "power"}]},
        {"type": "textarea", "key": "note", "label": "What you saw", "id": "Field_n",
         "validate": {"maxLength": 200}},
        {"type": "checkbox", "key": "estimated", "label": "The reading is an estimate", "id": "Field_e"},
    ],
}
DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_r" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="meter_reading" name="Meter reading" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="read" name="Read the meter" camunda:candidateGroups="customer_care_agent"
                   camunda:formRef="readingForm" camunda:formRefBinding="latest" />
    <bpmn:userTask id="check" name="Check the reading" camunda:candidateGroups="customer_care_agent" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="read" />
    <bpmn:sequenceFlow id="f2" sourceRef="read" targetRef="check" />
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def _reviewer(chromium, live, task_id: str):
    """The same task page for axe-core, in a context that lets it inject its script (the CSP would refuse it)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    reviewer = Person(page=context.new_page(), base=live)
    reviewer.sign_in("agent")
    page = reviewer.go(f"/tasks/{task_id}")
    page.locator("[data-camunda-form] .fjs-form").wait_for()
    return page


def test_an_agent_completes_a_camunda_form_drawn_by_form_js(chromium, live, batho, people):
    deployment.deploy_sources(batho, {"reading.bpmn": DIAGRAM, "reading.form": json.dumps(FORM)},
                              people["owner"].id)
    reference = cases.start_process(batho, "meter_reading", {})
    task_id = open_task(batho, reference, "read").id
    context = chromium.new_context(viewport={"width": 1280, "height": 900})  # the CSP stays on
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    agent = Person(page=page, base=live)
    agent.sign_in("agent")
    agent.go(f"/tasks/{task_id}")
    drawn = page.locator("[data-camunda-form]")
    drawn.locator(".fjs-form").wait_for()
    assert page.locator("[data-batho-field]").is_hidden()  # Batho's own fields give way to form-js
    drawn.get_by_label("Meter reading").fill("100000")
    page.click("button:has-text('Complete task')")
    assert drawn.locator(".fjs-form-field-error").first.is_visible()  # form-js checks before anything is sent
    assert open_tasks(batho, reference) == ["read"]
    drawn.get_by_label("Meter reading").fill("4521")
    drawn.get_by_label("Meter reading").press("Tab")  # its error goes on leaving the field: the layout settles
    drawn.get_by_label("Water").click()
    drawn.get_by_label("What you saw").fill("Meter behind the gate, dial clean.")
    drawn.get_by_label("The reading is an estimate").click()
    assert drawn.get_by_label("Water").is_checked()
    screenshot(page, "camunda-form-task")
    assert_accessible(_reviewer(chromium, live, task_id), "a task drawn by form-js")
    page.click("button:has-text('Complete task')")
    page.wait_for_url(lambda url: task_id not in url)
    assert open_tasks(batho, reference) == ["check"]
    [done] = [e for e in events(batho, reference, "completed") if e.task_name == "read"]
    assert done.data == {"reading": 4521, "kind": "water", "note": "Meter behind the gate, dial clean.",
                                   "estimated": True}
    assert refused == []
    context.close()


def test_the_modeler_keeps_an_uploaded_form_as_it_is(chromium, live, batho, people, tmp_path):
    from engine.services import drafts

    (tmp_path / "reading.bpmn").write_text(DIAGRAM, encoding="utf-8")
    (tmp_path / "reading.form").write_text(json.dumps(FORM), encoding="utf-8")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    owner = Person(page=context.new_page(), base=live)
    errors: list[str] = []
    owner.page.on("pageerror", lambda error: errors.append(str(error)))
    owner.sign_in("owner")
    page = owner.go("/modeler/")
    page.set_input_files("#upload-files", [str(tmp_path / "reading.bpmn"), str(tmp_path / "reading.form")])
    page.click("text=Upload and check")
    page.wait_for_selector("#modeler[data-ready=true]")
    page.click("[role=tab][data-file='reading.form']")
    page.wait_for_selector("#modeler-status:has-text('reading.form is a Camunda Form')")
    page.click("[role=tab][data-file='reading.bpmn']")
    page.click("button[data-modeler-action=save]")
    page.wait_for_selector("#modeler-status:has-text('Saved')")
    draft_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    assert json.loads(drafts.load(batho, people["owner"], draft_id).files["reading.form"]) == FORM
    assert errors == []
    context.close()
