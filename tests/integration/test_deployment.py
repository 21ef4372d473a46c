"""Deploying creates versions only on change; running instances keep their version, new ones take the newest."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.bpmn.specs import SpecCache
from engine.config import PROJECT_ROOT
from engine.errors import DeploymentError
from engine.models import ProcessVersion
from engine.services import cases, deployment, tasks
from tests.fixtures.make import timer_process
from tests.support.drive import do, instance, lodge, open_task

WORKFLOWS = PROJECT_ROOT / "workflows"


def complaint_files(label: str = "Triage complaint") -> dict[str, str]:
    bpmn = (WORKFLOWS / "complaint.bpmn").read_text().replace('name="Triage complaint"', f'name="{label}"')
    return {"complaint.bpmn": bpmn, "complaint_routing.dmn": (WORKFLOWS / "complaint_routing.dmn").read_text()}


def versions(batho, key: str = "complaint") -> list[int]:
    with batho.db.reading() as session:
        return list(session.scalars(select(ProcessVersion.version).where(ProcessVersion.key == key)
                                    .order_by(ProcessVersion.version)))


def test_deploying_unchanged_files_creates_no_new_version(batho):
    result = deployment.deploy_directory(batho, WORKFLOWS)
    assert {r.key: r.created for r in result}["complaint"] is False
    assert versions(batho) == [1]


def test_a_changed_diagram_becomes_a_new_version_with_its_author(batho, people):
    result = deployment.deploy_sources(batho, complaint_files("Triage the complaint"), people["owner"].id)
    assert [(r.key, r.version, r.created) for r in result] == [("complaint", 2, True)]
    with batho.db.reading() as session:
        newest = session.scalars(select(ProcessVersion).where(ProcessVersion.version == 2)).one()
    assert newest.deployed_by_id == people["owner"].id
    assert "complaint_routing.dmn" in newest.dmn_files and len(newest.content_hash) == 64


def test_running_instances_stay_on_their_version_and_new_cases_use_the_newest(batho, people):
    old = lodge(batho)
    deployment.deploy_sources(batho, complaint_files("Triage the complaint"))
    new = lodge(batho)
    assert instance(batho, old).version.version == 1
    assert instance(batho, new).version.version == 2
    assert open_task(batho, old, "Task_triage").title == "Triage complaint"
    assert open_task(batho, new, "Task_triage").title == "Triage the complaint"
    do(batho, people["agent"], old, "Task_triage", triage_outcome="accept")
    assert instance(batho, old).version.version == 1


def test_a_malformed_diagram_is_refused_with_a_clear_message_and_nothing_changes(batho):
    with pytest.raises(DeploymentError) as failure:
        deployment.deploy_sources(batho, {"broken.bpmn": "<bpmn:definitions><unclosed>"})
    assert "not well-formed" in failure.value.problems[0]["message"]
    assert versions(batho) == [1]


def test_a_structural_error_names_the_element(batho):
    bad = complaint_files()["complaint.bpmn"].replace('sourceRef="Task_route"', 'sourceRef="Task_nowhere"')
    with pytest.raises(DeploymentError) as failure:
        deployment.deploy_sources(batho, {"complaint.bpmn": bad})
    assert failure.value.problems[0]["message"]
    assert versions(batho) == [1]


def test_a_decision_table_neither_uploaded_nor_deployed_before_deploys_with_a_warning(empty_batho):
    [deployed] = deployment.deploy_sources(empty_batho, {"complaint.bpmn": complaint_files()["complaint.bpmn"]})
    assert any('"complaint_routing", which is not deployed yet' in w["message"] for w in deployed.warnings)


def test_entity_declarations_are_refused(batho):
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(DeploymentError) as failure:
        deployment.deploy_sources(batho, {"bomb.bpmn": bomb})
    assert "entities" in failure.value.problems[0]["message"]


def test_the_spec_cache_parses_each_version_once(batho):
    assert deployment.warm_spec_cache(batho) >= 1
    cached = len(batho.specs)
    lodge(batho)
    lodge(batho)
    assert len(batho.specs) == cached


def test_task_views_of_old_versions_show_their_own_form(batho, people):
    old = lodge(batho)
    deployment.deploy_sources(batho, complaint_files("Triage the complaint"))
    view = tasks.task_view(batho, people["agent"], open_task(batho, old, "Task_triage").id)
    assert [f.id for f in view.fields] == ["triage_outcome", "triage_reason", "duplicate_of"]


def test_deploying_a_single_file_path_brings_its_decision_tables(empty_batho, tmp_path: Path):
    result = deployment.deploy_directory(empty_batho, WORKFLOWS / "complaint.bpmn")
    assert [r.key for r in result] == ["complaint"]



def test_start_up_parses_the_newest_versions_first_and_older_ones_in_use_after(batho):
    """Start-up is ready once the newest version of each process is parsed; older versions with running
    instances are parsed by a thread after it, so none is parsed by a request."""
    deployment.deploy_sources(batho, {"warm_later.bpmn": timer_process("warm_later", '"PT1H"')})
    cases.start_process(batho, "warm_later", {})  # waits an hour on the first version
    deployment.deploy_sources(batho, {"warm_later.bpmn": timer_process("warm_later", '"PT2H"')})
    with batho.db.reading() as session:
        keys = len(set(session.scalars(select(ProcessVersion.key))))
    batho.specs = SpecCache(batho.config.unassigned_task_role)
    total = deployment.warm_spec_cache(batho, in_background=True)
    assert total > keys and len(batho.specs) >= keys  # the newest of each process before it returns
    for _ in range(1200):
        if len(batho.specs) == total:
            break
        time.sleep(0.05)
    assert len(batho.specs) == total
