"""Camunda's priority, due date and follow-up date of a user task show in the task list, sort it, and reach the API."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from engine import formatting
from engine.services import cases, deployment
from tests.fixtures.make import process

SAST = ZoneInfo("Africa/Johannesburg")
START = datetime(2026, 12, 2, 9, 0, tzinfo=SAST)
DIAGRAM = process("prioritised", """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="check" name="Check the meter reading" camunda:candidateGroups="billing_clerk:finance"
        camunda:priority="${urgency}" camunda:dueDate="${due}" camunda:followUpDate="P2D" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
""")


def _start_three(batho):
    deployment.deploy_sources(batho, {"prioritised.bpmn": DIAGRAM})
    with time_machine.travel(START, tick=False):
        return {urgency: cases.start_process(batho, "prioritised", {"urgency": urgency, "due": due})
                for urgency, due in ((10, "2026-12-10T12:00:00"), (90, "2026-12-20T12:00:00"),
                                     (50, "2026-12-05T12:00:00"))}


def test_the_task_list_shows_priority_and_due_date_and_sorts_by_either(browsers, batho):
    references = _start_three(batho)
    billing = browsers("billing")
    page = billing.get("/tasks/?view=groups&sort=priority&process=prioritised").get_data(as_text=True)
    assert "Priority (highest first)" in page
    order = [m.group(0) for m in re.finditer("|".join(references.values()), page)]
    assert list(dict.fromkeys(order)) == [references[90], references[50], references[10]]
    row = page[page.index(references[90]):]
    row = row[:row.index("</tr>")]
    due = formatting.date_time(datetime(2026, 12, 20, 12, 0, tzinfo=SAST), "en", "Africa/Johannesburg")
    follow = formatting.date_time(START + timedelta(days=2), "en", "Africa/Johannesburg")
    assert due in row and f"Follow up {follow}" in row and '<td data-label="Priority">90</td>' in row
    by_due = billing.get("/tasks/?view=groups&sort=due&process=prioritised").get_data(as_text=True)
    order = [m.group(0) for m in re.finditer("|".join(references.values()), by_due)]
    assert list(dict.fromkeys(order)) == [references[50], references[10], references[90]]


def test_only_the_candidate_group_sees_the_tasks(browsers, batho):
    references = _start_three(batho)
    page = browsers("officer").get("/tasks/?view=groups&process=prioritised").get_data(as_text=True)
    assert not any(reference in page for reference in references.values())


def test_the_staff_api_gives_priority_due_and_follow_up(client, batho, bearer):
    references = _start_three(batho)
    listed = client.get("/api/v1/tasks", headers=bearer("billing")).get_json()["tasks"]
    mine = {t["case_reference"]: t for t in listed if t["process"] == "prioritised"}
    assert set(mine) == set(references.values())
    task = mine[references[90]]
    assert task["priority"] == 90
    assert datetime.fromisoformat(task["due_at"]) == datetime(2026, 12, 20, 12, 0, tzinfo=SAST)
    assert datetime.fromisoformat(task["follow_up_at"]) == START + timedelta(days=2)
