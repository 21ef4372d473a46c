"""Who may start a process: candidateStarterGroups/Users on the diagram, system-only runs, and the default."""

from __future__ import annotations

import io

import pytest

from engine.errors import DeploymentError
from engine.services import deployment
from tests.fixtures.make import script_process

WATER = {"category": "water", "description": "No water since Monday", "location": "12 Main St"}


def with_starters(key: str, **attributes: str) -> str:
    """A small diagram (an agent's task) whose bpmn:process carries the camunda starter attributes given."""
    declared = " ".join(f'camunda:{name}="{value}"' for name, value in attributes.items())
    return script_process(key, "x = 1").replace(f'<bpmn:process id="{key}"', f'<bpmn:process id="{key}" {declared}')


def deploy(batho, people, key: str, **attributes: str) -> None:
    deployment.deploy_sources(batho, {f"{key}.bpmn": with_starters(key, **attributes)}, people["owner"].id)


def start(client, bearer, username: str, key: str):
    return client.post(f"/api/v1/processes/{key}/instances", headers=bearer(username), json={"data": {}})


def test_candidate_starter_groups_let_those_roles_start_it_and_refuse_others(client, batho, bearer, people):
    deploy(batho, people, "starters_groups", candidateStarterGroups="billing_clerk, Finance Approver")
    assert start(client, bearer, "billing", "starters_groups").status_code == 201
    assert start(client, bearer, "cfo", "starters_groups").status_code == 201  # a role named by its name
    refused = start(client, bearer, "agent", "starters_groups")
    assert refused.status_code == 403
    assert refused.get_json()["error"].startswith("You may not start Test process: its diagram lets only these")
    assert "billing_clerk" in refused.get_json()["error"]


def test_candidate_starter_users_let_those_people_start_it(client, batho, bearer, people):
    deploy(batho, people, "starters_users", candidateStarterUsers="officer,owner")
    assert start(client, bearer, "officer", "starters_users").status_code == 201
    assert start(client, bearer, "owner", "starters_users").status_code == 201  # named: no staff role needed
    assert start(client, bearer, "supervisor", "starters_users").status_code == 403


def test_staff_capture_of_a_case_obeys_the_starters_too(client, batho, bearer, people):
    deploy(batho, people, "starters_capture", candidateStarterGroups="manager")
    body = {"process": "starters_capture", "channel": "phone", "data": {}}
    assert client.post("/api/v1/cases", headers=bearer("agent"), json=body).status_code == 403
    assert client.post("/api/v1/cases", headers=bearer("manager"), json=body).status_code == 201


def test_starters_declared_empty_name_no_one(client, batho, bearer, people):
    deploy(batho, people, "starters_none", candidateStarterGroups="")
    for username in ("agent", "manager", "owner"):
        assert start(client, bearer, username, "starters_none").status_code == 403, username


@pytest.mark.parametrize("key", ["suggestion_box", "policy_review"])
@pytest.mark.parametrize("username", ["agent", "manager", "supervisor", "owner", "admin"])
def test_the_scheduled_runs_cannot_be_started_through_the_api_by_anyone(client, bearer, key, username):
    refused = start(client, bearer, username, key)
    assert refused.status_code == 403
    assert "started by Batho itself on its schedule" in refused.get_json()["error"]
    captured = client.post("/api/v1/cases", headers=bearer(username), json={"process": key, "data": {}})
    assert captured.status_code == 403


def test_a_process_that_declares_nothing_is_started_by_any_staff_member_as_before(client, bearer):
    started = client.post("/api/v1/processes/complaint/instances", headers=bearer("agent"),
                          json={"data": dict(WATER)})
    assert started.status_code == 201
    captured = client.post("/api/v1/cases", headers=bearer("officer"), json={
        "process": "complaint", "channel": "phone", "data": dict(WATER), "contact": {"phone": "082 555 1111"}})
    assert captured.status_code == 201
    query = client.post("/api/v1/processes/account_query/instances", headers=bearer("billing"), json={
        "data": {"account_number": "1234567", "category": "tariff", "description": "Tariff too high",
                 "disputed_amount": "450.00"},
        "contact": {"email": "holder@example.org"}})
    assert query.status_code == 201, query.get_json()
    assert start(client, bearer, "owner", "complaint").status_code == 403  # not staff who work cases


def test_the_lint_refuses_starter_groups_that_name_no_role(batho, people):
    with pytest.raises(DeploymentError) as refused:
        deploy(batho, people, "starters_typo", candidateStarterGroups="customer_care_agent, wizards")
    [problem] = [p for p in refused.value.problems if p.get("rule") == "starters"]
    assert '"wizards"' in problem["message"] and "customer_care_agent" in problem["message"]
    assert problem["element_id"] == "starters_typo"


def test_the_lint_refuses_an_unknown_lodge_value(client, bearer):
    bpmn = script_process("starters_lodge", "x = 1").replace(
        '<bpmn:startEvent id="start" />',
        '<bpmn:startEvent id="start"><bpmn:extensionElements><camunda:properties>'
        '<camunda:property name="lodge" value="sytem" /></camunda:properties></bpmn:extensionElements>'
        "</bpmn:startEvent>")
    files = {"file": [(io.BytesIO(bpmn.encode()), "starters_lodge.bpmn")]}
    refused = client.post("/api/v1/processes", data=files, headers=bearer("owner"))
    assert refused.status_code == 400
    assert any('lodge is "sytem"' in p["message"] for p in refused.get_json()["errors"])
