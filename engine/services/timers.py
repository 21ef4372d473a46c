"""The worker's timer pass: claim due instances one at a time, fire their timers, save."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from .. import instances
from ..composition import Batho
from ..models import CaseEvent, ProcessInstance
from ..models.enums import EventKind, InstanceStatus

log = logging.getLogger(__name__)


BATCH = 20  # due instances one transaction claims and fires; one commit (and one roll-up of figures) for them all


def _claim_due(app: Batho, session: Session, skip: set[int], batch: int) -> list[int]:
    """The ids of the most overdue instances no other worker holds (at most `batch`), locked for this transaction:
    the due-timer index serves the query and SKIP LOCKED lets several workers take different ones."""
    query = (select(ProcessInstance.id)
             .where(ProcessInstance.status == InstanceStatus.RUNNING, ProcessInstance.next_timer_at <= app.now())
             .order_by(ProcessInstance.next_timer_at).limit(batch)
             .with_for_update(skip_locked=True, of=ProcessInstance))
    if skip:
        query = query.where(ProcessInstance.id.not_in(skip))
    return list(session.scalars(query))


def fire_due_timers(app: Batho, limit: int = 500,
                    before_commit: Callable[[instances.Running], None] | None = None,
                    stopping: Callable[[], bool] = lambda: False, batch: int = BATCH) -> int:
    """Fire every due timer (at most `limit` instances, until `stopping()`); return how many were advanced.

    A transaction claims up to `batch` due instances and fires them one after the other. A crash loses only that
    transaction's uncommitted steps, and their timer columns still say they are due, so the next pass picks them
    up again (none fires twice). An instance whose diagram fails (a script over its budget included) is saved in
    the error state, which no pass claims again until an administrator retries it; one that fails in any other way
    rolls its batch back, is marked failed on its own, and the others are claimed again.
    """
    seen: set[int] = set()
    fired = 0
    while fired < limit and not stopping():
        failed_id = None
        try:
            with app.db.transaction() as session:
                due_ids = _claim_due(app, session, seen, min(batch, limit - fired))
                if not due_ids:
                    break
                done: list[int] = []
                for due_id in due_ids:
                    if done and stopping():  # a stop ends the pass between instances
                        break
                    failed_id = due_id
                    running = instances.load(app, session, due_id)
                    instances.advance(app, session, running, actor_id=None, refresh_timers=True)
                    if before_commit is not None:
                        before_commit(running)
                    done.append(due_id)
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


def _mark_failed(app: Batho, instance_id: int, exc: Exception) -> None:
    with app.db.transaction() as session:
        row = session.get(ProcessInstance, instance_id)
        if row is None:
            return
        row.status = InstanceStatus.ERROR
        row.error_message = f"{type(exc).__name__}: {exc}"[:4000]
        session.add(CaseEvent(case_id=row.case_id, instance_id=row.id, kind=EventKind.ERROR, at=app.now(),
                              message=row.error_message))
