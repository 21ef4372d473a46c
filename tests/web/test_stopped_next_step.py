"""A task completed just before a diagram error: the page says the answers were saved and the next step stopped."""

from __future__ import annotations

from engine.services import cases, deployment
from tests.fixtures.make import process
from tests.support.drive import instance, open_task

BODY = """<bpmn:laneSet id="ls"><bpmn:lane id="lane_agent" name="Customer Care Agent">
      <bpmn:flowNodeRef>ask</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="ask" name="Say something" />
    <bpmn:scriptTask id="hog" name="Think hard" scriptFormat="python"><bpmn:script>x = pow(7, 30000000)</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="hog" />
    <bpmn:sequenceFlow id="f3" sourceRef="hog" targetRef="end" />"""


def test_the_page_says_the_answers_were_saved_and_the_next_step_stopped(browsers, batho):
    deployment.deploy_sources(batho, {"think.bpmn": process("think", BODY)})
    reference = cases.start_process(batho, "think", {})
    task = open_task(batho, reference, "ask").id
    agent = browsers("agent")
    response = agent.post(f"/tasks/{task}", {}, page=f"/tasks/{task}", follow_redirects=True)
    page = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 200
    assert f"Your answers were saved, but case {reference} stopped at its next step" in page
    assert "moved on to its next step" not in page
    assert instance(batho, reference).status == "error"


def test_the_api_says_the_next_step_stopped(app, batho, bearer):
    deployment.deploy_sources(batho, {"think.bpmn": process("think", BODY)})
    reference = cases.start_process(batho, "think", {})
    task = open_task(batho, reference, "ask").id
    response = app.test_client().post(f"/api/v1/tasks/{task}/complete", json={}, headers=bearer("agent"))
    assert response.status_code == 200
    assert response.get_json()["next_step_stopped"] is True
