"""Moving running cases to the newest version: a preview first, then only the confirmed instances move."""

from __future__ import annotations

import pytest

from engine.errors import Conflict, Forbidden
from engine.services import migration, modeling, tasks
from tests.modeler.diagrams import complaint_files
from tests.support.drive import do, events, instance, lodge, open_task, open_tasks


def test_the_preview_lists_each_running_case_and_what_moves(batho, people):
    waiting = lodge(batho)
    modeling.deploy(batho, people["owner"], complaint_files(triage_label="Triage outcome"))
    previews = migration.preview(batho, people["owner"], "complaint")
    assert [(p.reference, p.from_version, p.to_version, p.blocked) for p in previews] == [(waiting, 1, 2, None)]
    assert previews[0].open_steps == ["Triage complaint"]
    assert previews[0].moves == ["Triage complaint: starts again on the new version (it changed)."]
    assert instance(batho, waiting).version.version == 1  # a preview moves nothing


def test_a_confirmed_case_moves_keeps_its_task_holder_and_is_audited(batho, people):
    reference = lodge(batho)
    tasks.claim(batho, people["agent"], open_task(batho, reference, "Task_triage").id)
    untouched = lodge(batho)
    modeling.deploy(batho, people["owner"], complaint_files(triage_label="Triage outcome"))
    moved = migration.migrate(batho, people["owner"], "complaint", [instance(batho, reference).id])
    assert moved == [reference]
    assert instance(batho, reference).version.version == 2
    assert instance(batho, untouched).version.version == 1
    task = open_task(batho, reference, "Task_triage")
    assert task.assignee_id == people["agent"].id
    view = tasks.task_view(batho, people["agent"], task.id)
    assert view.fields[0].label == "Triage outcome"
    [event] = events(batho, reference, "migrated")
    assert event.actor_id == people["owner"].id and event.data["from"] == 1 and event.data["to"] == 2
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    assert open_tasks(batho, reference) == ["Task_investigate"]


def test_a_moved_case_keeps_its_timers(batho, people):
    reference = lodge(batho)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    due_before = instance(batho, reference).next_timer_at
    modeling.deploy(batho, people["owner"], complaint_files(investigate_label="Investigate the complaint"))
    migration.migrate(batho, people["owner"], "complaint", [instance(batho, reference).id])
    assert instance(batho, reference).version.version == 2
    assert instance(batho, reference).next_timer_at == due_before
    assert open_task(batho, reference, "Task_investigate").title == "Investigate the complaint"


def test_a_case_whose_current_step_was_removed_cannot_move(batho, people):
    reference = lodge(batho)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    modeling.deploy(batho, people["owner"], complaint_files(without_register=True))
    [preview] = migration.preview(batho, people["owner"], "complaint")
    assert preview.blocked and "Register and acknowledge" in preview.blocked
    with pytest.raises(Conflict):
        migration.migrate(batho, people["owner"], "complaint", [instance(batho, reference).id])
    assert instance(batho, reference).version.version == 1


def test_only_process_owners_preview_or_move(batho, people):
    reference = lodge(batho)
    modeling.deploy(batho, people["owner"], complaint_files(triage_label="Triage outcome"))
    with pytest.raises(Forbidden):
        migration.preview(batho, people["supervisor"], "complaint")
    with pytest.raises(Forbidden):
        migration.migrate(batho, people["agent"], "complaint", [instance(batho, reference).id])
    assert instance(batho, reference).version.version == 1


def test_an_instance_of_another_process_is_not_moved(batho, people):
    reference = lodge(batho)
    modeling.deploy(batho, people["owner"], complaint_files(triage_label="Triage outcome"))
    modeling.deploy(batho, people["owner"], {"other.bpmn": complaint_files()["complaint.bpmn"].replace(
        'id="complaint"', 'id="other_complaint"').replace('processRef="complaint"', 'processRef="other_complaint"'),
        "complaint_routing.dmn": complaint_files()["complaint_routing.dmn"]})
    with pytest.raises(Conflict):
        migration.migrate(batho, people["owner"], "other_complaint", [instance(batho, reference).id])
    assert instance(batho, reference).version.version == 1
