"""Diagram code runs with a budget: a runaway script, condition, DMN cell or timer stops its own instance only."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from engine.bpmn.scripting import compile_script
from engine.composition import build
from engine.errors import DeploymentError
from engine.models import CaseEvent, ProcessInstance
from engine.services import cases, deployment, incidents, tasks, timers
from tests.fixtures.make import gateway_process, process, script_process, timer_process
from tests.support.drive import WATER, events, instance, open_task, open_tasks
from tests.support.unchecked import store_unchecked

SAST = ZoneInfo("Africa/Johannesburg")
# Expressions that ran for minutes or built gigabytes before the budget; each must stop at once now.
HOGS = {
    "nested loops": "sum(1 for a in range(999) for b in range(999) for c in range(999))",
    "exponential recursion": "(lambda f: f(f, 30))(lambda f, n: 1 if n == 0 else f(f, n - 1) + f(f, n - 1))",
    "huge power": "pow(7, 30000000)",
    "huge repetition": "'a' * 1000000000",
    "doubling": "[s := ['ab'], [s.append(s[-1] + s[-1]) for i in range(100)]]",
}
WHAT = {"nested loops": "computed for more than", "exponential recursion": "computed for more than",
        "huge power": "would build a number", "huge repetition": "would build a text or list",
        "doubling": "would build a text or list"}
DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="D" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="hog_decision" name="Hog decision">
    <decisionTable id="t" hitPolicy="UNIQUE">
      <input id="in1" label="Amount"><inputExpression id="ie1" typeRef="integer"><text>1</text></inputExpression></input>
      <output id="out1" label="Level" name="level" typeRef="string" />
      <rule id="r1"><inputEntry id="c1"><text>-</text></inputEntry><outputEntry id="o1"><text>{result}</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""
LANE = """<bpmn:laneSet id="ls"><bpmn:lane id="lane_agent" name="Customer Care Agent">
      <bpmn:flowNodeRef>ask</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"""


@pytest.fixture
def app(empty_batho):
    """Batho with a quarter-second budget, so the tests of CPU hogs stay quick."""
    fast = build(replace(empty_batho.config, script_budget_seconds=0.25))
    yield fast
    fast.db.dispose()


def decision_files(expression: str) -> dict[str, str]:
    body = f"""{LANE}
    <bpmn:startEvent id="start" />
    <bpmn:businessRuleTask id="decide" name="Decide" camunda:decisionRef="hog_decision" />
    <bpmn:userTask id="ask" name="Look at it" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="ask" />
    <bpmn:sequenceFlow id="f3" sourceRef="ask" targetRef="end" />"""
    return {"hog.bpmn": process("hog", body), "hog.dmn": DMN.format(result=escape(expression))}


PLACES = {
    "script task": (lambda e: {"hog.bpmn": script_process("hog", escape(f"x = {e}"))}, '"Run the script" (script)'),
    "gateway condition": (lambda e: {"hog.bpmn": gateway_process("hog", escape(f"({e}) != 0"))},
                          '"Which way?" (gw)'),
    "DMN cell": (decision_files, '"Decide" (decide)'),
    "timer expression": (lambda e: {"hog.bpmn": timer_process("hog", escape(f'"PT1H" if len(str({e})) else "PT2H"'))},
                         '"Wait" (wait)'),
}


@pytest.mark.parametrize("hog", HOGS)
@pytest.mark.parametrize("place", PLACES)
def test_a_hog_stops_its_instance_at_once_naming_the_element(app, place, hog):
    make, element = PLACES[place]
    deployment.deploy_sources(app, make(HOGS[hog]))  # each passes the lint: only the run-time budget stops it
    reference = cases.start_process(app, "hog", {})
    stopped = instance(app, reference)
    assert stopped.status == "error"
    assert element in stopped.error_message and WHAT[hog] in stopped.error_message
    assert stopped.next_timer_at is None
    assert events(app, reference, "error")[0].message == stopped.error_message


def test_a_script_cannot_swallow_its_stop_with_try():
    with pytest.raises(SyntaxError, match="try blocks are not allowed"):
        compile_script("try:\n    x = 1\nexcept Exception:\n    x = 2")


def test_completing_a_task_before_a_hog_keeps_the_answers_and_errors_the_instance(app, people):
    body = f"""{LANE}
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="ask" name="Say something" />
    <bpmn:scriptTask id="hog" name="Think hard" scriptFormat="python"><bpmn:script>{escape("x = " + HOGS["nested loops"])}</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="hog" />
    <bpmn:sequenceFlow id="f3" sourceRef="hog" targetRef="end" />"""
    deployment.deploy_sources(app, {"think.bpmn": process("think", body)})
    reference = cases.start_process(app, "think", {})
    done = tasks.complete(app, people["agent"], open_task(app, reference, "ask").id, {})
    assert done.reference == reference and done.next_step_stopped, "the caller is told the next step stopped"
    assert instance(app, reference).status == "error"
    assert 'Script task "Think hard" (hog) was stopped: it computed for more than 0.25 s' in (
        instance(app, reference).error_message)
    assert [e.task_name for e in events(app, reference, "completed")] == ["ask"]


def test_a_citizen_can_lodge_while_a_hog_is_being_stopped(batho, people):
    """On SQLite the hog's request holds the write lock: the lodge waits for the budget (1 s), not for ever."""
    body = f"""{LANE}
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="ask" name="Say something" />
    <bpmn:scriptTask id="hog" name="Think hard" scriptFormat="python"><bpmn:script>{escape("x = " + HOGS["nested loops"])}</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="hog" />
    <bpmn:sequenceFlow id="f3" sourceRef="hog" targetRef="end" />"""
    deployment.deploy_sources(batho, {"think.bpmn": process("think", body)})
    hogging = cases.start_process(batho, "think", {})
    task_id = open_task(batho, hogging, "ask").id
    outcome: dict[str, object] = {}

    def complete() -> None:
        try:
            tasks.complete(batho, people["agent"], task_id, {})
        except Exception as exc:  # reported below rather than lost in the thread
            outcome["hog"] = exc
        outcome["hog_done"] = time.monotonic()

    hog = threading.Thread(target=complete)
    hog.start()
    time.sleep(0.3)  # the completion is inside its transaction, running the script
    lodging_from = time.monotonic()
    reference, _code = cases.lodge_for_citizen(batho, "complaint", dict(WATER), cases.Contact(name="Thandi"), "web")
    hog.join(timeout=120)
    assert not hog.is_alive() and "hog" not in outcome
    assert outcome["hog_done"] > lodging_from, "the lodge must have run while the hog was running"
    assert open_tasks(batho, reference) == ["Task_triage"]
    assert instance(batho, hogging).status == "error"


def test_the_worker_goes_on_after_a_hog_and_never_picks_it_up_again(app):
    deployment.deploy_sources(app, {"hog.bpmn": timer_process("hog", '"PT1H"', escape("x = " + HOGS["doubling"])),
                                    "calm.bpmn": timer_process("calm", '"PT2H"')})
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=SAST), tick=False):
        hogging = cases.start_process(app, "hog", {})
        calm = cases.start_process(app, "calm", {})
        spinning = cases.start_process(app, "hog", {})
    with time_machine.travel(datetime(2026, 3, 16, 12, 0, tzinfo=SAST), tick=False):
        assert timers.fire_due_timers(app) == 3
        assert [instance(app, r).status for r in (hogging, calm, spinning)] == ["error", "running", "error"]
        assert open_tasks(app, calm) == ["ask"]
        before = _snapshot(app)
        assert timers.fire_due_timers(app) == 0
        assert _snapshot(app) == before, "a second pass must not touch an instance stopped by its budget"


def _snapshot(app):
    with app.db.reading() as session:
        rows = session.execute(select(ProcessInstance.id, ProcessInstance.status, ProcessInstance.updated_at,
                                      ProcessInstance.state)).all()
        return sorted(rows), session.scalar(select(CaseEvent.id).order_by(CaseEvent.id.desc()).limit(1))


def test_the_worker_pass_ends_between_instances_when_told_to_stop(app):
    deployment.deploy_sources(app, {"calm.bpmn": timer_process("calm", '"PT1H"')})
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=SAST), tick=False):
        for _ in range(3):
            cases.start_process(app, "calm", {})
    asked = []

    def stopping() -> bool:
        asked.append(1)
        return len(asked) > 1  # SIGTERM arrived while the first instance ran

    with time_machine.travel(datetime(2026, 3, 16, 12, 0, tzinfo=SAST), tick=False):
        assert timers.fire_due_timers(app, stopping=stopping) == 1
        assert timers.fire_due_timers(app) == 2


CALLER = f"""{LANE}
    <bpmn:startEvent id="start" />
    <bpmn:callActivity id="again" name="Do it again" calledElement="{{called}}" />
    <bpmn:userTask id="ask" name="Look at it" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again" />
    <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="ask" />
    <bpmn:sequenceFlow id="f3" sourceRef="ask" targetRef="end" />"""


def test_a_call_activity_calling_its_own_process_is_refused(app):
    with pytest.raises(DeploymentError) as refused:
        deployment.deploy_sources(app, {"loop.bpmn": process("loop", CALLER.format(called="loop"))})
    assert 'Call activity "Do it again" (again) calls its own process "loop"' in str(refused.value)


def test_a_call_activity_calling_back_through_another_process_is_refused(app):
    files = {"a.bpmn": process("a", CALLER.format(called="b")),
             "b.bpmn": process("b", CALLER.format(called="a"))}
    with pytest.raises(DeploymentError) as refused:
        deployment.deploy_sources(app, files)
    assert 'calls process "b", which leads back to "a" (a → b → a)' in str(refused.value)


def test_a_call_activity_calling_another_process_passes(app):
    files = {"a.bpmn": process("a", CALLER.format(called="b")), "b.bpmn": timer_process("b", '"PT1H"')}
    deployment.deploy_sources(app, files)


def test_nesting_of_call_activities_is_capped_at_run_time(app):
    store_unchecked(app, {"loop.bpmn": process("loop", CALLER.format(called="loop"))})
    reference = cases.start_process(app, "loop", {})
    stopped = instance(app, reference)
    assert stopped.status == "error"
    assert 'Call activity "Do it again" (again) was stopped: call activities are nested more than 10 deep' in (
        stopped.error_message)


def test_an_administrator_retries_or_cancels_an_instance_stopped_by_its_budget(app, people):
    deployment.deploy_sources(app, {"hog.bpmn": script_process("hog", escape("x = " + HOGS["huge repetition"]))})
    retried, cancelled = cases.start_process(app, "hog", {}), cases.start_process(app, "hog", {})
    assert incidents.retry(app, people["admin"], instance(app, retried).id, {}) == "error"  # the same diagram stops
    assert len(events(app, retried, "error")) == 2
    incidents.cancel(app, people["admin"], instance(app, cancelled).id, "The diagram builds a gigabyte of text.")
    assert instance(app, cancelled).status == "cancelled"
