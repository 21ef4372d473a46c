"""Two people completing the same task at once: one wins, the other gets a conflict, nothing is lost."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, update

from engine import instances
from engine.errors import Conflict, Forbidden, StaleInstance, TaskNotReady
from engine.models import HumanTask, ProcessInstance, User
from engine.services import tasks
from engine.services.identity import authenticate, create_user
from tests.support.database import DEMO_PASSWORD
from tests.support.drive import events, lodge, open_task, open_tasks, to_investigation


def test_a_concurrent_double_completion_loses_nothing_and_the_second_gets_a_conflict(batho, people):
    reference = lodge(batho)
    task_id = open_task(batho, reference, "Task_triage").id
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def submit(outcome: str) -> None:
        barrier.wait()
        try:
            tasks.complete(batho, people["agent"], task_id, {"triage_outcome": outcome, "triage_reason": "r",
                                                              "duplicate_of": "MAF-2026-000099"})
            outcomes.append(outcome)
        except Conflict as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=submit, args=(o,)) for o in ("accept", "refer")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if isinstance(o, str)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert len([e for e in events(batho, reference, "completed") if e.task_name == "Task_triage"]) == 1
    expected = ["Task_investigate"] if winners == ["accept"] else []
    assert open_tasks(batho, reference) == expected


def test_a_completed_task_cannot_be_completed_again(batho, people):
    reference = lodge(batho)
    task_id = open_task(batho, reference, "Task_triage").id
    tasks.complete(batho, people["agent"], task_id, {"triage_outcome": "accept"})
    with pytest.raises(TaskNotReady):
        tasks.complete(batho, people["agent"], task_id, {"triage_outcome": "accept"})
    assert len(events(batho, reference, "completed")) == 1


def test_a_save_from_a_stale_version_is_refused(batho, people):
    reference = lodge(batho)
    with batho.db.transaction() as session:
        row_id = open_task(batho, reference, "Task_triage").instance_id
        running = instances.load(batho, session, row_id)
        # Someone else saved this instance after we loaded it.
        session.execute(update(ProcessInstance).where(ProcessInstance.id == row_id)
                        .values(lock_version=ProcessInstance.lock_version + 1)
                        .execution_options(synchronize_session=False))
        with pytest.raises(StaleInstance):
            instances.save(batho, session, running)


def test_a_user_without_the_role_is_refused(batho, people):
    reference = lodge(batho)
    task_id = open_task(batho, reference, "Task_triage").id
    for username in ("officer", "supervisor", "billing", "owner", "admin"):
        with pytest.raises(Forbidden):
            tasks.complete(batho, people[username], task_id, {"triage_outcome": "accept"})
        with pytest.raises(Forbidden):
            tasks.claim(batho, people[username], task_id)
    assert open_tasks(batho, reference) == ["Task_triage"]


def test_another_departments_officer_is_refused(batho, people):
    reference = to_investigation(batho, people)
    task_id = open_task(batho, reference, "Task_investigate").id
    with pytest.raises(Forbidden):
        tasks.complete(batho, people["officer_community"], task_id, {"findings": "x", "corrective_action": "y"})


def test_a_task_claimed_by_someone_else_cannot_be_taken_or_completed(batho, people, second_agent):
    reference = lodge(batho)
    task_id = open_task(batho, reference, "Task_triage").id
    tasks.claim(batho, people["agent"], task_id)
    with pytest.raises(Conflict):
        tasks.claim(batho, second_agent, task_id)
    with pytest.raises(Conflict):
        tasks.complete(batho, second_agent, task_id, {"triage_outcome": "accept"})
    tasks.complete(batho, people["agent"], task_id, {"triage_outcome": "accept"})


@pytest.fixture
def second_agent(batho):
    with batho.db.transaction() as session:
        create_user(session, "agent2", "Second Agent", DEMO_PASSWORD, ["customer_care_agent"], ["customer_care"])
    yield authenticate(batho, "agent2", DEMO_PASSWORD)
    with batho.db.transaction() as session:
        session.execute(update(HumanTask).values(assignee_id=None))
        session.execute(delete(User).where(User.username == "agent2"))
