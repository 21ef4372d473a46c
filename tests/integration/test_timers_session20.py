"""Timers at scale (issue 14): batches claimed in one statement, a worker killed mid-batch loses and repeats
nothing, and a worker wakes when a timer falls due instead of waiting out its poll interval."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import event, func, select

from engine import worker
from engine.bpmn.specs import SpecCache
from engine.composition import Batho
from engine.models import CaseEvent, EventWait, HumanTask, ProcessInstance, ProcessVersion
from engine.models.enums import EventKind
from engine.services import cases, deployment, timers
from tests.fixtures.make import process as bpmn
from tests.fixtures.make import timer_process
from tests.support.drive import instance, open_tasks

BATHO = [sys.executable, "-c", "from web.cli import main; main()"]

# A worker that fires timers until it is in the middle of a batch (some instances advanced, none committed), says
# so in a file and hangs there until it is killed.
VICTIM = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from engine.composition import build
    from engine.config import Config
    from engine.services import timers

    app = build(Config.from_env())
    advanced = []

    def hang_mid_batch(running):
        advanced.append(running.row.id)
        if len(advanced) == 5:
            Path(sys.argv[1]).write_text(",".join(map(str, advanced)))
            time.sleep(600)

    timers.fire_due_timers(app, before_commit=hang_mid_batch)
""")


def _env(app: Batho, folder: Path, interval: float) -> dict[str, str]:
    env = {**os.environ, "BATHO_DATABASE_URL": app.config.database_url, "BATHO_INSTANCE_PATH": str(folder),
           "BATHO_SECRET_KEY": "timers-session20-secret-key-for-workers", "BATHO_WORKER_INTERVAL": str(interval)}
    env.pop("BATHO_ENV", None)
    return env


def _timer_events(app: Batho) -> Counter[int]:
    with app.db.reading() as session:
        return Counter(session.scalars(select(CaseEvent.instance_id).where(CaseEvent.kind == EventKind.TIMER)))


def _wait_for(condition, seconds: float, what: str, *processes: subprocess.Popen) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        for process in processes:
            assert process.poll() is None, f"a worker ended early: {process.communicate()[0][-3000:]}"
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start_waiting(app: Batho, key: str, duration: str, count: int) -> list[str]:
    deployment.deploy_sources(app, {f"{key}.bpmn": timer_process(key, duration)})
    return [cases.start_process(app, key, {}) for _ in range(count)]


def test_a_worker_killed_mid_batch_while_another_races_it_loses_no_timer_and_fires_none_twice(batho, tmp_path):
    references = _start_waiting(batho, "race", '"PT1S"', 45)
    time.sleep(1.5)  # all 45 due
    marker = tmp_path / "mid-batch"
    victim = subprocess.Popen([sys.executable, "-c", VICTIM, str(marker)], env=_env(batho, tmp_path, 0.2),
                              text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    rival = None
    try:
        _wait_for(marker.exists, 60, "the first worker never got into a batch", victim)
        held = [int(i) for i in marker.read_text().split(",")]
        # The rival races the victim, which holds its whole batch locked and uncommitted (on SQLite the write lock:
        # then the rival waits for it).
        rival = subprocess.Popen(BATHO + ["worker"], env=_env(batho, tmp_path, 0.2), text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        time.sleep(1.0)
        assert not set(held) & set(_timer_events(batho)), "the victim's steps must not be seen before it commits"
        victim.send_signal(signal.SIGKILL)  # dies mid-batch: nothing after this point runs in it
        victim.wait(timeout=30)
        _wait_for(lambda: len(_timer_events(batho)) >= len(references), 90, "not every timer fired", rival)
        time.sleep(1.5)  # a second firing, if there were one, would show now
    finally:
        _stop(victim, *([rival] if rival else []))
    fired = _timer_events(batho)
    with batho.db.reading() as session:  # the race's instances (the rival may start the calendar's runs too)
        race = select(ProcessInstance.id).join(ProcessVersion).where(ProcessVersion.key == "race")
        instance_ids = set(session.scalars(race))
        tasks_per_instance = Counter(session.scalars(select(HumanTask.instance_id)
                                                     .where(HumanTask.instance_id.in_(race))))
        due_left = session.scalar(select(func.count()).select_from(ProcessInstance)
                                  .where(ProcessInstance.id.in_(race), ProcessInstance.next_timer_at.is_not(None)))
    fired = Counter({i: n for i, n in fired.items() if i in instance_ids})
    assert len(instance_ids) == len(references)
    assert set(fired) == instance_ids, "every instance's timer fired, those the killed worker held included"
    assert set(held) <= set(fired)
    assert max(fired.values()) == 1, "no timer fired twice"
    assert tasks_per_instance == Counter({i: 1 for i in instance_ids}), "each instance has its one task, once"
    assert due_left == 0


def test_a_worker_wakes_when_a_timer_falls_due_not_at_its_next_poll(batho):
    # The worker polls every 10 minutes; the timer falls due 10 s after the instance started.
    (reference,) = _start_waiting(batho, "wake", '"PT10S"', 1)
    with batho.db.reading() as session:
        due = session.scalar(select(ProcessInstance.next_timer_at))
    batho.config = dataclasses.replace(batho.config, worker_interval_seconds=600.0)
    asked: list[datetime] = []  # when the worker looked at the stop flag: before its first pass, then while it waits
    stop = threading.Event()

    def stopping() -> bool:
        asked.append(datetime.now(UTC))
        return stop.is_set()

    running = threading.Thread(target=worker.run, args=(batho, stopping), daemon=True)
    running.start()
    try:
        _wait_for(lambda: len(_timer_events(batho)) == 1, 60, "the timer did not fire before the next poll")
    finally:
        stop.set()
        running.join(timeout=30)
    assert not running.is_alive()
    assert asked[1] < due, "the first pass ended before the timer fell due (else this test shows nothing)"
    with batho.db.reading() as session:
        fired_at = session.scalar(select(CaseEvent.at).where(CaseEvent.kind == EventKind.TIMER))
    assert due <= fired_at < due + timedelta(seconds=30), "fired once due, long before the poll 600 s later"
    assert reference


def test_the_due_instances_of_a_batch_are_read_with_one_statement_and_a_new_version_is_parsed(batho):
    _start_waiting(batho, "batch", '"PT1M"', 30)
    batho.specs = SpecCache()  # as in a worker that has not parsed this version yet: its diagram is read once
    reads = []

    def count(_conn, _cursor, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM process_instances" in statement:
            reads.append(statement)

    event.listen(batho.db.write_engine, "before_cursor_execute", count)
    try:
        with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2)):
            assert timers.fire_due_timers(batho, batch=20) == 30
    finally:
        event.remove(batho.db.write_engine, "before_cursor_execute", count)
    assert len(reads) == 3, "two batches of at most 20 and the claim that found none left"
    assert max(_timer_events(batho).values()) == 1 and len(_timer_events(batho)) == 30


NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def test_after_a_pass_the_worker_waits_until_the_next_timer_when_that_is_sooner_than_its_interval():
    assert worker.pause_after(0, NOW + timedelta(seconds=2), NOW, 5.0) == pytest.approx(2.01)
    assert worker.pause_after(0, NOW + timedelta(minutes=3), NOW, 5.0) == 5.0
    assert worker.pause_after(0, None, NOW, 5.0) == 5.0


def test_a_pass_that_stopped_at_its_limit_is_followed_at_once_and_timers_held_elsewhere_by_a_short_pause():
    assert worker.pause_after(worker.TIMERS_PER_PASS, NOW - timedelta(seconds=1), NOW, 5.0) == 0.0
    assert worker.pause_after(3, NOW - timedelta(seconds=1), NOW, 5.0) == worker.BUSY_PAUSE


def test_a_timer_still_overdue_after_two_passes_waits_the_poll_interval_instead_of_a_short_pause():
    stuck = NOW - timedelta(seconds=1)
    assert worker.pause_after(1, stuck, NOW, 5.0, overdue_before=stuck) == 5.0
    assert worker.pause_after(1, stuck, NOW, 5.0, overdue_before=stuck - timedelta(seconds=3)) == worker.BUSY_PAUSE


def test_next_due_is_the_earliest_running_timer(batho):
    assert timers.next_due(batho) is None
    _start_waiting(batho, "soon", '"PT1H"', 1)
    _start_waiting(batho, "later", '"PT2H"', 1)
    found = timers.next_due(batho)
    assert found is not None
    assert timedelta(minutes=59) < found - datetime.now(UTC) <= timedelta(hours=1)


def _fire_later(app: Batho, minutes: int = 2) -> int:
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=minutes)):
        return timers.fire_due_timers(app)


INTERRUPTING = bpmn("interrupt", """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="supervisor" />
    <bpmn:boundaryEvent id="late" name="Late" attachedToRef="approve" cancelActivity="true">
      <bpmn:timerEventDefinition id="td"><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:userTask id="remind" name="Remind" camunda:candidateGroups="manager" />
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="reminded" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="remind" />
    <bpmn:sequenceFlow id="f4" sourceRef="remind" targetRef="reminded" />
""")


def test_a_batch_of_interrupting_timers_takes_each_instance_s_own_task_away_and_gives_the_next(batho):
    deployment.deploy_sources(batho, {"interrupt.bpmn": INTERRUPTING})
    references = [cases.start_process(batho, "interrupt", {}) for _ in range(3)]
    assert [open_tasks(batho, r) for r in references] == [["approve"]] * 3
    assert _fire_later(batho) == 3
    assert [open_tasks(batho, r) for r in references] == [["remind"]] * 3


WAIT_OR_TIME_OUT = bpmn("wait_or_time_out", """
    <bpmn:startEvent id="start" />
    <bpmn:eventBasedGateway id="gw" />
    <bpmn:intermediateCatchEvent id="answer" name="Answer">
      <bpmn:messageEventDefinition id="med" messageRef="msg_answer" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="timeout" name="No answer">
      <bpmn:timerEventDefinition id="td"><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="chase" name="Chase" camunda:candidateGroups="supervisor" />
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="answered" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw" />
    <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="answer" />
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="timeout" />
    <bpmn:sequenceFlow id="f4" sourceRef="answer" targetRef="answered" />
    <bpmn:sequenceFlow id="f5" sourceRef="timeout" targetRef="chase" />
    <bpmn:sequenceFlow id="f6" sourceRef="chase" targetRef="end" />
""").replace("  </bpmn:process>\n", '  </bpmn:process>\n  <bpmn:message id="msg_answer" name="timers_answer" />\n')


def test_a_timer_that_wins_over_a_message_removes_the_instance_s_wait_for_that_message(batho):
    deployment.deploy_sources(batho, {"wait.bpmn": WAIT_OR_TIME_OUT})
    reference = cases.start_process(batho, "wait_or_time_out", {})
    instance_id = instance(batho, reference).id
    with batho.db.reading() as session:
        waits = list(session.scalars(select(EventWait.name).where(EventWait.instance_id == instance_id)))
    assert waits == ["timers_answer"]
    assert _fire_later(batho) == 1
    assert open_tasks(batho, reference) == ["chase"]
    with batho.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(EventWait)
                              .where(EventWait.instance_id == instance_id)) == 0
