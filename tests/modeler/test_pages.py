"""The modeler's pages and JSON calls through the real app: permissions, drafts, check, deploy, versions."""

from __future__ import annotations

import io
import json
import re

import pytest

from engine.services import cases, drafts, tasks
from tests.modeler.diagrams import complaint_files
from tests.support.drive import instance, lodge
from tests.support.web import csrf_of, post_json


@pytest.mark.parametrize("username", ["agent", "supervisor", "manager"])
def test_staff_who_are_not_process_owners_are_refused(browsers, username):
    client = browsers(username)
    assert client.get("/modeler/").status_code == 403
    assert client.get("/modeler/complaint/").status_code == 403
    assert client.get("/modeler/complaint/1/edit").status_code == 403
    assert client.get("/modeler/complaint/1/files/complaint.bpmn").status_code == 403
    assert client.post("/modeler/complaint/1/rollback").status_code == 403
    response = post_json(client, "/modeler/api/deploy", {"files": complaint_files("Changed")}, "/tasks/")
    assert response.status_code == 403
    assert "process owners" in response.get_json()["message"]


def test_signed_out_visitors_are_sent_to_sign_in(browser):
    response = browser.get("/modeler/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["owner", "admin"])
def test_process_owners_and_admins_see_the_processes(browsers, username):
    page = browsers(username).get("/modeler/").get_data(as_text=True)
    assert "Complaint" in page and "/modeler/complaint/1/edit" in page


def test_a_deployed_version_opens_in_the_modeler_with_its_files(browsers):
    page = browsers("owner").get("/modeler/complaint/1/edit").get_data(as_text=True)
    assert 'id="modeler-files"' in page and "complaint_routing.dmn" in page and "build/modeler.js" in page


def test_deploying_from_the_modeler_makes_a_version_with_its_author_and_change_summary(browsers, batho, people):
    owner = browsers("owner")
    old_case = lodge(batho)
    response = post_json(owner, "/modeler/api/deploy", {"files": complaint_files("Triage outcome"),
                                                        "confirmed": True}, "/modeler/complaint/1/edit")
    assert response.status_code == 200 and response.get_json()["redirect"] == "/modeler/complaint/"
    page = owner.get("/modeler/complaint/").get_data(as_text=True)
    assert "Ayanda Nkosi" in page
    assert "Changed: Triage complaint (form)" in page
    assert instance(batho, old_case).version.version == 1
    assert instance(batho, lodge(batho)).version.version == 2


def test_a_deploy_with_problems_answers_with_each_problem_and_deploys_nothing(browsers):
    owner = browsers("owner")
    files = complaint_files()
    files["complaint.bpmn"] = files["complaint.bpmn"].replace('decision == "approve"', 'decision = "approve"')
    response = post_json(owner, "/modeler/api/deploy", {"files": files}, "/modeler/complaint/1/edit")
    assert response.status_code == 400
    body = response.get_json()
    assert body["message"].startswith("Not deployed: 1 problem")
    assert body["problems"][0]["element_id"] == "Flow_approved"
    assert "Version 2" not in owner.get("/modeler/complaint/").get_data(as_text=True)


def test_check_lists_problems_without_deploying(browsers):
    files = complaint_files()
    files["complaint.bpmn"] = files["complaint.bpmn"].replace('name="Supervisor"', 'name="Bosses"')
    files["complaint.bpmn"] = files["complaint.bpmn"].replace('decision == "approve"', 'decision = "approve"')
    response = post_json(browsers("owner"), "/modeler/api/check", {"files": files}, "/modeler/complaint/1/edit")
    assert response.status_code == 200
    assert {p["element_id"] for p in response.get_json()["problems"]} == {"Flow_approved"}
    # a lane that is no role is drawing: the task goes to BATHO_UNASSIGNED_TASK_ROLE, said as a warning
    (warning,) = response.get_json()["warnings"]
    assert warning["element_id"] == "Task_approve" and "Lane 'Bosses' is not a role" in warning["message"]


def test_a_draft_is_saved_without_deploying_and_opens_again(browsers, batho, people):
    owner = browsers("owner")
    response = post_json(owner, "/modeler/api/save", {"files": complaint_files("Draft label"), "title": "Try"},
                         "/modeler/complaint/1/edit")
    draft_id = response.get_json()["draft_id"]
    page = owner.get(f"/modeler/drafts/{draft_id}").get_data(as_text=True)
    assert "Draft label" in page and "Draft: Try" in page
    assert instance(batho, lodge(batho)).version.version == 1
    again = post_json(owner, "/modeler/api/save", {"files": complaint_files("Second"), "draft_id": draft_id},
                      "/modeler/complaint/1/edit")
    assert again.get_json()["draft_id"] == draft_id
    assert drafts.load(batho, people["owner"], draft_id).files["complaint.bpmn"].count("Second") == 1


def test_an_upload_becomes_a_draft_whose_problems_are_listed(browsers):
    owner = browsers("owner")
    bad = complaint_files()["complaint.bpmn"].replace('type="date"', 'type="color"')
    token = csrf_of(owner.get("/modeler/").get_data(as_text=True))
    response = owner.client.post("/modeler/upload", data={
        "csrf_token": token, "files": [(io.BytesIO(bad.encode()), "complaint.bpmn"),
                                       (io.BytesIO(complaint_files()["complaint_routing.dmn"].encode()),
                                        "complaint_routing.dmn")]}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "Task_implement" in page and "color" in page


def test_an_upload_that_is_not_a_diagram_is_refused_with_a_sentence(browsers):
    owner = browsers("owner")
    token = csrf_of(owner.get("/modeler/").get_data(as_text=True))
    response = owner.client.post("/modeler/upload", data={
        "csrf_token": token, "files": [(io.BytesIO(b"hello"), "notes.txt")]}, content_type="multipart/form-data",
        follow_redirects=True)
    assert "only .bpmn and .dmn files" in response.get_data(as_text=True)


def test_a_new_process_starts_from_the_template_and_deploys(browsers, batho, people):
    owner = browsers("owner")
    token = csrf_of(owner.get("/modeler/").get_data(as_text=True))
    response = owner.client.post("/modeler/new", data={"csrf_token": token, "key": "building_plans",
                                                       "name": "Building plans"})
    location = response.headers["Location"]
    page = owner.get(location).get_data(as_text=True)
    files = json.loads(re.search(r'id="modeler-files">(.*?)</script>', page, re.S).group(1))
    assert list(files) == ["building_plans.bpmn"]
    draft_id = int(location.rstrip("/").split("/")[-1])
    deployed = post_json(owner, "/modeler/api/deploy", {"files": files, "draft_id": draft_id, "confirmed": True},
                         location)
    assert deployed.get_json()["redirect"] == "/modeler/building_plans/"
    assert owner.get(location).status_code == 404  # a deployed draft is no longer a draft
    reference = cases.lodge(batho, "building_plans", {"description": "Extend my house"}, cases.Contact(), "web")
    assert [t.title for t in tasks.available_tasks(batho, people["agent"]) if t.case_reference == reference] == [
        "Handle the request"]


def test_a_new_process_needs_an_id_it_can_keep(browsers):
    owner = browsers("owner")
    token = csrf_of(owner.get("/modeler/").get_data(as_text=True))
    page = owner.client.post("/modeler/new", data={"csrf_token": token, "key": "Bad Id!", "name": "X"},
                             follow_redirects=True).get_data(as_text=True)
    assert "must start with a letter" in page
    page = owner.client.post("/modeler/new", data={"csrf_token": token, "key": "complaint", "name": "X"},
                             follow_redirects=True).get_data(as_text=True)
    assert "exists already" in page


def test_a_version_downloads_for_camunda_modeler(browsers):
    response = browsers("owner").get("/modeler/complaint/1/files/complaint.bpmn")
    assert response.status_code == 200
    assert 'filename="complaint.v1.bpmn"' in response.headers["Content-Disposition"]
    assert b'<bpmn:process id="complaint"' in response.data


def test_rolling_back_deploys_the_older_version_again(browsers, batho):
    owner = browsers("owner")
    post_json(owner, "/modeler/api/deploy", {"files": complaint_files("Triage outcome"), "confirmed": True},
              "/modeler/complaint/1/edit")
    token = csrf_of(owner.get("/modeler/complaint/").get_data(as_text=True))
    response = owner.client.post("/modeler/complaint/1/rollback", data={"csrf_token": token, "confirm": "yes"})
    assert response.status_code == 302
    page = owner.get("/modeler/complaint/").get_data(as_text=True)
    assert "Roll-back: the same diagram as version 1." in page
    assert instance(batho, lodge(batho)).version.version == 3


def test_running_cases_move_only_after_confirmation(browsers, batho):
    owner = browsers("owner")
    reference = lodge(batho)
    post_json(owner, "/modeler/api/deploy", {"files": complaint_files("Triage outcome"), "confirmed": True},
              "/modeler/complaint/1/edit")
    preview = owner.get("/modeler/complaint/migrate").get_data(as_text=True)
    assert reference in preview and "starts again on the new version" in preview
    instance_id = instance(batho, reference).id
    token = csrf_of(preview)
    owner.client.post("/modeler/complaint/migrate", data={"csrf_token": token, "instance": str(instance_id)})
    assert instance(batho, reference).version.version == 1
    owner.client.post("/modeler/complaint/migrate", data={"csrf_token": token, "instance": str(instance_id),
                                                          "confirm": "yes"})
    assert instance(batho, reference).version.version == 2


def test_the_navigation_offers_processes_only_to_owners_and_admins(browsers):
    assert 'href="/modeler/"' in browsers("owner").get("/tasks/").get_data(as_text=True)
    assert 'href="/modeler/"' in browsers("admin").get("/tasks/").get_data(as_text=True)
    assert 'href="/modeler/"' not in browsers("agent").get("/tasks/").get_data(as_text=True)
