"""Timers at scale, session 21 (issue 14): a batch of fired timers is written in one flush (the instances' UPDATE
as one executemany checked on its matched row count), and what happens when that check fails or the worker dies
after the batch's statements were sent but before its commit."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import event, select, text
from sqlalchemy.orm import object_session

from engine.composition import Batho
from engine.models import HumanTask, ProcessInstance
from engine.models.enums import InstanceStatus
from engine.services import cases, deployment, timers
from tests.fixtures.make import timer_process
from tests.integration.test_timers_session20 import _env, _stop, _timer_events, _wait_for

LATER = timedelta(minutes=2)


def _start_waiting(app: Batho, count: int, duration: str = '"PT1M"') -> list[int]:
    deployment.deploy_sources(app, {"t21.bpmn": timer_process("t21", duration)})
    for _ in range(count):
        cases.start_process(app, "t21", {})
    with app.db.reading() as session:
        return list(session.scalars(select(ProcessInstance.id).order_by(ProcessInstance.id)))


def _conflicting(monkeypatch, conflicts) -> list[int]:  # type: ignore[no-untyped-def]
    """Each claimed instance read by the pass, as a list; for those `conflicts(id, times read)` names, their row
    changed behind the unit of work's back right after the claim read it (as a rival's save would: its version
    bumped), so that the pass's own UPDATE finds a version it did not read."""
    read: list[int] = []
    original = timers._running

    def running(app, row, case, task_rows):  # type: ignore[no-untyped-def]
        read.append(row.id)
        if conflicts(row.id, read.count(row.id)):
            session = object_session(row)
            assert session is not None
            session.connection().execute(  # the connection's own: no flush of the unit of work first
                text("UPDATE process_instances SET lock_version = lock_version + 1 WHERE id = :id"), {"id": row.id})
        return original(app, row, case, task_rows)

    monkeypatch.setattr(timers, "_running", running)
    return read


def _state(app: Batho) -> tuple[Counter[int], Counter[int], dict[int, tuple[str, datetime | None]]]:
    with app.db.reading() as session:
        tasks = Counter(session.scalars(select(HumanTask.instance_id)))
        rows = {i: (s, t) for i, s, t in session.execute(select(ProcessInstance.id, ProcessInstance.status,
                                                                ProcessInstance.next_timer_at))}
    return _timer_events(app), tasks, rows


def test_a_batch_whose_version_check_fails_is_rolled_back_and_its_instances_fired_one_by_one(batho, monkeypatch):
    ids = _start_waiting(batho, 6)
    read = _conflicting(monkeypatch, lambda instance_id, times: instance_id == ids[2] and times == 1)
    with time_machine.travel(datetime.now(UTC) + LATER):
        assert timers.fire_due_timers(batho, batch=20) == 6
    fired, tasks, rows = _state(batho)
    assert fired == Counter({i: 1 for i in ids}), "every timer fired once, the conflicting instance's included"
    assert tasks == Counter({i: 1 for i in ids}), "each instance has its one task, once"
    assert all(status == InstanceStatus.RUNNING and due is None for status, due in rows.values()), \
        "none marked failed, none left due"
    assert read == ids + ids, "the batch advanced all six, was rolled back whole, then each one went alone"


def test_an_instance_that_conflicts_again_on_its_own_is_left_due_for_the_next_pass_not_lost(batho, monkeypatch):
    ids = _start_waiting(batho, 4)
    _conflicting(monkeypatch, lambda instance_id, _times: instance_id == ids[1])
    with time_machine.travel(datetime.now(UTC) + LATER):
        assert timers.fire_due_timers(batho, batch=20) == 3
        fired, tasks, rows = _state(batho)
        assert fired == Counter({i: 1 for i in ids if i != ids[1]})
        assert ids[1] not in tasks
        assert rows[ids[1]][0] == InstanceStatus.RUNNING and rows[ids[1]][1] is not None, \
            "still running and due: the next pass takes it again"
        monkeypatch.undo()  # the rival is gone
        assert timers.fire_due_timers(batho) == 1
    fired, tasks, rows = _state(batho)
    assert fired == Counter({i: 1 for i in ids}) and tasks == Counter({i: 1 for i in ids})


def test_a_batch_writes_its_instances_with_one_update_and_each_table_with_one_insert(batho):
    _start_waiting(batho, 20)
    statements: Counter[str] = Counter()

    def count(_conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        words = statement.split()
        if words[0] in ("UPDATE", "INSERT"):
            statements[" ".join(words[:3])] += 1

    with time_machine.travel(datetime.now(UTC) + LATER):
        timers.fire_due_timers(batho, batch=20, limit=1)  # the roles' names read (and cached) by a first one
        event.listen(batho.db.write_engine, "before_cursor_execute", count)
        try:
            assert timers.fire_due_timers(batho, batch=19) == 19
        finally:
            event.remove(batho.db.write_engine, "before_cursor_execute", count)
    assert statements["UPDATE process_instances SET"] == 1, statements
    assert statements["INSERT INTO human_tasks"] == 1, statements
    if batho.db.write_engine.dialect.name == "postgresql":  # SQLite's driver runs rows that need their ids back
        # one by one (in this process: no round trips)
        assert statements["INSERT INTO case_events"] == 1 and statements["INSERT INTO notifications"] == 1, statements
    fired, tasks, _ = _state(batho)
    assert len(fired) == 20 and max(fired.values()) == 1 and max(tasks.values()) == 1


# A worker that fires one batch of timers, and once all of the batch's statements have run (its commit about to
# be sent) says how many TIMER events its own transaction sees, then hangs until it is killed.
VICTIM = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sqlalchemy import event, text
    from engine.composition import build
    from engine.config import Config
    from engine.services import timers

    app = build(Config.from_env())
    wrote = []

    @event.listens_for(app.db.write_engine, "before_cursor_execute")
    def note(_conn, _cursor, statement, *_args):
        if statement.startswith("UPDATE process_instances"):
            wrote.append(statement)

    @event.listens_for(app.db.write_engine, "commit")
    def hang_before_commit(conn):
        if wrote:
            seen = conn.exec_driver_sql("SELECT count(*) FROM case_events WHERE kind = 'timer'").scalar()
            Path(sys.argv[1]).write_text(str(seen))
            time.sleep(600)

    timers.fire_due_timers(app, batch=int(sys.argv[2]))
""")


def test_a_worker_killed_after_its_batch_was_written_but_before_the_commit_loses_and_repeats_nothing(batho,
                                                                                                       tmp_path):
    ids = _start_waiting(batho, 12, '"PT1S"')
    time.sleep(1.5)  # all due (the victim runs in real time)
    marker = tmp_path / "written"
    victim = subprocess.Popen([sys.executable, "-c", VICTIM, str(marker), "8"], env=_env(batho, tmp_path, 0.2),
                              text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_for(marker.exists, 60, "the worker never wrote its batch", victim)
        assert marker.read_text() == "8", "its own transaction saw the whole batch written"
        assert not _timer_events(batho), "nothing of it is seen before the commit"
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
    finally:
        _stop(victim)
    # Their timer columns still say due: a pass fires all twelve, each once.
    assert timers.fire_due_timers(batho) == 12
    fired, tasks, rows = _state(batho)
    assert fired == Counter({i: 1 for i in ids}) and tasks == Counter({i: 1 for i in ids})
    assert all(due is None for _, due in rows.values())
