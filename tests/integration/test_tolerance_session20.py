"""Diagrams as Camunda Modeler and bpmn.io leave them deploy and run: metadata written twice, "Executable" not
ticked, no start event, a gateway path without a condition; each deploy says what Batho assumed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import DeploymentError
from engine.models import ProcessVersion
from engine.services import cases, deployment, drafts, modeling
from tests.support.drive import do, instance, open_tasks

MODELER = "http://camunda.org/schema/modeler/1.0"
# As Camunda Modeler 5 wrote it for an Operaton playground: the metadata twice on <definitions>, no start event,
# the process not ticked "Executable", and the gateway's "otherwise" path without a condition.
LARGE = """<bpmn:sequenceFlow id="big" name="Large" sourceRef="gw" targetRef="approve">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${amount &gt; 1000}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>"""
OTHERWISE = '<bpmn:sequenceFlow id="otherwise" name="Otherwise" sourceRef="gw" targetRef="file" />'
ANY = """<bpmn:sequenceFlow id="any" name="Any amount" sourceRef="gw" targetRef="approve">
      <bpmn:conditionExpression>amount &gt; 0</bpmn:conditionExpression>
    </bpmn:sequenceFlow>"""


def as_found(*paths: str) -> str:
    """As Camunda Modeler 5 wrote it for an Operaton playground: the metadata twice on <definitions>, no start
    event, the process not ticked "Executable"; the gateway's paths in the order given."""
    flows = "\n    ".join(paths)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:modeler="{MODELER}"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="http://bpmn.io/schema/bpmn"
  modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.21"
  modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.20.0">
  <bpmn:process id="as_found" name="As found" isExecutable="false">
    <bpmn:exclusiveGateway id="gw" name="How much?" />
    {flows}
    <bpmn:userTask id="approve" name="Approve" />
    <bpmn:userTask id="file" name="File it" />
  </bpmn:process>
</bpmn:definitions>
"""


AS_FOUND = as_found(LARGE, OTHERWISE)


def _rules(deployed: list[deployment.Deployed]) -> set[str]:
    return {warning["rule"] for d in deployed for warning in d.warnings}


@pytest.mark.parametrize(("amount", "task"), [(5000, "approve"), (20, "file")])
def test_a_diagram_as_found_deploys_with_warnings_and_its_case_runs_to_the_end(batho, people, amount, task):
    deployed = deployment.deploy_sources(batho, {"as_found.bpmn": AS_FOUND})
    assert [d.key for d in deployed] == ["as_found"]
    assert _rules(deployed) >= {"xml-repeated-attribute", "executable", "start", "condition"}
    reference = cases.start_process(batho, "as_found", {"amount": amount})
    assert open_tasks(batho, reference) == [task]
    do(batho, people["supervisor"], reference, task)  # nobody is named: BATHO_UNASSIGNED_TASK_ROLE works it
    assert instance(batho, reference).status == "completed"


def test_the_stored_file_stays_as_uploaded(batho):
    deployment.deploy_sources(batho, {"as_found.bpmn": AS_FOUND})
    with batho.db.reading() as session:
        stored = session.scalars(select(ProcessVersion).where(ProcessVersion.key == "as_found")).first()
        assert stored is not None
        assert stored.bpmn_files["as_found.bpmn"] == AS_FOUND


def test_a_path_after_the_one_without_a_condition_is_never_taken_as_in_camunda_7(batho):
    # Camunda 7 tries "Large", then "Otherwise" (no condition: taken); "Any amount" comes after it in the file
    deployed = deployment.deploy_sources(batho, {"later.bpmn": as_found(LARGE, OTHERWISE, ANY)})
    said = [w["message"] for d in deployed for w in d.warnings if w["element_id"] == "any"]
    assert said and "is never taken" in said[0]
    reference = cases.start_process(batho, "as_found", {"amount": 20})
    assert open_tasks(batho, reference) == ["file"], "Any amount holds, but Otherwise comes first in the file"


def test_two_paths_without_a_condition_are_refused_as_camunda_7_refuses_them(batho):
    also_bare = '<bpmn:sequenceFlow id="also" sourceRef="gw" targetRef="approve" />'
    with pytest.raises(DeploymentError) as refused:
        deployment.deploy_sources(batho, {"both.bpmn": as_found(also_bare, OTHERWISE)})
    messages = [p["message"] for p in refused.value.problems]
    assert any("Camunda 7 refuses this too" in m and "without a condition" in m for m in messages), messages


def test_the_deploy_confirmation_and_the_draft_name_the_unticked_process_that_will_run(batho, people):
    owner = people["owner"]
    _, previews = modeling.preview(batho, owner, {"as_found.bpmn": AS_FOUND})
    assert [p.key for p in previews] == ["as_found"]
    draft = drafts.save(batho, owner, {"as_found.bpmn": AS_FOUND})
    assert drafts.load(batho, owner, draft).process_key == "as_found"
    drafts.delete(batho, owner, draft)
