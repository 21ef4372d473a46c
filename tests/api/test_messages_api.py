"""POST /api/v1/messages and /api/v1/signals reach receive tasks, boundary events, event gateways, event
subprocesses and message or signal start events, correlated by case reference or by variables."""

from __future__ import annotations

import pytest

from engine.services import cases, deployment
from tests.support import staff
from tests.support.drive import case, events, instance, open_tasks

LANE = """<bpmn:laneSet id="ls"><bpmn:lane id="lane_agent" name="Customer Care Agent">{refs}</bpmn:lane></bpmn:laneSet>"""


def diagram(key: str, body: str, nodes: list[str], messages: str = "") -> str:
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in nodes)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="Definitions_{key}" targetNamespace="http://bpmn.io/schema/bpmn">
  {messages}
  <bpmn:process id="{key}" name="{key}" isExecutable="true">
    {LANE.format(refs=refs)}
    {body}
  </bpmn:process>
</bpmn:definitions>
"""


PAYMENT = '<bpmn:message id="Msg_payment" name="payment_received" />'
RECEIVE = diagram("pay_wait", """
    <bpmn:startEvent id="start" />
    <bpmn:receiveTask id="wait" name="Wait for the payment" messageRef="Msg_payment" />
    <bpmn:userTask id="check" name="Check the payment" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="check" />
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="end" />""", ["start", "wait", "check", "end"], PAYMENT)

CANCEL = '<bpmn:message id="Msg_cancel" name="order_cancelled" />'
BOUNDARY = diagram("order_work", """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="work" name="Work the order" />
    <bpmn:boundaryEvent id="cancelled" attachedToRef="work"><bpmn:messageEventDefinition messageRef="Msg_cancel" />
    </bpmn:boundaryEvent>
    <bpmn:userTask id="undo" name="Undo the order" />
    <bpmn:endEvent id="end" /><bpmn:endEvent id="end2" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="cancelled" targetRef="undo" />
    <bpmn:sequenceFlow id="f4" sourceRef="undo" targetRef="end2" />""",
                   ["start", "work", "cancelled", "undo", "end", "end2"], CANCEL)

ANSWER = '<bpmn:message id="Msg_answer" name="citizen_answered" />'
GATEWAY = diagram("ask_citizen", """
    <bpmn:startEvent id="start" />
    <bpmn:eventBasedGateway id="gw" />
    <bpmn:intermediateCatchEvent id="answered"><bpmn:messageEventDefinition messageRef="Msg_answer" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="silence"><bpmn:timerEventDefinition>
      <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P7D"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="read" name="Read the answer" />
    <bpmn:endEvent id="end" /><bpmn:endEvent id="end2" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw" />
    <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="answered" />
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="silence" />
    <bpmn:sequenceFlow id="f4" sourceRef="answered" targetRef="read" />
    <bpmn:sequenceFlow id="f5" sourceRef="read" targetRef="end" />
    <bpmn:sequenceFlow id="f6" sourceRef="silence" targetRef="end2" />""",
                  ["start", "gw", "answered", "silence", "read", "end", "end2"], ANSWER)

ORDER = '<bpmn:message id="Msg_order" name="order_placed" />'
MESSAGE_START = diagram("placed_order", """
    <bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="Msg_order" /></bpmn:startEvent>
    <bpmn:userTask id="fill" name="Fill the order" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill" />
    <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="end" />""", ["start", "fill", "end"], ORDER)

STORM = '<bpmn:signal id="Sig_storm" name="storm_warning" />'
SIGNAL_WAIT = diagram("storm_watch", """
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="storm"><bpmn:signalEventDefinition signalRef="Sig_storm" />
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="secure" name="Secure the site" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="storm" />
    <bpmn:sequenceFlow id="f2" sourceRef="storm" targetRef="secure" />
    <bpmn:sequenceFlow id="f3" sourceRef="secure" targetRef="end" />""", ["start", "storm", "secure", "end"], STORM)
SIGNAL_START = diagram("storm_report", """
    <bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="Sig_storm" /></bpmn:startEvent>
    <bpmn:userTask id="report" name="Report storm damage" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="report" />
    <bpmn:sequenceFlow id="f2" sourceRef="report" targetRef="end" />""", ["start", "report", "end"], STORM)

INFO = '<bpmn:message id="Msg_info" name="more_information" />'
EVENT_SUBPROCESS = diagram("with_info", """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="main" name="Main work" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="main" />
    <bpmn:sequenceFlow id="f2" sourceRef="main" targetRef="end" />
    <bpmn:subProcess id="on_info" triggeredByEvent="true">
      <bpmn:startEvent id="info_start" isInterrupting="false"><bpmn:messageEventDefinition messageRef="Msg_info" />
      </bpmn:startEvent>
      <bpmn:userTask id="read_info" name="Read the new information" />
      <bpmn:endEvent id="info_end" />
      <bpmn:sequenceFlow id="s1" sourceRef="info_start" targetRef="read_info" />
      <bpmn:sequenceFlow id="s2" sourceRef="read_info" targetRef="info_end" />
    </bpmn:subProcess>""", ["start", "main", "end", "on_info", "info_start", "read_info", "info_end"], INFO)


@pytest.fixture
def deployed(batho, people):
    def deploy(*files: str) -> None:
        deployment.deploy_sources(batho, {f"d{i}.bpmn": f for i, f in enumerate(files)}, people["owner"].id)
    return deploy


@pytest.fixture
def integration(batho, client):
    """An integration account's bearer headers (the role other systems get)."""
    staff.add(batho, "billing_system", ["integration"], [])
    token = client.post("/api/v1/auth/token", json={"username": "billing_system", "password": staff.PASSWORD})
    assert token.status_code == 200, token.get_data(as_text=True)
    yield {"Authorization": f"Bearer {token.get_json()['token']}"}
    staff.restore(batho)


def _start(batho, key: str, **data) -> str:
    return cases.start_process(batho, key, data)


def _data(batho, reference: str) -> dict:
    """The data the instance carries at its open task (what a message merged in)."""
    from engine import instances
    with batho.db.transaction() as session:
        running = instances.load(batho, session, instance(batho, reference).id)
        return {k: v for step in running.workflow.ready_manual_tasks() for k, v in step.data.items()}


def test_a_receive_task_gets_its_message_by_case_reference_with_the_variables(batho, client, deployed,
                                                                              integration):
    deployed(RECEIVE)
    first, second = _start(batho, "pay_wait", account="A1"), _start(batho, "pay_wait", account="A2")
    answer = client.post("/api/v1/messages", headers=integration, json={
        "messageName": "payment_received", "businessKey": second,
        "processVariables": {"amount": {"value": 450, "type": "Integer"}, "paid_by": "EFT"}})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    delivered = answer.get_json()["delivered"]
    assert [(d["case_reference"], d["process_key"], d["started"]) for d in delivered] == [(second, "pay_wait", False)]
    assert open_tasks(batho, second) == ["check"] and open_tasks(batho, first) == []
    assert _data(batho, second)["amount"] == 450 and _data(batho, second)["paid_by"] == "EFT"
    assert [e.title for e in events(batho, second, "received")] == ["payment_received"]


def test_correlation_keys_pick_the_instance_whose_variables_are_equal(batho, client, deployed, integration):
    deployed(RECEIVE)
    first, second = _start(batho, "pay_wait", account="A1"), _start(batho, "pay_wait", account="A2")
    answer = client.post("/api/v1/messages", headers=integration, json={
        "messageName": "payment_received", "correlationKeys": {"account": {"value": "A1", "type": "String"}}})
    assert answer.status_code == 200
    assert [d["case_reference"] for d in answer.get_json()["delivered"]] == [first]
    assert open_tasks(batho, first) == ["check"] and open_tasks(batho, second) == []


def test_several_matches_are_refused_without_all_and_all_reaches_each(batho, client, deployed, integration):
    deployed(RECEIVE)
    first, second = _start(batho, "pay_wait", account="A1"), _start(batho, "pay_wait", account="A2")
    refused = client.post("/api/v1/messages", headers=integration, json={"messageName": "payment_received"})
    assert refused.status_code == 400
    assert "2 process instances wait for the message 'payment_received'" in refused.get_json()["error"]
    assert open_tasks(batho, first) == [] and open_tasks(batho, second) == []
    every = client.post("/api/v1/messages", headers=integration, json={"messageName": "payment_received",
                                                                       "all": True})
    assert sorted(d["case_reference"] for d in every.get_json()["delivered"]) == sorted([first, second])


def test_a_message_nobody_waits_for_is_refused_with_a_sentence(batho, client, deployed, integration):
    deployed(RECEIVE)
    reference = _start(batho, "pay_wait", account="A1")
    for body in ({"messageName": "no_such_message"},
                 {"messageName": "payment_received", "businessKey": "MAF-2026-999999"},
                 {"messageName": "payment_received", "correlationKeys": {"account": "B7"}}):
        answer = client.post("/api/v1/messages", headers=integration, json=body)
        assert answer.status_code == 400
        assert answer.get_json()["error"].startswith("No process instance waits for the message")
    assert open_tasks(batho, reference) == []
    bad = client.post("/api/v1/messages", headers=integration, json={"messageName": "payment_received",
                                                                     "processVariables": {"1bad": 2}})
    assert bad.status_code == 400 and "not a variable name" in bad.get_json()["errors"]["processVariables"]


def test_a_message_boundary_event_interrupts_the_task(batho, client, deployed, integration):
    deployed(BOUNDARY)
    reference = _start(batho, "order_work")
    assert open_tasks(batho, reference) == ["work"]
    answer = client.post("/api/v1/messages", headers=integration,
                         json={"messageName": "order_cancelled", "reference": reference})
    assert answer.status_code == 200
    assert open_tasks(batho, reference) == ["undo"]


def test_an_event_based_gateway_takes_the_message_path(batho, client, deployed, integration):
    deployed(GATEWAY)
    reference = _start(batho, "ask_citizen")
    assert instance(batho, reference).next_timer_at is not None
    answer = client.post("/api/v1/messages", headers=integration, json={
        "messageName": "citizen_answered", "businessKey": reference, "processVariables": {"answer": "Yes"}})
    assert answer.status_code == 200
    assert open_tasks(batho, reference) == ["read"] and _data(batho, reference)["answer"] == "Yes"
    assert instance(batho, reference).next_timer_at is None  # the timer path was dropped


def test_an_event_subprocess_starts_on_its_message_beside_the_main_work(batho, client, deployed, integration):
    deployed(EVENT_SUBPROCESS)
    reference = _start(batho, "with_info")
    answer = client.post("/api/v1/messages", headers=integration,
                         json={"messageName": "more_information", "businessKey": reference})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert open_tasks(batho, reference) == ["main", "read_info"]


def test_a_message_start_event_opens_a_new_case(batho, client, deployed, integration):
    deployed(MESSAGE_START)
    answer = client.post("/api/v1/messages", headers=integration, json={
        "messageName": "order_placed", "processVariables": {"description": "Ten bags of cement"}})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    (started,) = answer.get_json()["delivered"]
    assert started["started"] is True and started["process_key"] == "placed_order"
    assert open_tasks(batho, started["case_reference"]) == ["fill"]
    assert _data(batho, started["case_reference"])["description"] == "Ten bags of cement"
    assert case(batho, started["case_reference"]).channel == "api"


def test_a_signal_reaches_every_waiting_instance_and_starts_its_processes(batho, client, deployed, integration):
    deployed(SIGNAL_WAIT, SIGNAL_START)
    first, second = _start(batho, "storm_watch"), _start(batho, "storm_watch")
    answer = client.post("/api/v1/signals", headers=integration,
                         json={"name": "storm_warning", "variables": {"level": 6}})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    delivered = answer.get_json()["delivered"]
    assert sorted(d["case_reference"] for d in delivered if not d["started"]) == sorted([first, second])
    (report,) = [d for d in delivered if d["started"]]
    assert report["process_key"] == "storm_report" and open_tasks(batho, report["case_reference"]) == ["report"]
    assert open_tasks(batho, first) == ["secure"] and _data(batho, first)["level"] == 6
    again = client.post("/api/v1/signals", headers=integration, json={"name": "storm_warning"})
    assert [d["started"] for d in again.get_json()["delivered"]] == [True]  # the watchers moved on


def test_only_integration_accounts_and_administrators_send_messages(batho, client, bearer, deployed):
    deployed(RECEIVE)
    reference = _start(batho, "pay_wait", account="A1")
    body = {"messageName": "payment_received", "businessKey": reference}
    assert client.post("/api/v1/messages", json=body).status_code == 401
    refused = client.post("/api/v1/messages", headers=bearer("agent"), json=body)
    assert refused.status_code == 403 and "integration accounts" in refused.get_json()["error"]
    assert client.post("/api/v1/signals", headers=bearer("owner"), json={"name": "x"}).status_code == 403
    assert open_tasks(batho, reference) == []
    assert client.post("/api/v1/messages", headers=bearer("admin"), json=body).status_code == 200


def test_the_openapi_document_describes_messages_and_signals(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "messageName" in paths["/messages"]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "properties"]
    assert "/signals" in paths
