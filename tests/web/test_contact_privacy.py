"""POPIA: a process owner who deploys a task in their own lane still sees no citizen's contact details."""

from __future__ import annotations

from engine.services import cases, deployment, tasks, worklist
from tests.fixtures.make import process
from tests.support.database import DEMO_PASSWORD
from tests.support.drive import open_task

CONTACT = {"name": "Jane Citizen", "email": "jane@example.org", "phone": "082 555 1111"}
OWNER_LANE = """
    <bpmn:laneSet id="ls"><bpmn:lane id="lane_owner" name="Process Owner">
      <bpmn:flowNodeRef>peek</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="peek" name="Look at the citizen" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="peek" />
    <bpmn:sequenceFlow id="f2" sourceRef="peek" targetRef="end" />
"""


def owners_case(batho, people) -> tuple[str, str]:
    """The owner deploys a task in the process owner lane; an agent captures a case with contact details on it."""
    deployment.deploy_sources(batho, {"owner_peek.bpmn": process("owner_peek", OWNER_LANE)}, people["owner"].id)
    reference = cases.lodge(batho, "owner_peek", {}, cases.Contact(**CONTACT), "phone", actor_id=people["agent"].id)
    return reference, open_task(batho, reference, "peek").id


def assert_private(text: str) -> None:
    for private in CONTACT.values():
        assert private not in text, private


def test_the_owners_task_page_case_page_and_api_task_show_no_contact_details(app, browsers, batho, people):
    reference, task_id = owners_case(batho, people)
    owner = browsers("owner")
    assert owner.post(f"/tasks/{task_id}/claim", page="/tasks/").status_code == 302
    task_page = owner.get(f"/tasks/{task_id}")
    assert task_page.status_code == 200 and "Look at the citizen" in task_page.get_data(as_text=True)
    assert_private(task_page.get_data(as_text=True))
    case_page = owner.get(f"/cases/{reference}")
    assert case_page.status_code == 200 and reference in case_page.get_data(as_text=True)
    assert_private(case_page.get_data(as_text=True))
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "owner", "password": DEMO_PASSWORD}).get_json()
    detail = client.get(f"/api/v1/tasks/{task_id}", headers={"Authorization": f"Bearer {token['token']}"})
    assert detail.status_code == 200 and detail.get_json()["name"] == "peek"
    assert_private(detail.get_data(as_text=True))


def test_the_owner_cannot_find_the_case_by_the_citizens_name(batho, people):
    reference, task_id = owners_case(batho, people)
    tasks.claim(batho, people["owner"], task_id)
    page = worklist.task_page(batho, people["owner"], worklist.TaskQuery(view="mine", search="Jane"))
    assert reference not in [row.case_reference for row in page.rows]


def test_an_agent_holding_a_task_on_the_same_kind_of_case_still_sees_them(browsers, batho, people):
    deployment.deploy_sources(batho, {"agent_look.bpmn": process("agent_look", OWNER_LANE.replace(
        'name="Process Owner"', 'name="Customer Care Agent"'))}, people["owner"].id)
    reference = cases.lodge(batho, "agent_look", {}, cases.Contact(**CONTACT), "phone", actor_id=people["agent"].id)
    task_id = open_task(batho, reference, "peek").id
    agent = browsers("agent")
    agent.post(f"/tasks/{task_id}/claim", page="/tasks/")
    assert "jane@example.org" in agent.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "082 555 1111" in agent.get(f"/cases/{reference}").get_data(as_text=True)
