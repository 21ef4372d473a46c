"""Writing messages into the outbox in the same transaction as the change causing them.

`Outbox` is a handler of new events (`engine/events.py`), listed in the composition root: citizens hear about
public updates and closure, staff about escalations, new tasks (batched later by the worker) and assignments.
Engine code stays unaware of notifications.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..events import Assignment, NewEvents
from ..models import Case, CaseEvent, HumanTask, Notification, User
from ..models.enums import EventKind
from .citizen import citizen_messages
from .context import Context
from .followup import note_messages
from .recipients import escalation_recipients
from .staff import assignment_message, escalation_message


class Outbox:
    """Writes the messages that new case events, ready tasks and assignments call for (settings: `config.notify`)."""

    def __init__(self, app: Context) -> None:
        self.app = app

    def __call__(self, session: Session, new: NewEvents) -> None:
        for item in new.added:
            if isinstance(item, CaseEvent):
                self._on_event(session, item)
            else:
                self._on_task(session, item)
        claimed = {(e.actor_id, e.task_name) for e in new.events if e.kind == EventKind.CLAIMED}
        for assignment in new.assignments:
            self._on_assignment(session, assignment, claimed)

    def _case(self, session: Session, case_id: int | None) -> Case | None:
        return session.get(Case, case_id) if case_id is not None else None

    def _on_event(self, session: Session, ev: CaseEvent) -> None:
        case = self._case(session, ev.case_id)
        if case is None:
            return
        for message in citizen_messages(self.app, self.app.config.notify, case, ev):
            message.event = ev
            session.add(message)
        if ev.kind == EventKind.CITIZEN_NOTE:  # the citizen added information (engine/services/followup.py)
            for message in note_messages(self.app, self.app.config.notify, session, case, ev):
                message.event = ev
                session.add(message)
        if ev.kind == EventKind.ESCALATION:
            level = (ev.data or {}).get("level") or "manager"
            for user in escalation_recipients(session, str(level), case.department_code):
                message = escalation_message(self.app, self.app.config.notify, case, ev, user)
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

    def _on_assignment(self, session: Session, assignment: Assignment,
                       claimed: set[tuple[int | None, str | None]]) -> None:
        """Someone was given a task by another person (claiming one's own task sends nothing)."""
        task = assignment.task
        if (assignment.assignee_id, task.task_name) in claimed:
            return
        user = session.get(User, assignment.assignee_id)
        if user is None or not user.email:
            return
        session.add(assignment_message(self.app, self.app.config.notify, self._case(session, task.case_id), task,
                                       user))
