"""The worker's timer pass: claim due instances in batches (one statement each), fire their timers, save."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, bindparam, func, inspect, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from .. import instances
from ..bpmn import messages
from ..composition import Batho
from ..errors import StaleInstance
from ..models import Case, CaseEvent, HumanTask, ProcessInstance, ProcessVersion
from ..models.enums import EventKind, InstanceStatus

log = logging.getLogger(__name__)


# Due instances one transaction claims and fires: one commit (and one roll-up of figures) for them all, and a
# statement or two per table. 50 hold their rows (and on SQLite the write lock) for about 0.2 s; one in-process
# pass fired 340/s at 20, 410/s at 50, 490/s at 100 (benchmarks/timers.py --profile --due 1000 --batch N).
BATCH = 50


def due_query(now: datetime, batch: int) -> Select[ProcessInstance, Case]:
    """The most overdue instances no other worker holds (at most `batch`), each with its case and the small columns
    of its version, locked for this transaction: the due-timer index (status, next_timer_at) serves it and SKIP
    LOCKED lets several workers take different ones. The version's diagram sources are left out (the parsed spec is
    cached per version; they load on their own the first time a version is parsed)."""
    return (select(ProcessInstance, Case).outerjoin(Case, Case.id == ProcessInstance.case_id)
            .options(joinedload(ProcessInstance.version).load_only(ProcessVersion.key, ProcessVersion.version,
                                                                   ProcessVersion.name))
            .where(ProcessInstance.status == InstanceStatus.RUNNING, ProcessInstance.next_timer_at <= now)
            .order_by(ProcessInstance.next_timer_at).limit(batch)
            .with_for_update(skip_locked=True, of=ProcessInstance))


Claimed = tuple[ProcessInstance, Case | None, list[HumanTask]]


def _claim_due(app: Batho, session: Session, skip: set[int], batch: int) -> list[Claimed]:
    """The claimed instances with their cases and human-task rows: two statements for the whole batch."""
    query = due_query(app.now(), batch)
    if skip:
        query = query.where(ProcessInstance.id.not_in(skip))
    found = session.execute(query).all()
    task_rows: dict[int, list[HumanTask]] = {row.id: [] for row, _ in found}
    if task_rows:  # the task-list sync of each instance starts from these instead of reading its own
        for task in session.scalars(select(HumanTask).where(HumanTask.instance_id.in_(task_rows))
                                    .order_by(HumanTask.id)):
            task_rows[task.instance_id].append(task)
    return [(row, case, task_rows[row.id]) for row, case in found]


def _running(app: Batho, row: ProcessInstance, case: Case | None, task_rows: list[HumanTask]) -> instances.Running:
    """A claimed row as `instances.load` would have given it (its state decoded on the cached spec), with what its
    save needs to know: its task rows, and the messages and signals it waits for as loaded (its event_waits rows
    say the same, written at its last save; a running instance's, as every claimed one is)."""
    process = app.specs.get(row.version)
    workflow = app.codec.load(row.state, process)
    return instances.Running(row=row, workflow=workflow, process=process, case=case, task_rows=task_rows,
                             waits_at_load=messages.waits(workflow))


def fire_due_timers(app: Batho, limit: int = 500,
                    before_commit: Callable[[instances.Running], None] | None = None,
                    stopping: Callable[[], bool] = lambda: False, batch: int = BATCH) -> int:
    """Fire every due timer (at most `limit` instances, until `stopping()`); return how many were advanced.

    A transaction claims up to `batch` due instances (rows, cases and states in one statement, their task rows in
    another), fires them one after the other, and writes them all in one flush: each table's rows in one
    statement (an executemany or a multi-row INSERT), the instances' UPDATE checking every row's version. A crash
    loses only that transaction's uncommitted steps, and their timer columns still say they are due, so the next
    pass picks them up again (none fires twice). A batch whose version check fails (a row changed since it was
    claimed) is rolled back whole and its instances are taken again one per transaction, each flushed on its own:
    one that conflicts again is left due for the next pass. An instance whose diagram fails (a script over its
    budget included) is saved in the error state, which no pass claims again until an administrator retries it;
    one that fails in any other way (its state unreadable too) rolls its batch back, is marked failed on its own,
    and the others are claimed again.
    """
    seen: set[int] = set()
    fired = 0
    careful = 0  # instances still to take one per transaction (each flushed on its own) after a batch's conflict
    while fired < limit and not stopping():
        claimed: list[int] = []  # the ids the transaction claimed (its rows are gone once it is rolled back)
        advancing: list[int | None] = [None]  # the instance being advanced, while one is
        try:
            done = _fire_batch(app, seen, 1 if careful else min(batch, limit - fired), bool(careful), claimed,
                               advancing, before_commit, stopping)
            if done is None:
                break
            seen.update(done)
            fired += len(done)
            careful = max(0, careful - len(claimed))
        except (StaleDataError, StaleInstance):  # nothing of this transaction was committed
            if careful:  # one instance, on its own: someone else changed it; it stays due for the next pass
                log.warning("timer of instance %s not fired: its row changed meanwhile", claimed[0])
                seen.update(claimed)
                careful -= 1
            else:
                log.warning("timer batch of %d rolled back (a row changed meanwhile): taken one by one",
                            len(claimed))
                careful = len(claimed)
        except DBAPIError:
            raise  # the database itself is unwell: the worker retries the whole pass later
        except Exception as exc:  # one broken instance must not stop the others
            if advancing[0] is None:
                raise
            log.exception("timer pass failed for instance %s", advancing[0])
            _mark_failed(app, advancing[0], exc)
    return fired


def _fire_batch(app: Batho, seen: set[int], size: int, alone: bool, claimed_ids: list[int],
                advancing: list[int | None], before_commit: Callable[[instances.Running], None] | None,
                stopping: Callable[[], bool]) -> list[int] | None:
    """One transaction: claim up to `size` due instances (their ids into `claimed_ids`), advance them (`advancing`
    names the one being advanced) and write them, in one flush unless `alone` (then each save flushes itself, as a
    completion's does); the ids advanced, None when none was due."""
    with app.db.transaction() as session:
        claimed = _claim_due(app, session, seen, size)
        claimed_ids.extend(row.id for row, _, _ in claimed)
        if not claimed:
            return None
        done: list[int] = []
        for row, case, task_rows in claimed:
            if done and stopping():  # a stop ends the pass between instances
                break
            advancing[0] = row.id
            running = _running(app, row, case, task_rows)
            instances.advance(app, session, running, actor_id=None, refresh_timers=True, flush=alone)
            if before_commit is not None:
                before_commit(running)
            done.append(row.id)
        advancing[0] = None
        if not alone:
            write_instances(session, [row for row, _, _ in claimed])  # every row's version check
        session.flush()  # the batch's other writes: a statement or two per table
    return done


def write_instances(session: Session, rows: list[ProcessInstance]) -> None:
    """UPDATE the changed instance rows in one executemany per set of changed columns, each row matched on its id
    and the lock_version it was read with (and given the next one), as the unit of work's own per-row UPDATE does;
    the rows are then clean. Fewer rows matched than were sent: StaleDataError (the caller rolls back)."""
    mapper = inspect(ProcessInstance)
    table = ProcessInstance.__table__
    assert isinstance(table, Table)
    version_col, version_key = table.c.lock_version, "lock_version"
    assert mapper.version_id_col is not None and mapper.version_id_col.key == version_col.key
    groups: dict[tuple[str, ...], list[tuple[ProcessInstance, dict[str, Any]]]] = {}
    for row in rows:
        state = inspect(row)
        if not state.persistent or not state.modified:
            continue
        changed = {attr.key: history.added[0] for attr in mapper.column_attrs
                   if (history := state.attrs[attr.key].history).added and attr.key != version_key}
        if changed:
            groups.setdefault(tuple(sorted(changed)), []).append((row, changed))
    connection = session.connection()
    for keys, group in groups.items():
        columns = {key: mapper.get_property(key).columns[0] for key in keys}
        statement = (update(table)
                     .where(table.c.id == bindparam("w_id"), version_col == bindparam("w_version"))
                     .values({column: bindparam(f"v_{key}", type_=column.type) for key, column in columns.items()}
                             | {version_col: bindparam("w_next")}))
        params = [{"w_id": row.id, "w_version": row.lock_version, "w_next": row.lock_version + 1,
                   **{f"v_{key}": value for key, value in changed.items()}} for row, changed in group]
        matched = connection.execute(statement, params).rowcount
        if matched != len(params):
            raise StaleDataError(f"UPDATE of process_instances expected to match {len(params)} row(s); "
                                 f"{matched} matched")
        for row, changed in group:
            next_version = row.lock_version + 1
            for key, value in changed.items():
                set_committed_value(row, key, value)
            set_committed_value(row, version_key, next_version)


def next_due(app: Batho) -> datetime | None:
    """When the earliest running instance's timer falls due (in the past when some wait their turn); the same
    index answers it. None when no instance waits on a timer."""
    with app.db.reading() as session:
        found = session.scalar(select(func.min(ProcessInstance.next_timer_at))
                               .where(ProcessInstance.status == InstanceStatus.RUNNING))
    return found


def _mark_failed(app: Batho, instance_id: int, exc: Exception) -> None:
    with app.db.transaction() as session:
        row = session.get(ProcessInstance, instance_id)
        if row is None:
            return
        row.status = InstanceStatus.ERROR
        row.error_message = f"{type(exc).__name__}: {exc}"[:4000]
        session.add(CaseEvent(case_id=row.case_id, instance_id=row.id, kind=EventKind.ERROR, at=app.now(),
                              message=row.error_message))
