"""SLA timers: the worker fires them from the indexed timer column, survives crashes and broken instances."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.errors import DeploymentError
from engine.services import cases, deployment, timers
from tests.fixtures.make import timer_process
from tests.support.drive import case, events, instance, open_tasks, to_investigation

SAST = ZoneInfo("Africa/Johannesburg")


class WorkerKilled(BaseException):
    """Stands for the process dying (SIGKILL): nothing after it runs, not even except-Exception blocks."""


def at(*args: int) -> time_machine.travel:
    return time_machine.travel(datetime(*args, tzinfo=SAST), tick=False)


def test_resolution_target_escalates_to_supervisor_then_manager(batho, people):
    with at(2026, 3, 16, 9, 0):  # Monday; Saturday 21 March is Human Rights Day
        reference = to_investigation(batho, people)
        due = case(batho, reference).due_at
        assert due.astimezone(SAST) == datetime(2026, 3, 23, 23, 59, 59, tzinfo=SAST)
        assert instance(batho, reference).next_timer_at == due
        assert timers.fire_due_timers(batho) == 0
    with at(2026, 3, 24, 8, 0):
        assert timers.fire_due_timers(batho) == 1
        assert case(batho, reference).escalation_level == "supervisor"
        assert timers.fire_due_timers(batho) == 0
    with at(2026, 3, 31, 8, 0):
        assert timers.fire_due_timers(batho) == 1
    escalations = [e.data["level"] for e in events(batho, reference, "escalation")]
    assert escalations == ["supervisor", "manager"]
    assert case(batho, reference).escalation_level == "manager"
    assert open_tasks(batho, reference) == ["Task_investigate"], "escalation must not take the work away"


def test_a_worker_that_dies_mid_timer_loses_nothing(batho, people):
    with at(2026, 3, 16, 9, 0):
        reference = to_investigation(batho, people)

    def die(_running):
        raise WorkerKilled

    with at(2026, 3, 24, 8, 0):
        with pytest.raises(WorkerKilled):
            timers.fire_due_timers(batho, before_commit=die)
        assert events(batho, reference, "escalation") == []
        assert instance(batho, reference).status == "running"
        assert instance(batho, reference).next_timer_at is not None
        assert timers.fire_due_timers(batho) == 1
    assert [e.data["level"] for e in events(batho, reference, "escalation")] == ["supervisor"]


def test_a_broken_instance_is_marked_and_the_others_still_fire(batho, people):
    deployment.deploy_sources(batho, {"test.bpmn": timer_process("broken", '"PT1M"', "x = 1 / 0")})
    deployment.deploy_sources(batho, {"test.bpmn": timer_process("fine", '"PT1M"')})
    with at(2026, 5, 4, 10, 0):
        broken = cases.start_process(batho, "broken", {})
        fine = cases.start_process(batho, "fine", {})
    with at(2026, 5, 4, 10, 5):
        fired = timers.fire_due_timers(batho)
    assert fired == 2
    assert instance(batho, broken).status == "error"
    assert "ZeroDivisionError" in instance(batho, broken).error_message
    assert events(batho, broken, "error")
    assert instance(batho, fine).status == "running"
    assert open_tasks(batho, fine) == ["ask"]


def test_a_timer_that_is_not_yet_due_waits(batho):
    deployment.deploy_sources(batho, {"test.bpmn": timer_process("later", '"PT2H"')})
    reference = cases.start_process(batho, "later", {})
    assert timers.fire_due_timers(batho) == 0
    assert open_tasks(batho, reference) == []


def test_an_unquoted_timer_runs_as_camunda_modeler_writes_it_and_a_wrong_one_is_refused(batho):
    deployment.deploy_sources(batho, {"test.bpmn": timer_process("bare_timer", "PT0S")})
    reference = cases.start_process(batho, "bare_timer", {})
    timers.fire_due_timers(batho)
    assert instance(batho, reference).status == "running" and open_tasks(batho, reference) == ["ask"]
    with pytest.raises(DeploymentError, match="not a valid ISO 8601 duration"):
        deployment.deploy_sources(batho, {"test.bpmn": timer_process("bad_timer", "P5DT")})
