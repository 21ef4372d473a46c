"""A user task that names nobody deploys, goes to BATHO_UNASSIGNED_TASK_ROLE and is said as a warning."""

from __future__ import annotations

import io

from engine.bpmn.specs import SpecCache
from engine.services import cases, deployment, tasks
from tests.fixtures.make import process
from tests.modeler.diagrams import complaint_files
from tests.support.drive import open_task
from tests.support.web import post_json


def approve(key: str, attributes: str = "", lane: str = "") -> str:
    """start -> user task 'Approve' (in a lane called `lane` when given) -> end."""
    lanes = (f'<bpmn:laneSet id="ls"><bpmn:lane id="l1" name="{lane}"><bpmn:flowNodeRef>approve</bpmn:flowNodeRef>'
             "</bpmn:lane></bpmn:laneSet>") if lane else ""
    return process(key, f"""{lanes}
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="approve" name="Approve" {attributes} />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
""")


NO_LANE = ("Task 'Approve' has no lane, assignee or candidate groups: it goes to Supervisor "
           "(BATHO_UNASSIGNED_TASK_ROLE). Set Candidate groups in the Assignments section to choose who works it.")


def available(batho, who) -> list[str]:
    return [t.id for t in tasks.available_tasks(batho, who)]


def test_the_api_deploys_a_task_outside_any_lane_and_lists_the_warning(batho, client, bearer, people):
    upload = {"file": [(io.BytesIO(approve("unassigned_a").encode()), "unassigned_a.bpmn")]}
    response = client.post("/api/v1/processes", data=upload, headers=bearer("owner"))
    assert response.status_code == 201, response.get_data(as_text=True)
    (warning,) = response.get_json()["warnings"]
    assert warning["message"] == NO_LANE
    assert (warning["severity"], warning["element_id"], warning["file"]) == ("warning", "approve", "unassigned_a.bpmn")
    task = open_task(batho, cases.start_process(batho, "unassigned_a", {}), "approve")
    assert task.candidate_role == "supervisor"
    assert task.id in available(batho, people["supervisor"])
    assert task.id not in available(batho, people["agent"])
    tasks.complete(batho, people["supervisor"], task.id, {})


def test_a_lane_that_is_no_role_is_drawing_and_the_task_goes_to_the_unassigned_role(batho, people):
    (deployed,) = deployment.deploy_sources(batho, {"b.bpmn": approve("unassigned_b", lane="Clerks")})
    (warning,) = deployed.warnings
    assert warning["message"].startswith("Lane 'Clerks' is not a role (roles: ")
    assert warning["message"].endswith("and task 'Approve' has no assignee or candidate groups: it goes to "
                                       "Supervisor (BATHO_UNASSIGNED_TASK_ROLE). Set Candidate groups in the "
                                       "Assignments section to choose who works it.")
    task = open_task(batho, cases.start_process(batho, "unassigned_b", {}), "approve")
    assert (task.lane, task.candidate_role) == ("Clerks", "supervisor")


def test_a_lane_that_is_no_role_says_nothing_when_the_task_names_its_group(batho, people):
    files = {"c.bpmn": approve("unassigned_c", 'camunda:candidateGroups="manager"', lane="Clerks")}
    (deployed,) = deployment.deploy_sources(batho, files)
    assert deployed.warnings == ()
    task = open_task(batho, cases.start_process(batho, "unassigned_c", {}), "approve")
    assert task.candidate_role == "manager" and task.id not in available(batho, people["supervisor"])


def test_an_assignee_alone_is_enough_and_the_task_is_not_also_given_to_the_unassigned_role(batho, people):
    (deployed,) = deployment.deploy_sources(batho, {"d.bpmn": approve("unassigned_d", 'camunda:assignee="officer"')})
    assert deployed.warnings == ()
    task = open_task(batho, cases.start_process(batho, "unassigned_d", {}), "approve")
    assert task.assignee_id == people["officer"].id and task.candidate_role is None


def test_the_configured_role_gets_the_task_and_is_named_in_the_warning(batho, people):
    batho.specs = SpecCache("manager")  # BATHO_UNASSIGNED_TASK_ROLE=manager (composition.py passes it here)
    (deployed,) = deployment.deploy_sources(batho, {"e.bpmn": approve("unassigned_e")})
    assert "it goes to Manager (BATHO_UNASSIGNED_TASK_ROLE)" in deployed.warnings[0]["message"]
    task = open_task(batho, cases.start_process(batho, "unassigned_e", {}), "approve")
    assert task.candidate_role == "manager"
    assert task.id in available(batho, people["manager"]) and task.id not in available(batho, people["supervisor"])


def test_the_modeler_checks_and_deploys_with_the_warning_listed_apart(batho, browsers):
    owner = browsers("owner")
    files = complaint_files()
    files["complaint.bpmn"] = files["complaint.bpmn"].replace('name="Supervisor"', 'name="Bosses"')
    checked = post_json(owner, "/modeler/api/check", {"files": files}, "/modeler/complaint/1/edit").get_json()
    assert checked["problems"] == [] and checked["message"].startswith("No problems found: this can be deployed.")
    assert "1 warning" in checked["message"]
    assert [w["element_id"] for w in checked["warnings"]] == ["Task_approve"]
    preview = post_json(owner, "/modeler/api/preview", {"files": files}, "/modeler/complaint/1/edit")
    assert preview.status_code == 200 and len(preview.get_json()["warnings"]) == 1
    deployed = post_json(owner, "/modeler/api/deploy", {"files": files, "confirmed": True},
                         "/modeler/complaint/1/edit")
    assert deployed.status_code == 200, deployed.get_data(as_text=True)
    assert "Lane 'Bosses' is not a role" in deployed.get_json()["warnings"][0]["message"]
    page = owner.get("/modeler/complaint/").get_data(as_text=True)
    assert "Deployed: complaint version 2" in page and "Warning: Lane &#39;Bosses&#39; is not a role" in page
