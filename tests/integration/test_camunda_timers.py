"""Timers as Camunda Modeler writes them fire through the worker: P5D on a boundary, R3/PT10M and cron cycles."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from engine.services import cases, deployment, timers
from tests.fixtures.make import process
from tests.support.drive import do, events, instance, open_tasks

SAST = ZoneInfo("Africa/Johannesburg")


def at(moment: datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def boundary_process(key: str, timer: str, interrupting: bool) -> str:
    """start -> user task "Approve" (supervisors) with a boundary timer -> "Remind" (managers) -> end."""
    kind = "timeDuration" if timer.startswith("P") else "timeCycle"
    return process(key, f"""
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="supervisor" />
    <bpmn:boundaryEvent id="late" name="Late" attachedToRef="approve" cancelActivity="{str(interrupting).lower()}">
      <bpmn:timerEventDefinition id="td"><bpmn:{kind} xsi:type="bpmn:tFormalExpression">{timer}</bpmn:{kind}></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:userTask id="remind" name="Remind" camunda:candidateGroups="manager" />
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="reminded" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="remind" />
    <bpmn:sequenceFlow id="f4" sourceRef="remind" targetRef="reminded" />
""")


START = datetime(2026, 12, 2, 9, 0, tzinfo=SAST)


def test_a_bare_p5d_boundary_timer_fires_after_five_days(batho):
    deployment.deploy_sources(batho, {"late.bpmn": boundary_process("late_p5d", "P5D", interrupting=True)})
    with at(START):
        reference = cases.start_process(batho, "late_p5d", {})
        assert open_tasks(batho, reference) == ["approve"]
        assert instance(batho, reference).next_timer_at == START + timedelta(days=5)
    with at(START + timedelta(days=4, hours=23)):
        assert timers.fire_due_timers(batho) == 0
    with at(START + timedelta(days=5, minutes=1)):
        assert timers.fire_due_timers(batho) == 1
    assert open_tasks(batho, reference) == ["remind"], "an interrupting timer takes the task away"
    assert [e.task_name for e in events(batho, reference, "timer")] == ["late"]


def test_an_r3_pt10m_cycle_fires_three_times_and_then_stops(batho, people):
    deployment.deploy_sources(batho, {"cycle.bpmn": boundary_process("late_cycle", "R3/PT10M", interrupting=False)})
    with at(START):
        reference = cases.start_process(batho, "late_cycle", {})
        assert instance(batho, reference).next_timer_at == START + timedelta(minutes=10)
    for n in range(1, 4):
        with at(START + timedelta(minutes=10 * n, seconds=30)):
            assert timers.fire_due_timers(batho) == 1
        assert open_tasks(batho, reference) == ["approve", *["remind"] * n]
    with at(START + timedelta(hours=2)):
        assert timers.fire_due_timers(batho) == 0
        assert instance(batho, reference).next_timer_at is None
    assert open_tasks(batho, reference) == ["approve", "remind", "remind", "remind"]
    with at(START + timedelta(hours=2)):
        do(batho, people["supervisor"], reference, "approve")  # candidate group "supervisor" may work it
    assert "approve" not in open_tasks(batho, reference)


def test_a_quartz_cron_cycle_fires_every_friday_at_nine(batho):
    deployment.deploy_sources(batho, {"cron.bpmn": boundary_process("late_cron", "0 0 9 ? * FRI", False)})
    with at(START):  # a Wednesday
        reference = cases.start_process(batho, "late_cron", {})
        friday = datetime(2026, 12, 4, 9, 0, tzinfo=SAST)
        assert instance(batho, reference).next_timer_at == friday
    with at(friday + timedelta(minutes=1)):
        assert timers.fire_due_timers(batho) == 1
        assert instance(batho, reference).next_timer_at == friday + timedelta(days=7)
    with at(friday + timedelta(days=7, minutes=1)):
        assert timers.fire_due_timers(batho) == 1
    assert open_tasks(batho, reference) == ["approve", "remind", "remind"]


def test_a_duration_from_an_expression_is_read_from_the_data(batho):
    deployment.deploy_sources(batho, {"expr.bpmn": boundary_process("late_expr", "${wait}", interrupting=True)
                                      .replace("timeCycle", "timeDuration")})
    with at(START):
        reference = cases.start_process(batho, "late_expr", {"wait": "PT2H"})
        assert instance(batho, reference).next_timer_at == START + timedelta(hours=2)


def test_a_bare_duration_after_an_event_based_gateway_fires(batho):
    """Camunda Modeler writes PT0S and P2D unquoted on the timers behind an event-based gateway too."""
    bpmn = process("race", """
    <bpmn:startEvent id="start" />
    <bpmn:eventBasedGateway id="gw" />
    <bpmn:intermediateCatchEvent id="soon" name="Soon">
      <bpmn:timerEventDefinition id="t1"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT0S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="later" name="Later">
      <bpmn:timerEventDefinition id="t2"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P2D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="after" name="After" camunda:candidateGroups="supervisor" />
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="end_late" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw" />
    <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="soon" />
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="later" />
    <bpmn:sequenceFlow id="f4" sourceRef="soon" targetRef="after" />
    <bpmn:sequenceFlow id="f5" sourceRef="after" targetRef="end" />
    <bpmn:sequenceFlow id="f6" sourceRef="later" targetRef="end_late" />
""")
    deployment.deploy_sources(batho, {"race.bpmn": bpmn})
    with at(START):
        reference = cases.start_process(batho, "race", {})
    with at(START + timedelta(minutes=1)):
        timers.fire_due_timers(batho)
    assert instance(batho, reference).status != "error", instance(batho, reference).error_message
    assert open_tasks(batho, reference) == ["after"]
