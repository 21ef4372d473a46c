"""Writing messages into the outbox in the same flush (so the same transaction) as the change causing them.

A `before_flush` hook on the database's sessions watches for new case events and task rows: citizens
hear about public updates and closure, staff about escalations, new tasks (batched later by the worker)
and assignments. Engine code stays unaware of notifications.
"""

from __future__ import annotations

import logging
import weakref
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..models import Case, CaseEvent, HumanTask, Notification, User
from .citizen import citizen_messages
from .recipients import escalation_recipients
from .settings import NotifySettings
from .staff import assignment_message, escalation_message

if TYPE_CHECKING:
    from ..composition import Batho

log = logging.getLogger(__name__)
_installed: weakref.WeakKeyDictionary[Any, Outbox] = weakref.WeakKeyDictionary()


class Outbox:
    """The hook of one Batho: its settings and clock, registered on its session factories."""

    def __init__(self, app: Batho, settings: NotifySettings) -> None:
        self.app = app
        self.settings = settings

    def before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        new = list(session.new)
        if not new and not session.dirty:
            return
        with session.no_autoflush:
            for obj in new:
                if isinstance(obj, CaseEvent):
                    self._on_event(session, obj)
                elif isinstance(obj, HumanTask):
                    self._on_task(session, obj)
            claimed = {(e.actor_id, e.task_name) for e in new if isinstance(e, CaseEvent) and e.kind == "claimed"}
            for obj in list(session.dirty):
                if isinstance(obj, HumanTask):
                    self._on_assignment(session, obj, claimed)

    def _case(self, session: Session, case_id: int | None) -> Case | None:
        return session.get(Case, case_id) if case_id is not None else None

    def _on_event(self, session: Session, ev: CaseEvent) -> None:
        case = self._case(session, ev.case_id)
        if case is None:
            return
        for message in citizen_messages(self.app, self.settings, case, ev):
            message.event = ev
            session.add(message)
        if ev.kind == "escalation":
            level = (ev.data or {}).get("level") or "manager"
            for user in escalation_recipients(session, str(level), case.department_code):
                message = escalation_message(self.app, self.settings, case, ev, user)
                message.event = ev
                session.add(message)

    def _on_task(self, session: Session, task: HumanTask) -> None:
        """A notice waiting for the worker, which batches all new tasks of a role into one message each."""
        case = self._case(session, task.case_id)
        session.add(Notification(
            kind="task_ready", audience="staff", channel="batch",
            recipient=f"{task.candidate_role or ''}|{task.candidate_department or ''}",
            data={"task_id": task.id, "title": task.title, "process": task.process_key,
                  "reference": case.reference if case else None, "role": task.candidate_role,
                  "department": task.candidate_department,
                  "due_at": task.due_at.isoformat() if task.due_at else None},
            case_id=task.case_id, status="batch", dedupe_key=f"task:{task.id}:{self.app.now().isoformat()}",
            created_at=self.app.now(), next_attempt_at=self.app.now()))

    def _on_assignment(self, session: Session, task: HumanTask, claimed: set[tuple[int | None, str | None]]) -> None:
        """Someone was given a task by another person (claiming one's own task sends nothing)."""
        history = inspect(task).attrs.assignee_id.history
        if not history.added or history.added[0] is None:
            return
        assignee_id = history.added[0]
        if (assignee_id, task.task_name) in claimed:
            return
        user = session.get(User, assignee_id)
        if user is None or not user.email:
            return
        session.add(assignment_message(self.app, self.settings, self._case(session, task.case_id), task, user))


def install(app: Batho, settings: NotifySettings | None = None) -> Outbox:
    """Register the outbox hook on `app`'s write sessions; return it (tests adjust its settings)."""
    outbox = Outbox(app, settings or NotifySettings.from_env())
    event.listen(app.db._write, "before_flush", outbox.before_flush)
    _installed[app.db] = outbox
    return outbox


def outbox_of(app: Batho) -> Outbox:
    """The outbox hook installed on `app` (its settings decide templates and links of new messages)."""
    return _installed[app.db]
