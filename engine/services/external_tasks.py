"""External tasks as Camunda 7's REST API has them: workers fetch and lock by topic, then complete, fail, throw a
BPMN error or extend their lock (engine/bpmn/external.py runs the workflow side).

Fetching locks rows with FOR UPDATE SKIP LOCKED on PostgreSQL and inside BEGIN IMMEDIATE on SQLite, so two workers
fetching at once never get the same task. A failure with retries left waits `retryTimeout` before it can be fetched
again; at 0 retries the instance stops with an incident, which an administrator retries from the incidents page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import instances
from ..authz import Identity, require_external_worker
from ..bpmn import external
from ..composition import Batho
from ..errors import Conflict, DomainError, NotFound
from ..models import Case, CaseEvent, ExternalTaskRow, ProcessInstance
from ..models.enums import EventKind, InstanceStatus
from .external_values import typed

MAX_WAIT_MS = 30_000  # a long poll holds a server thread: at most this long, then an empty answer


@dataclass(frozen=True)
class Topic:
    """One topic a worker asks for: its name, how long to lock, and which variables to send (None: all)."""

    name: str
    lock_ms: int
    variables: tuple[str, ...] | None = None


class ExternalTaskFailed(DomainError):
    """A worker gave up on an external task with no retries left: the instance's incident."""


class UncaughtBpmnError(DomainError):
    """No error boundary event catches the code a worker threw."""


def _lockable(app: Batho, topic: str) -> Any:
    now = app.now()
    return (select(ExternalTaskRow).join(ProcessInstance, ProcessInstance.id == ExternalTaskRow.instance_id)
            .where(ExternalTaskRow.topic == topic, ProcessInstance.status == InstanceStatus.RUNNING,
                   or_(ExternalTaskRow.locked_until.is_(None), ExternalTaskRow.locked_until <= now),
                   or_(ExternalTaskRow.retries.is_(None), ExternalTaskRow.retries > 0))
            .order_by(ExternalTaskRow.created_at, ExternalTaskRow.id))


def _locked_json(app: Batho, session: Session, row: ExternalTaskRow, topic: Topic) -> dict[str, Any] | None:
    instance = session.get(ProcessInstance, row.instance_id)
    if instance is None:
        return None
    data = external.data_of(app.codec.load(instance.state, app.specs.get(instance.version)), row.id)
    if data is None:
        return None
    names = topic.variables if topic.variables is not None else sorted(data)
    case = session.get(Case, instance.case_id) if instance.case_id else None
    return {"id": row.id, "topicName": row.topic, "workerId": row.worker_id, "lockExpirationTime": row.locked_until,
            "retries": row.retries, "errorMessage": row.error_message, "activityId": row.element,
            "processInstanceId": str(row.instance_id), "processDefinitionKey": row.process_key,
            "businessKey": case.reference if case else None,
            "variables": {n: typed(data[n]) for n in names if n in data}}


def _lock_some(app: Batho, worker_id: str, max_tasks: int, topics: list[Topic]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with app.db.transaction() as session:
        for topic in topics:
            if len(out) >= max_tasks:
                break
            query = _lockable(app, topic.name).limit(max_tasks - len(out))
            for row in session.scalars(query.with_for_update(skip_locked=True, of=ExternalTaskRow)).all():
                row.worker_id, row.locked_until = worker_id, app.now() + timedelta(milliseconds=topic.lock_ms)
                locked = _locked_json(app, session, row, topic)
                if locked is None:  # its task waits no more (its instance was migrated to a version without it)
                    session.delete(row)
                else:
                    out.append(locked)
    return out


def fetch_and_lock(app: Batho, who: Identity | None, worker_id: str, max_tasks: int, topics: list[Topic],
                   wait_ms: int = 0, sleep: Callable[[float], None] = time.sleep) -> list[dict[str, Any]]:
    """Lock up to `max_tasks` waiting tasks of the topics for the worker; with `wait_ms`, wait (at most 30 s) for
    one to come when none waits now."""
    require_external_worker(who)
    deadline = time.monotonic() + min(wait_ms, MAX_WAIT_MS) / 1000
    while True:
        locked = _lock_some(app, worker_id, max_tasks, topics)
        if locked or time.monotonic() >= deadline:
            return locked
        sleep(min(0.25, max(0.0, deadline - time.monotonic())))


def _held(app: Batho, session: Session, task_id: str, worker_id: str) -> ExternalTaskRow:
    """The task's row, locked, when `worker_id` holds its lock; NotFound or Conflict with a sentence otherwise."""
    row = session.get(ExternalTaskRow, task_id, with_for_update=True)
    if row is None:
        raise NotFound(f"There is no external task {task_id!r} waiting: it was completed, or its process moved on.")
    if row.worker_id is None or row.locked_until is None:
        raise Conflict(f"External task {task_id} is not locked by any worker; fetch and lock it first.")
    if row.worker_id != worker_id:
        raise Conflict(f"External task {task_id} is locked by worker {row.worker_id!r}, not {worker_id!r}; only "
                       "the worker holding the lock may report on it.")
    return row


def _event(app: Batho, session: Session, running: instances.Running, row: ExternalTaskRow, actor_id: int | None,
           what: str, **data: Any) -> None:
    session.add(CaseEvent(case_id=running.row.case_id, instance_id=running.row.id, kind=EventKind.EXTERNAL,
                          actor_id=actor_id, at=app.now(), task_name=row.element, title=what,
                          data={"topic": row.topic, "worker": row.worker_id, **data}))


def _gone(task_id: str) -> Conflict:
    return Conflict(f"External task {task_id} no longer waits in its process (it moved on); nothing was changed.")


def complete(app: Batho, who: Identity | None, task_id: str, worker_id: str, variables: dict[str, Any]) -> None:
    """The worker did the task: its variables go into the instance, which moves on."""
    actor = require_external_worker(who)
    with app.db.transaction() as session:
        row = _held(app, session, task_id, worker_id)
        running = instances.load(app, session, row.instance_id)
        if not external.complete(running.workflow, task_id, variables):
            raise _gone(task_id)
        _event(app, session, running, row, actor.id, "completed", variables=sorted(variables))
        instances.advance(app, session, running, actor.id)


def bpmn_error(app: Batho, who: Identity | None, task_id: str, worker_id: str, code: str, message: str,
               variables: dict[str, Any]) -> None:
    """The worker met a business error: the error boundary event with that code takes the instance on."""
    actor = require_external_worker(who)
    with app.db.transaction() as session:
        row = _held(app, session, task_id, worker_id)
        running = instances.load(app, session, row.instance_id)
        if not external.catches_error(running.workflow, task_id, code):
            raise UncaughtBpmnError(f"No error boundary event catches the error code {code!r} at step "
                                    f"{row.element!r}; the task still waits. Use a code the diagram catches, or "
                                    "report a failure instead.")
        external.throw_error(running.workflow, task_id, code, variables)
        _event(app, session, running, row, actor.id, "bpmn error", code=code, message=message[:500])
        instances.advance(app, session, running, actor.id)


def failure(app: Batho, who: Identity | None, task_id: str, worker_id: str, message: str, details: str,
            retries: int, retry_ms: int) -> None:
    """The worker could not do the task: fetchable again after `retry_ms`, or an incident at 0 retries."""
    actor = require_external_worker(who)
    with app.db.transaction() as session:
        row = _held(app, session, task_id, worker_id)
        row.retries, row.error_message, row.error_details = retries, message[:4000] or None, details or None
        row.worker_id, row.locked_until = None, app.now() + timedelta(milliseconds=retry_ms) if retry_ms else None
        if retries > 0:
            return
        running = instances.load(app, session, row.instance_id)
        if not external.fail(running.workflow, task_id):
            raise _gone(task_id)
        _event(app, session, running, row, actor.id, "failed", message=message[:500])
        instances.mark_error(app, session, running, ExternalTaskFailed(
            f"External task {row.element!r} (topic {row.topic!r}) failed with no retries left: "
            f"{message or 'no message'}"))
        instances.save(app, session, running)


def extend_lock(app: Batho, who: Identity | None, task_id: str, worker_id: str, new_ms: int) -> datetime:
    """The worker needs longer: its lock now ends `new_ms` from now (a lock that ran out cannot be extended)."""
    require_external_worker(who)
    with app.db.transaction() as session:
        row = _held(app, session, task_id, worker_id)
        if row.locked_until is not None and row.locked_until <= app.now():
            raise Conflict(f"The lock on external task {task_id} ran out at {row.locked_until.isoformat()}; fetch "
                           "and lock it again.")
        row.locked_until = app.now() + timedelta(milliseconds=new_ms)
        return row.locked_until
