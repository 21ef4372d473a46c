"""Camunda Forms (.form, made with Camunda Modeler's form editor) are not drawn yet: a diagram that points at one,
by form key or form reference, is refused at deploy with a sentence instead of running with no form."""

from __future__ import annotations

import pytest

from engine.services import deployment

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


def _messages(batho, people, attributes: str) -> list[str]:
    with pytest.raises(deployment.DeploymentError) as refused:
        deployment.deploy_sources(batho, {"f.bpmn": TASK.format(attributes=attributes)}, people["owner"].id)
    return [p["message"] for p in refused.value.problems]


def test_a_camunda_form_key_is_refused_with_the_way_out(batho, people):
    messages = _messages(batho, people, 'camunda:formKey="camunda-forms:deployment:meter.form"')
    assert ('User task "Fill the form" (fill): Form key \'camunda-forms:deployment:meter.form\' points at the '
            "Camunda Form meter.form. Batho does not show Camunda Forms (.form files) yet. Use Form fields "
            "(camunda:formData) instead.") in messages


def test_a_camunda_form_reference_is_refused_with_the_way_out(batho, people):
    messages = _messages(batho, people, 'camunda:formRef="meterForm" camunda:formRefBinding="latest"')
    assert any("it uses the Camunda Form 'meterForm' (camunda:formRef). Batho does not show Camunda Forms" in m
               for m in messages), messages


def test_a_form_key_naming_nothing_is_refused(batho, people):
    messages = _messages(batho, people, 'camunda:formKey="Meter form"')
    assert any("Form key 'Meter form' names a form Batho does not have." in m for m in messages), messages


def test_a_form_file_cannot_be_deployed_yet(batho, people):
    with pytest.raises(deployment.DeploymentError) as refused:
        deployment.deploy_sources(batho, {"f.bpmn": TASK.format(attributes=""), "meter.form": "{}"},
                                  people["owner"].id)
    assert any("only .bpmn and .dmn files" in p["message"] for p in refused.value.problems)
