"""Variants of the complaint process, changed as a process owner would change them in the modeler."""

from __future__ import annotations

import re

from engine.config import PROJECT_ROOT

WORKFLOWS = PROJECT_ROOT / "workflows"


def complaint_files(triage_label: str | None = None, investigate_label: str | None = None,
                    without_register: bool = False) -> dict[str, str]:
    """complaint.bpmn and its decision table, with the changes asked for."""
    bpmn = (WORKFLOWS / "complaint.bpmn").read_text(encoding="utf-8")
    if triage_label:
        bpmn = bpmn.replace('<camunda:formField id="triage_outcome" label="Outcome"',
                            f'<camunda:formField id="triage_outcome" label="{triage_label}"')
    if investigate_label:
        bpmn = bpmn.replace('name="Investigate and propose corrective action"', f'name="{investigate_label}"')
    if without_register:
        start = bpmn.index('<bpmn:scriptTask id="Task_register"')
        end = bpmn.index("</bpmn:scriptTask>", start) + len("</bpmn:scriptTask>")
        bpmn = bpmn[:start] + bpmn[end:]
        bpmn = bpmn.replace('<bpmn:flowNodeRef>Task_register</bpmn:flowNodeRef>', "")
        bpmn = bpmn.replace('<bpmn:sequenceFlow id="Flow_3" sourceRef="Task_register" targetRef="Task_triage" />', "")
        bpmn = bpmn.replace('<bpmn:sequenceFlow id="Flow_2" sourceRef="Task_route" targetRef="Task_register" />',
                            '<bpmn:sequenceFlow id="Flow_2" sourceRef="Task_route" targetRef="Task_triage" />')
        bpmn = bpmn.replace("<bpmn:incoming>Flow_3</bpmn:incoming>", "<bpmn:incoming>Flow_2</bpmn:incoming>")
        bpmn = _without_shapes(bpmn, ["Task_register", "Flow_3"])
    return {"complaint.bpmn": bpmn,
            "complaint_routing.dmn": (WORKFLOWS / "complaint_routing.dmn").read_text(encoding="utf-8")}


def _without_shapes(bpmn: str, ids: list[str]) -> str:
    """Drop the diagram shapes and edges of removed elements."""
    for element in ids:
        bpmn = re.sub(rf'<bpmndi:(BPMNShape|BPMNEdge) id="{element}_di".*?</bpmndi:\1>', "", bpmn, flags=re.S)
    return bpmn
