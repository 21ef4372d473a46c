"""The worker's timer pass: claim due instances in batches (one statement each), fire their timers, save."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, joinedload

from .. import instances
from ..bpmn import messages
from ..composition import Batho
from ..models import Case, CaseEvent, HumanTask, ProcessInstance, ProcessVersion
from ..models.enums import EventKind, InstanceStatus

log = logging.getLogger(__name__)


BATCH = 20  # due instances one transaction claims and fires; one commit (and one roll-up of figures) for them all


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
    another) and fires them one after the other. A crash loses only that transaction's uncommitted steps, and their
    timer columns still say they are due, so the next pass picks them up again (none fires twice). An instance
    whose diagram fails (a script over its budget included) is saved in the error state, which no pass claims again
    until an administrator retries it; one that fails in any other way (its state unreadable too) rolls its batch
    back, is marked failed on its own, and the others are claimed again.
    """
    seen: set[int] = set()
    fired = 0
    while fired < limit and not stopping():
        failed_id = None
        try:
            with app.db.transaction() as session:
                claimed = _claim_due(app, session, seen, min(batch, limit - fired))
                if not claimed:
                    break
                done: list[int] = []
                for row, case, task_rows in claimed:
                    if done and stopping():  # a stop ends the pass between instances
                        break
                    failed_id = row.id
                    running = _running(app, row, case, task_rows)
                    instances.advance(app, session, running, actor_id=None, refresh_timers=True)
                    if before_commit is not None:
                        before_commit(running)
                    done.append(row.id)
                failed_id = None
            seen.update(done)
            fired += len(done)
        except DBAPIError:
            raise  # the database itself is unwell: the worker retries the whole pass later
        except Exception as exc:  # one broken instance must not stop the others
            if failed_id is None:
                raise
            log.exception("timer pass failed for instance %s", failed_id)
            _mark_failed(app, failed_id, exc)
    return fired


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
