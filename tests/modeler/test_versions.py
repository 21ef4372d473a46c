"""Versions: every deploy records its author and what changed; roll-back deploys an older version again."""

from __future__ import annotations

import pytest

from engine.errors import Conflict, DeploymentError, Forbidden
from engine.services import cases, deployment, modeling
from tests.fixtures.make import process
from tests.modeler.diagrams import complaint_files
from tests.support.drive import instance, lodge, open_tasks


def newest(batho, people) -> modeling.VersionRow:
    return modeling.versions(batho, people["owner"], "complaint")[0]


def test_the_first_version_says_so(batho, people):
    [first] = modeling.versions(batho, people["owner"], "complaint")
    assert first.summary["first"] is True and first.deployed_by is None  # deployed from the command line


def test_a_changed_form_and_a_changed_decision_table_are_summarised(batho, people):
    files = complaint_files(triage_label="Triage outcome")
    files["complaint_routing.dmn"] = files["complaint_routing.dmn"].replace(
        '<outputEntry id="Out_roads_res"><text>20</text>', '<outputEntry id="Out_roads_res"><text>15</text>')
    modeling.deploy(batho, people["owner"], files)
    row = newest(batho, people)
    assert (row.version, row.deployed_by, row.is_latest) == (2, "Ayanda Nkosi", True)
    changed = {step["id"]: step["what"] for step in row.summary["changed"]}
    assert changed == {"Task_triage": ["form"], "Task_route": ["decision table"]}
    assert row.summary["files"] == ["complaint.bpmn", "complaint_routing.dmn"]
    assert row.summary["added"] == [] and row.summary["removed"] == []


def test_added_and_removed_steps_are_summarised(batho, people):
    modeling.deploy(batho, people["owner"], complaint_files(without_register=True))
    summary = newest(batho, people).summary
    assert [s["id"] for s in summary["removed"]] == ["Task_register"]
    modeling.deploy(batho, people["owner"], complaint_files())
    summary = newest(batho, people).summary
    assert [s["name"] for s in summary["added"]] == ["Register and acknowledge"]


def test_rolling_back_deploys_the_old_version_as_the_newest_and_leaves_running_cases(batho, people):
    modeling.deploy(batho, people["owner"], complaint_files(triage_label="Triage outcome"))
    on_two = lodge(batho)
    deployed = modeling.rollback(batho, people["owner"], "complaint", 1)
    assert (deployed.version, deployed.created) == (3, True)
    row = newest(batho, people)
    assert row.restored_from == 1 and row.summary["changed"][0]["id"] == "Task_triage"
    assert instance(batho, on_two).version.version == 2
    assert instance(batho, lodge(batho)).version.version == 3


def test_rolling_back_to_the_newest_version_is_refused(batho, people):
    with pytest.raises(Conflict):
        modeling.rollback(batho, people["owner"], "complaint", 1)


def test_only_owners_and_admins_deploy_or_roll_back(batho, people):
    for who in ("agent", "officer", "supervisor", "manager", "cfo"):
        with pytest.raises(Forbidden):
            modeling.deploy(batho, people[who], complaint_files(triage_label="Mine now"))
        with pytest.raises(Forbidden):
            modeling.rollback(batho, people[who], "complaint", 1)
    modeling.deploy(batho, people["admin"], complaint_files(triage_label="By the admin"))
    assert newest(batho, people).deployed_by == "System Administrator"


def test_a_refused_deploy_changes_nothing(batho, people):
    files = complaint_files()
    files["complaint.bpmn"] = files["complaint.bpmn"].replace('decision == "approve"', 'decision = "approve"')
    with pytest.raises(DeploymentError) as refused:
        modeling.deploy(batho, people["owner"], files)
    assert refused.value.problems[0]["element_id"] == "Flow_approved"
    assert [v.version for v in modeling.versions(batho, people["owner"], "complaint")] == [1]


CALLER = """
    <bpmn:laneSet id="ls"><bpmn:lane id="l" name="Customer Care Agent"><bpmn:flowNodeRef>ask</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" /><bpmn:callActivity id="call" name="Check the meter" calledElement="meter_check" />
    <bpmn:userTask id="ask" name="Tell the citizen" /><bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="ask" />
    <bpmn:sequenceFlow id="f3" sourceRef="ask" targetRef="end" />"""
CALLED = """
    <bpmn:laneSet id="ls2"><bpmn:lane id="l2" name="Meter Reader"><bpmn:flowNodeRef>read</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s2" /><bpmn:userTask id="read" name="Read the meter" /><bpmn:endEvent id="e2" />
    <bpmn:sequenceFlow id="g1" sourceRef="s2" targetRef="read" /><bpmn:sequenceFlow id="g2" sourceRef="read" targetRef="e2" />"""


def test_a_called_process_in_another_file_is_deployed_with_its_caller(batho, people):
    files = {"query.bpmn": process("meter_query", CALLER), "meter.bpmn": process("meter_check", CALLED)}
    deployed = deployment.deploy_sources(batho, files, people["owner"].id)
    assert sorted((d.key, d.version) for d in deployed) == [("meter_check", 1), ("meter_query", 1)]
    reference = cases.start_process(batho, "meter_query", {})
    assert open_tasks(batho, reference) == ["read"]
