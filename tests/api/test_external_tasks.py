"""External tasks through /api/v1/external-task (Camunda 7's shape): fetch and lock by topic, complete with
variables, fail with retries until an incident, BPMN errors caught by error boundary events, extended and expired
locks, locks held by another worker, and two workers fetching at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from engine.services import cases, deployment, incidents
from tests.support import staff
from tests.support.drive import events, instance, open_tasks

BILLING = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_bill" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:error id="Err_unknown" name="Unknown account" errorCode="ACCOUNT_UNKNOWN" />
  <bpmn:process id="bill_lookup" name="Bill lookup" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="lane_agent" name="Customer Care Agent">
      <bpmn:flowNodeRef>check</bpmn:flowNodeRef><bpmn:flowNodeRef>call_back</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="lookup" name="Look up the account" camunda:type="external" camunda:topic="billing" />
    <bpmn:boundaryEvent id="unknown" attachedToRef="lookup">
      <bpmn:errorEventDefinition errorRef="Err_unknown" /></bpmn:boundaryEvent>
    <bpmn:sendTask id="notify" name="Tell the billing system" camunda:type="external" camunda:topic="billing_notify" />
    <bpmn:userTask id="check" name="Check the balance" />
    <bpmn:userTask id="call_back" name="Call the citizen back" />
    <bpmn:endEvent id="end" /><bpmn:endEvent id="end_unknown" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="lookup" />
    <bpmn:sequenceFlow id="f2" sourceRef="lookup" targetRef="notify" />
    <bpmn:sequenceFlow id="f3" sourceRef="notify" targetRef="check" />
    <bpmn:sequenceFlow id="f4" sourceRef="check" targetRef="end" />
    <bpmn:sequenceFlow id="f5" sourceRef="unknown" targetRef="call_back" />
    <bpmn:sequenceFlow id="f6" sourceRef="call_back" targetRef="end_unknown" />
  </bpmn:process>
</bpmn:definitions>
"""
NO_TOPIC = BILLING.replace('camunda:topic="billing_notify"', "")
URL = "/api/v1/external-task"


class Clock:
    """A clock the test moves on."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(batho):
    batho.clock = Clock()
    return batho.clock


@pytest.fixture
def billing(batho, people, clock):
    deployment.deploy_sources(batho, {"bill.bpmn": BILLING}, people["owner"].id)

    def start(**data) -> str:
        return cases.start_process(batho, "bill_lookup", data)
    return start


def _headers(batho, client, username: str, roles: list[str]) -> dict[str, str]:
    staff.add(batho, username, roles, [])
    token = client.post("/api/v1/auth/token", json={"username": username, "password": staff.PASSWORD})
    assert token.status_code == 200, token.get_data(as_text=True)
    return {"Authorization": f"Bearer {token.get_json()['token']}"}


@pytest.fixture
def worker(batho, client):
    """An integration account's bearer headers (the role billing systems get)."""
    yield _headers(batho, client, "billing_system", ["integration"])
    staff.restore(batho)


def fetch(client, headers, worker_id="w1", topic="billing", lock=60_000, max_tasks=10, **extra):
    answer = client.post(f"{URL}/fetchAndLock", headers=headers, json={
        "workerId": worker_id, "maxTasks": max_tasks, "topics": [{"topicName": topic, "lockDuration": lock, **extra}]})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def test_a_worker_fetches_locks_and_completes_the_task_and_the_instance_moves_on(batho, client, billing, worker,
                                                                               clock):
    reference = billing(account="A17")
    assert open_tasks(batho, reference) == []
    [task] = fetch(client, worker, variables=["account"])
    assert task["topicName"] == "billing" and task["activityId"] == "lookup" and task["workerId"] == "w1"
    assert task["businessKey"] == reference and task["retries"] is None
    assert task["variables"] == {"account": {"type": "String", "value": "A17", "valueInfo": {}}}
    assert datetime.fromisoformat(task["lockExpirationTime"]) == clock.now + timedelta(seconds=60)
    assert fetch(client, worker, worker_id="w2") == []  # locked: nobody else gets it
    done = client.post(f"{URL}/{task['id']}/complete", headers=worker, json={
        "workerId": "w1", "variables": {"balance": {"value": 1250, "type": "Integer"}, "paid": True}})
    assert done.status_code == 204, done.get_data(as_text=True)
    [notify] = fetch(client, worker, topic="billing_notify")  # the send task is the next external task
    assert notify["activityId"] == "notify"
    assert notify["variables"]["balance"] == {"type": "Integer", "value": 1250, "valueInfo": {}}
    assert client.post(f"{URL}/{notify['id']}/complete", headers=worker, json={"workerId": "w1"}).status_code == 204
    assert open_tasks(batho, reference) == ["check"]
    assert [e.title for e in events(batho, reference, "external")] == ["completed", "completed"]
    again = client.post(f"{URL}/{task['id']}/complete", headers=worker, json={"workerId": "w1"})
    assert again.status_code == 404 and "no external task" in again.get_json()["error"]


def test_a_lock_held_by_another_worker_is_a_conflict_and_changes_nothing(batho, client, billing, worker):
    reference = billing(account="A1")
    [task] = fetch(client, worker)
    for action, body in (("complete", {}), ("failure", {"retries": 1}), ("bpmnError", {"errorCode": "X"}),
                         ("extendLock", {"newDuration": 1000})):
        refused = client.post(f"{URL}/{task['id']}/{action}", headers=worker, json={"workerId": "w2", **body})
        assert refused.status_code == 409, action
        assert refused.get_json()["error"] == (f"External task {task['id']} is locked by worker 'w1', not 'w2'; "
                                               "only the worker holding the lock may report on it.")
    assert open_tasks(batho, reference) == [] and instance(batho, reference).status == "running"


def test_an_expired_lock_is_fetchable_again_and_an_extended_one_is_not(batho, client, billing, worker, clock):
    billing(account="A1")
    [task] = fetch(client, worker, lock=10_000)
    extended = client.post(f"{URL}/{task['id']}/extendLock", headers=worker, json={"workerId": "w1",
                                                                                   "newDuration": 60_000})
    assert extended.status_code == 200
    assert datetime.fromisoformat(extended.get_json()["lockExpirationTime"]) == clock.now + timedelta(minutes=1)
    clock.now += timedelta(seconds=30)
    assert fetch(client, worker, worker_id="w2") == []
    clock.now += timedelta(seconds=31)
    late = client.post(f"{URL}/{task['id']}/extendLock", headers=worker, json={"workerId": "w1", "newDuration": 1})
    assert late.status_code == 409 and "ran out" in late.get_json()["error"]
    [again] = fetch(client, worker, worker_id="w2")
    assert again["id"] == task["id"] and again["workerId"] == "w2"
    stale = client.post(f"{URL}/{task['id']}/complete", headers=worker, json={"workerId": "w1"})
    assert stale.status_code == 409 and "locked by worker 'w2'" in stale.get_json()["error"]


def test_failures_are_retried_after_their_timeout_and_at_no_retries_become_an_incident(batho, client, billing,
                                                                                      worker, clock, people):
    reference = billing(account="A1")
    [task] = fetch(client, worker)
    failed = client.post(f"{URL}/{task['id']}/failure", headers=worker, json={
        "workerId": "w1", "errorMessage": "Billing system down", "errorDetails": "timeout after 30 s", "retries": 1,
        "retryTimeout": 60_000})
    assert failed.status_code == 204, failed.get_data(as_text=True)
    assert fetch(client, worker) == []  # waits out its retry timeout
    clock.now += timedelta(minutes=1)
    [retried] = fetch(client, worker)
    assert retried["id"] == task["id"] and retried["retries"] == 1
    assert retried["errorMessage"] == "Billing system down"
    last = client.post(f"{URL}/{task['id']}/failure", headers=worker, json={
        "workerId": "w1", "errorMessage": "Billing system still down", "retries": 0, "retryTimeout": 0})
    assert last.status_code == 204
    clock.now += timedelta(hours=1)
    assert fetch(client, worker) == []
    row = instance(batho, reference)
    assert row.status == "error"
    assert "External task 'lookup' (topic 'billing') failed with no retries left: Billing system still down" in \
        row.error_message
    # The administrator retries the incident: the task waits for a worker again, with its retries renewed.
    assert incidents.retry(batho, people["admin"], row.id, {}) == "running"
    [renewed] = fetch(client, worker)
    assert renewed["activityId"] == "lookup" and renewed["retries"] is None


def test_a_bpmn_error_is_caught_by_the_error_boundary_event_with_its_code(batho, client, billing, worker):
    reference = billing(account="Z9")
    [task] = fetch(client, worker)
    uncaught = client.post(f"{URL}/{task['id']}/bpmnError", headers=worker, json={
        "workerId": "w1", "errorCode": "NO_SUCH_CODE"})
    assert uncaught.status_code == 400
    assert uncaught.get_json()["error"].startswith("No error boundary event catches the error code 'NO_SUCH_CODE'")
    caught = client.post(f"{URL}/{task['id']}/bpmnError", headers=worker, json={
        "workerId": "w1", "errorCode": "ACCOUNT_UNKNOWN", "errorMessage": "No such account",
        "variables": {"reason": "closed in 2019"}})
    assert caught.status_code == 204, caught.get_data(as_text=True)
    assert open_tasks(batho, reference) == ["call_back"]
    assert [e.data["code"] for e in events(batho, reference, "external")] == ["ACCOUNT_UNKNOWN"]


def test_two_workers_fetching_at_once_never_get_the_same_task(batho, app, billing, worker):
    for n in range(8):
        billing(account=f"A{n}")
    got: dict[str, list[str]] = {}
    barrier = threading.Barrier(2)

    def work(name: str) -> None:
        client = app.test_client()
        barrier.wait()
        got[name] = [t["id"] for t in fetch(client, worker, worker_id=name, max_tasks=8)]

    threads = [threading.Thread(target=work, args=(n,)) for n in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got["w1"]) + len(got["w2"]) == 8
    assert not set(got["w1"]) & set(got["w2"])


def test_a_long_poll_waits_for_a_task_to_come(batho, app, client, billing, worker):
    def start_later() -> None:
        threading.Event().wait(0.5)
        billing(account="late")

    later = threading.Thread(target=start_later)
    later.start()
    answer = client.post(f"{URL}/fetchAndLock", headers=worker, json={
        "workerId": "w1", "maxTasks": 1, "asyncResponseTimeout": 10_000,
        "topics": [{"topicName": "billing", "lockDuration": 1000}]})
    later.join()
    assert answer.status_code == 200 and len(answer.get_json()) == 1


def test_only_integration_accounts_and_administrators_do_external_tasks(batho, client, billing, people):
    agent = _headers(batho, client, "agent_two", ["customer_care_agent"])
    refused = client.post(f"{URL}/fetchAndLock", headers=agent, json={
        "workerId": "w1", "maxTasks": 1, "topics": [{"topicName": "billing", "lockDuration": 1000}]})
    assert refused.status_code == 403
    assert refused.get_json()["error"] == ("Only integration accounts and administrators may fetch and complete "
                                           "external tasks.")
    assert client.post(f"{URL}/fetchAndLock", json={}).status_code == 401
    staff.restore(batho)


@pytest.mark.parametrize(("body", "field"), [
    ({"maxTasks": 1, "topics": [{"topicName": "billing", "lockDuration": 1000}]}, "workerId"),
    ({"workerId": "w", "maxTasks": 0, "topics": [{"topicName": "billing", "lockDuration": 1000}]}, "maxTasks"),
    ({"workerId": "w", "maxTasks": 1, "topics": []}, "topics"),
    ({"workerId": "w", "maxTasks": 1, "topics": [{"topicName": "billing"}]}, "topics[0].lockDuration"),
    ({"workerId": "w", "maxTasks": 1, "topics": [{"lockDuration": 5}]}, "topics[0].topicName"),
])
def test_a_wrong_fetch_is_refused_with_a_sentence_naming_the_field(batho, client, billing, worker, body, field):
    refused = client.post(f"{URL}/fetchAndLock", headers=worker, json=body)
    assert refused.status_code == 400 and field in refused.get_json()["errors"]


def test_an_external_task_without_a_topic_is_refused_at_deploy(batho, people):
    with pytest.raises(deployment.DeploymentError) as refused:
        deployment.deploy_sources(batho, {"bill.bpmn": NO_TOPIC}, people["owner"].id)
    assert any('Send task "Tell the billing system" (notify)' in p["message"] and "without a topic" in p["message"]
               for p in refused.value.problems)
