"""The human-task read model: one row per READY manual task, rewritten after every step."""

from __future__ import annotations

import time
import weakref
from datetime import datetime
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from .authz import Identity, may_work
from .bpmn.camunda_assign import Resolved, resolve
from .bpmn.vocabulary import ASSIGN_RULE, ASSIGN_TO
from .bpmn.workflow import Step, Workflow
from .models import Case, CaseEvent, HumanTask, Role, User
from .models.base import utcnow
from .models.enums import EventKind

# How long a process trusts the roles' keys and names it read (each new task asked the database for all of
# them). A role this process adds or renames is seen at once; one another process adds, within this time.
ROLE_SECONDS = 5.0
_roles: weakref.WeakKeyDictionary[Any, tuple[float, list[tuple[str, str]]]] = weakref.WeakKeyDictionary()
_ROLES_WRITTEN = "roles_written"


@event.listens_for(Session, "before_flush")
def _forget_roles(session: Session, _context: Any, _instances: Any) -> None:
    """A role this process writes makes every lane be read afresh (and this transaction never fills the cache)."""
    if any(isinstance(row, Role) for rows in (session.new, session.dirty, session.deleted) for row in rows):
        session.info[_ROLES_WRITTEN] = True
        _roles.clear()


@event.listens_for(Session, "after_commit")
def _forget_roles_written(session: Session) -> None:
    # Again once they are committed: another transaction may have read the old ones in between.
    if session.info.pop(_ROLES_WRITTEN, None):
        _roles.clear()


def _role_names(session: Session) -> list[tuple[str, str]]:
    bind = session.get_bind()
    kept = _roles.get(bind)
    if kept is not None and time.monotonic() - kept[0] <= ROLE_SECONDS and not session.info.get(_ROLES_WRITTEN):
        return kept[1]
    names = [(str(key), str(name)) for key, name in session.execute(select(Role.key, Role.name))]
    if not session.info.get(_ROLES_WRITTEN):  # a role written but not committed stays out of the cache
        _roles[bind] = (time.monotonic(), names)
    return names


def role_for_lane(session: Session, lane: str | None) -> str | None:
    """The role key a lane name stands for (lanes name roles by name or key, any case)."""
    if not lane:
        return None
    wanted = lane.strip().lower()
    for key, name in _role_names(session):
        if wanted in (key.lower(), name.lower()):
            return key
    return None


def sync_human_tasks(
    session: Session, workflow: Workflow, instance_id: int, process_key: str, case: Case | None,
    now: datetime | None = None, unassigned_role: str | None = None, rows: list[HumanTask] | None = None,
) -> list[HumanTask]:
    """Make the human_tasks rows of one instance match its READY manual tasks; return the new rows. A task whose
    lane names no role and whose diagram names nobody goes to `unassigned_role` (BATHO_UNASSIGNED_TASK_ROLE).
    `rows`: the instance's rows as the caller read them in this transaction (None: read them here)."""
    ready = {step.id: step for step in workflow.ready_manual_tasks()}
    if rows is None:
        rows = list(session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id)))
    existing = {row.id: row for row in rows}
    gone = [task_id for task_id in existing if task_id not in ready]
    if gone:
        session.execute(delete(HumanTask).where(HumanTask.id.in_(gone)))
    added = []
    named: dict[str, User] = {}
    for task_id, step in ready.items():
        if task_id in existing:
            continue
        department_var = step.properties.get("candidateDepartment")
        row = HumanTask(
            id=task_id,
            instance_id=instance_id,
            case_id=case.id if case else None,
            process_key=process_key,
            task_name=step.element,
            title=step.title,
            lane=step.lane,
            candidate_role=role_for_lane(session, step.lane),
            candidate_department=step.data.get(department_var) if department_var else None,
            due_at=case.due_at if case else None,
        )
        found = resolve(step, now or utcnow(), instance_id)
        assigned = _assign(session, row, found)
        someone = row.candidate_users or (found is not None and found.assignee)
        if unassigned_role and row.candidate_role is None and not someone:
            row.candidate_role = role_for_lane(session, unassigned_role) or unassigned_role  # never to no one
        session.add(row)
        added.append(row)
        if assigned is not None:
            named[row.id] = assigned
    _give_back(session, [(row, ready[row.id]) for row in added], now, named)
    return added


def _joined(names: list[str]) -> str | None:
    return "," + ",".join(names) + "," if names else None


def _assign(session: Session, row: HumanTask, found: Resolved | None) -> User | None:
    """Apply the task's Assignments section (camunda:candidateGroups...) to its row, in place of its lane; return
    the active user its assignee names, who gets the task."""
    if found is None:
        return None
    groups = [(role_for_lane(session, role) or role, department) for role, department in found.groups]
    if found.users or groups:  # the diagram names who works it: the lane is drawing only
        department = row.candidate_department
        row.candidate_role, row.candidate_department = groups[0] if groups else (None, None)
        row.candidate_department = row.candidate_department or (department if groups else None)
    row.candidate_groups = _joined([f"{role}:{department}" if department else role for role, department in groups])
    row.candidate_users = _joined(list(found.users))
    row.priority = found.priority
    row.follow_up_at = found.follow_up_at
    row.due_at = found.due_at or row.due_at
    if not found.assignee:
        return None
    user = session.scalars(select(User).where(User.username == found.assignee)).first()
    return user if user is not None and user.is_active else None


def _previous_worker(session: Session, row: HumanTask, step: Step) -> tuple[User, str] | None:
    """`assignTo` = `previous:<task>`: the active user who last completed that task of this instance, and its
    title, when they may work this one too (they may have changed role or department since)."""
    rule = ASSIGN_RULE.match(step.properties.get(ASSIGN_TO, "").strip())
    if rule is None:
        return None
    last = session.execute(select(CaseEvent.actor_id, CaseEvent.title).where(
        CaseEvent.instance_id == row.instance_id, CaseEvent.kind == EventKind.COMPLETED,
        CaseEvent.task_name == rule.group(1), CaseEvent.actor_id.is_not(None))
        .order_by(CaseEvent.id.desc()).limit(1)).first()
    user = session.get(User, last.actor_id) if last else None
    if last is None or user is None or not user.is_active:
        return None
    who = Identity(user.id, user.username, user.full_name, frozenset(user.role_keys), frozenset(user.department_codes))
    return (user, last.title or rule.group(1)) if may_work(who, row) else None


def _give_back(session: Session, added: list[tuple[HumanTask, Step]], now: datetime | None,
               named: dict[str, User]) -> None:
    """Give new tasks whose diagram says `assignTo` to that person, and those whose camunda:assignee names
    someone to them, as an assignment (so they are told)."""
    given = []
    for row, step in added:
        found = (named[row.id], "") if row.id in named else _previous_worker(session, row, step)
        if found is not None:
            given.append((row, found))
    if not given:
        return
    session.flush()  # written unassigned first: the unit of work then hands each one over as an assignment
    for row, (user, title) in given:
        row.assignee_id = user.id
        message = f"to {user.full_name}, who did “{title}” before" if title else f"to {user.full_name}, as the " \
                  "diagram's assignee"
        session.add(CaseEvent(case_id=row.case_id, instance_id=row.instance_id, kind=EventKind.REASSIGNED,
                              task_name=row.task_name, title=row.title, message=message,
                              data={"to": user.username, "from": None}, **({"at": now} if now else {})))
