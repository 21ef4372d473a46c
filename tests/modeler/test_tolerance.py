"""Diagrams made for Camunda 7 deploy as found: what BPMN allows runs, what Batho cannot run is refused with why."""

from __future__ import annotations

import io

import pytest

from engine.bpmn.specs import parse
from engine.config import Config
from engine.errors import DeploymentError
from engine.services import cases, deployment, drafts, modeling, tasks
from tests.modeler.camunda_diagrams import decide, dmn, flow, process, script, table
from tests.support.drive import instance, open_task, open_tasks

START, END = '<bpmn:startEvent id="start" />', '<bpmn:endEvent id="end" />'


def deploy_and_start(batho, files: dict[str, str], key: str, data: dict | None = None) -> str:
    deployment.deploy_sources(batho, files)
    return cases.start_process(batho, key, data or {})


def refusal(batho, files: dict[str, str]) -> list[dict[str, str]]:
    with pytest.raises(DeploymentError) as refused:
        deployment.deploy_sources(batho, files)
    return refused.value.problems


def test_an_activity_with_no_outgoing_flow_ends_its_branch(batho):
    body = (START + '<bpmn:parallelGateway id="split" />' + script("left", "a = 1") + script("right", "b = 2") + END
            + flow("start", "split", "f1") + flow("split", "left", "f2") + flow("split", "right", "f3")
            + flow("right", "end", "f4"))  # "left" has no way on: its branch ends there
    reference = deploy_and_start(batho, {"implicit_end.bpmn": process("implicit_end", body)}, "implicit_end")
    assert instance(batho, reference).status == "completed"


def test_a_plain_task_outside_any_lane_passes_through(batho):
    body = START + '<bpmn:task id="note" name="Think about it" />' + END + flow("start", "note", "f1") \
        + flow("note", "end", "f2")
    reference = deploy_and_start(batho, {"plain_task.bpmn": process("plain_task", body)}, "plain_task")
    assert instance(batho, reference).status == "completed" and open_tasks(batho, reference) == []


def test_a_manual_task_outside_any_lane_goes_to_the_unassigned_role(batho, people):
    body = START + '<bpmn:manualTask id="check" name="Check the meter" />' + END + flow("start", "check", "f1") \
        + flow("check", "end", "f2")
    reference = deploy_and_start(batho, {"manual_task.bpmn": process("manual_task", body)}, "manual_task")
    task = open_task(batho, reference, "check")
    assert task.candidate_role == "supervisor"
    tasks.complete(batho, people["supervisor"], task.id, {})
    assert instance(batho, reference).status == "completed"


def test_the_unassigned_role_is_configured_with_batho_unassigned_task_role(monkeypatch):
    monkeypatch.setenv("BATHO_UNASSIGNED_TASK_ROLE", "manager")
    assert Config.from_env().unassigned_task_role == "manager"
    body = START + '<bpmn:manualTask id="check" />' + END + flow("start", "check", "f1") + flow("check", "end", "f2")
    parsed = parse({"m.bpmn": process("m", body)}, {}, "manager")["m"]
    assert parsed.task_spec("check").lane == "manager"


def test_sequence_flows_without_an_id_are_followed(batho):
    body = START + script("work", "x = 1") + END + flow("start", "work") + flow("work", "end")
    reference = deploy_and_start(batho, {"no_ids.bpmn": process("no_ids", body)}, "no_ids")
    assert instance(batho, reference).status == "completed"


def test_xml_comments_in_diagrams_and_decision_tables_are_ignored(batho):
    bpmn = decide("commented", "level").replace('<bpmn:startEvent id="start" />',
                                                 '<!-- drawn in Camunda Modeler --><bpmn:startEvent id="start" />')
    tables = dmn(table("level", "UNIQUE", ["amount"], ["level"], [["< 10", '"low"'], [">= 10", '"high"']]))
    tables = tables.replace("<rule ", "<!-- the rules --><rule ", 1)
    reference = deploy_and_start(batho, {"commented.bpmn": bpmn, "level.dmn": tables}, "commented", {"amount": 3})
    assert instance(batho, reference).status == "completed"


def test_camunda_file_names_deploy_through_the_api(batho, client, bearer):
    files = {"file": [(io.BytesIO(decide("named", "level").encode()), "named.bpmn20.xml"),
                      (io.BytesIO(dmn(table("level", "FIRST", ["amount"], ["level"], [["-", '"any"']])).encode()),
                       "level.dmn11.xml")]}
    answer = client.post("/api/v1/processes", data=files, headers=bearer("owner"))
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert answer.get_json()["key"] == "named"


def test_camunda_file_names_deploy_from_a_directory_and_upload_to_the_modeler(batho, people, tmp_path):
    (tmp_path / "named.bpmn20.xml").write_text(decide("named_dir", "level"), encoding="utf-8")
    (tmp_path / "level.dmn11.xml").write_text(dmn(table("level", "FIRST", ["amount"], ["level"], [["-", '"any"']])),
                                              encoding="utf-8")
    assert [d.key for d in deployment.deploy_directory(batho, tmp_path)] == ["named_dir"]
    draft_id = drafts.from_upload(batho, people["owner"], {p.name: p.read_bytes() for p in tmp_path.iterdir()})
    assert sorted(drafts.load(batho, people["owner"], draft_id).files) == ["level.dmn11.xml", "named.bpmn20.xml"]


def test_camunda_file_names_deploy_from_the_modeler(batho, people):
    files = {"modeled.bpmn20.xml": decide("modeled", "level"),
             "level.dmn13.xml": dmn(table("level", "FIRST", ["amount"], ["level"], [["-", '"any"']]))}
    [deployed] = modeling.deploy(batho, people["owner"], files)
    assert (deployed.key, deployed.created) == ("modeled", True)


def test_a_data_store_is_drawing_as_in_camunda(batho):
    body = (START + '<bpmn:scriptTask id="archive" scriptFormat="python"><bpmn:dataOutputAssociation id="out">'
            "<bpmn:targetRef>store_ref</bpmn:targetRef></bpmn:dataOutputAssociation><bpmn:script>x = 1</bpmn:script>"
            '</bpmn:scriptTask><bpmn:dataStoreReference id="store_ref" name="Archive" dataStoreRef="store" />' + END
            + flow("start", "archive", "f1") + flow("archive", "end", "f2"))
    bpmn = process("data_store", body).replace('<bpmn:process ', '<bpmn:dataStore id="store" name="Archive" />'
                                                                 '<bpmn:process ')
    reference = deploy_and_start(batho, {"data_store.bpmn": bpmn}, "data_store")
    assert instance(batho, reference).status == "completed"


def test_a_link_event_continues_at_its_catch_event(batho):
    body = (START + script("first", "x = 1")
            + '<bpmn:intermediateThrowEvent id="go" name="To B"><bpmn:linkEventDefinition id="l1" name="B" />'
              '</bpmn:intermediateThrowEvent><bpmn:intermediateCatchEvent id="arrive" name="B">'
              '<bpmn:linkEventDefinition id="l2" name="B" /></bpmn:intermediateCatchEvent>'
            + script("second", "y = x + 1") + END + flow("start", "first", "f1") + flow("first", "go", "f2")
            + flow("arrive", "second", "f3") + flow("second", "end", "f4"))
    reference = deploy_and_start(batho, {"link.bpmn": process("link", body)}, "link")
    assert instance(batho, reference).status == "completed"


def test_a_cancelled_transaction_leaves_by_its_cancel_boundary_event(batho):
    body = (START + '<bpmn:transaction id="booking"><bpmn:startEvent id="t_start" />' + script("book", "w = 1")
            + '<bpmn:endEvent id="t_cancel"><bpmn:cancelEventDefinition id="c1" /></bpmn:endEvent>'
            + flow("t_start", "book", "t1") + flow("book", "t_cancel", "t2") + "</bpmn:transaction>"
            + '<bpmn:boundaryEvent id="cancelled" attachedToRef="booking"><bpmn:cancelEventDefinition id="c2" />'
              "</bpmn:boundaryEvent>" + script("apologise", "sorry = True") + END + '<bpmn:endEvent id="done" />'
            + flow("start", "booking", "f1") + flow("booking", "done", "f2") + flow("cancelled", "apologise", "f3")
            + flow("apologise", "end", "f4"))
    reference = deploy_and_start(batho, {"transaction.bpmn": process("transaction", body)}, "transaction")
    assert instance(batho, reference).status == "completed"


def test_compensation_is_refused_with_the_truth_naming_file_and_element(batho):
    body = (START + script("book", "booked = True")
            + '<bpmn:boundaryEvent id="undo_book" attachedToRef="book"><bpmn:compensateEventDefinition id="c1" />'
              '</bpmn:boundaryEvent><bpmn:scriptTask id="unbook" isForCompensation="true" scriptFormat="python">'
              "<bpmn:script>booked = False</bpmn:script></bpmn:scriptTask>" + END
            + flow("start", "book", "f1") + flow("book", "end", "f2")
            + '<bpmn:association id="a1" associationDirection="One" sourceRef="undo_book" targetRef="unbook" />')
    problems = refusal(batho, {"compensation.bpmn": process("compensation", body)})
    assert {(p["file"], p["element_id"]) for p in problems} == {("compensation.bpmn", "undo_book"),
                                                                ("compensation.bpmn", "unbook")}
    assert all("has no compensation" in p["message"] for p in problems)


SERVICE = START + '<bpmn:serviceTask id="charge" name="Charge card" {attrs}>{inner}</bpmn:serviceTask>' + END \
    + flow("start", "charge", "f1") + flow("charge", "end", "f2")


@pytest.mark.parametrize(("attrs", "inner", "words"), [
    ('camunda:class="org.example.ChargeCard"', "", "uses a Java class (camunda:class="),
    ('camunda:delegateExpression="${chargeCard}"', "", "uses a Java delegate expression"),
    ('camunda:expression="${billing.charge(amount)}"', "", "uses a Java expression"),
    ("", "<bpmn:extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId>"
         "</camunda:connector></bpmn:extensionElements>", "uses a Camunda connector (camunda:connector http-connector)"),
    ('camunda:type="external" camunda:topic="charge"', '<bpmn:extensionElements><camunda:executionListener '
     'class="org.example.Audit" event="start" /></bpmn:extensionElements>', "has an execution listener on start"),
])
def test_java_only_implementations_are_refused_with_a_sentence_naming_file_and_element(batho, attrs, inner, words):
    problems = [p for p in refusal(batho, {"charge.bpmn": process("charge", SERVICE.format(attrs=attrs,
                                                                                           inner=inner))})
                if p["rule"] == "java"]
    assert len(problems) == 1 and problems[0]["file"] == "charge.bpmn" and problems[0]["element_id"] == "charge"
    assert problems[0]["message"].startswith('Service task "Charge card" (charge) ') and words in problems[0]["message"]
    assert "Batho runs no Java" in problems[0]["message"] or "Batho does not run listeners" in problems[0]["message"]


def test_a_task_listener_script_is_refused_because_listeners_do_not_run(batho):
    body = (START + '<bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="supervisor">'
            '<bpmn:extensionElements><camunda:taskListener event="create"><camunda:script scriptFormat="javascript">'
            "task.setVariable('x', 1)</camunda:script></camunda:taskListener></bpmn:extensionElements>"
            "</bpmn:userTask>" + END + flow("start", "approve", "f1") + flow("approve", "end", "f2"))
    [problem] = [p for p in refusal(batho, {"listen.bpmn": process("listen", body)}) if p["rule"] == "java"]
    assert "task listener on create written in javascript" in problem["message"] and problem["element_id"] == "approve"


def test_the_api_names_the_file_of_a_refused_diagram(batho, client, bearer):
    bpmn = process("charge_api", SERVICE.format(attrs='camunda:class="org.example.ChargeCard"', inner=""))
    answer = client.post("/api/v1/processes", data={"file": [(io.BytesIO(bpmn.encode()), "charge_api.bpmn20.xml")]},
                         headers=bearer("owner"))
    assert answer.status_code == 400
    [problem] = [p for p in answer.get_json()["errors"] if p.get("rule") == "java"]
    assert problem["file"] == "charge_api.bpmn20.xml" and "Charge card" in problem["message"]
    assert str(DeploymentError([problem])).startswith("charge_api.bpmn20.xml: ")
