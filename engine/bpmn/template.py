"""The diagram a new process starts from: a pool with one lane, a start form, one user task and an end."""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

KEY = re.compile(r"^[a-z][a-z0-9_]{1,59}$")

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="Definitions_{key}" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Batho" exporterVersion="1.0">
  <bpmn:collaboration id="Collaboration_{key}">
    <bpmn:participant id="Participant_{key}" name={name} processRef="{key}" />
  </bpmn:collaboration>
  <bpmn:process id="{key}" name={name} isExecutable="true">
    <bpmn:laneSet id="LaneSet_{key}">
      <bpmn:lane id="Lane_agent" name="Customer Care Agent">
        <bpmn:flowNodeRef>Start_{key}</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Task_handle</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End_{key}</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Start_{key}" name="Request received">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="description" label="Describe the request" type="string">
            <camunda:validation>
              <camunda:constraint name="required" />
              <camunda:constraint name="maxlength" config="4000" />
            </camunda:validation>
          </camunda:formField>
        </camunda:formData>
      </bpmn:extensionElements>
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="Task_handle" name="Handle the request">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="outcome" label="What was done" type="string">
            <camunda:validation>
              <camunda:constraint name="required" />
            </camunda:validation>
          </camunda:formField>
        </camunda:formData>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End_{key}" name="Done">
      <bpmn:incoming>Flow_2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_{key}" targetRef="Task_handle" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_handle" targetRef="End_{key}" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_{key}">
    <bpmndi:BPMNPlane id="Plane_{key}" bpmnElement="Collaboration_{key}">
      <bpmndi:BPMNShape id="Participant_{key}_di" bpmnElement="Participant_{key}" isHorizontal="true">
        <dc:Bounds x="120" y="80" width="600" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_agent_di" bpmnElement="Lane_agent" isHorizontal="true">
        <dc:Bounds x="150" y="80" width="570" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Start_{key}_di" bpmnElement="Start_{key}">
        <dc:Bounds x="212" y="162" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_handle_di" bpmnElement="Task_handle">
        <dc:Bounds x="330" y="140" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_{key}_di" bpmnElement="End_{key}">
        <dc:Bounds x="522" y="162" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1">
        <di:waypoint x="248" y="180" />
        <di:waypoint x="330" y="180" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2">
        <di:waypoint x="430" y="180" />
        <di:waypoint x="522" y="180" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def new_process(key: str, name: str) -> str:
    """A deployable diagram for process `key` (lower-case letters, digits and _) called `name`."""
    if not KEY.match(key):
        raise ValueError("The process id must start with a letter and use only lower-case letters, digits and _ "
                         "(2 to 60 characters), for example building_plans.")
    return TEMPLATE.format(key=key, name=quoteattr(name.strip() or key))
