"""Supervisors' work: approvals waiting for them, their team's workload, overdue cases, and reassigning tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from ..authz import (
    APPROVING_ROLES,
    Identity,
    eligible,
    may_reassign,
    may_work,
    require_supervisor,
    supervised_departments,
)
from ..composition import Batho
from ..errors import Forbidden, ValidationFailed
from ..models import Case, CaseEvent, Department, HumanTask, User
from ..models.enums import EventKind
from ..workdays import working_days_between
from .identity import identity_of
from .tasks import TaskRow, _open_task

LIMIT = 200


@dataclass(frozen=True)
class Workload:
    """One person's open tasks, of which overdue."""

    username: str
    full_name: str
    open: int
    overdue: int


@dataclass(frozen=True)
class OverdueCase:
    reference: str
    case_type: str
    category: str | None
    department: str | None
    status: str
    due_at: datetime | None
    escalation: str | None
    holder: str = ""  # who holds its open tasks now, or "group: <role>"
    days_overdue: int | None = None  # working days past due_at
    ward: str | None = None  # the ward code of the case's place


def holders(session: Session, case_ids: list[int]) -> dict[int, str]:
    """Who holds each case's open tasks now: the assignee's name, or "group: <role>" while unclaimed."""
    found: dict[int, list[str]] = {}
    query = (select(HumanTask.case_id, User.full_name, HumanTask.candidate_role)
             .outerjoin(User, User.id == HumanTask.assignee_id).where(HumanTask.case_id.in_(case_ids))
             .order_by(HumanTask.case_id, HumanTask.created_at))
    for case_id, name, role in session.execute(query):
        held = name or f"group: {role or 'anyone'}"
        if case_id is not None and held not in found.setdefault(case_id, []):
            found[case_id].append(held)
    return {k: "; ".join(v) for k, v in found.items()}


def days_overdue(due_at: datetime | None, closed_at: datetime | None, now: datetime, tz: str) -> int | None:
    """Working days past the resolution date of a case still open (None when not overdue)."""
    if due_at is None or closed_at is not None or due_at >= now:
        return None
    return working_days_between(due_at, now, tz)


def approvals_waiting(app: Batho, who: Identity) -> list[TaskRow]:
    """Approval tasks the user may decide, unclaimed or already theirs, the most urgent first."""
    with app.db.reading() as session:
        query = (select(HumanTask, Case.reference, Case.category, User.full_name)
                 .outerjoin(Case, Case.id == HumanTask.case_id).outerjoin(User, User.id == HumanTask.assignee_id)
                 .where(eligible(who), HumanTask.candidate_role.in_(APPROVING_ROLES & who.roles),
                        or_(HumanTask.assignee_id.is_(None), HumanTask.assignee_id == who.id))
                 .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at).limit(LIMIT))
        return [TaskRow(t.id, t.task_name, t.title, t.process_key, ref, cat, t.lane, t.candidate_department, name,
                        t.due_at, t.created_at) for t, ref, cat, name in session.execute(query)]


def team_workload(app: Batho, who: Identity) -> tuple[list[Workload], dict[str, int]]:
    """Open and overdue tasks per member of the supervisor's departments, and unclaimed tasks per department."""
    require_supervisor(who)
    now = app.now()
    departments = supervised_departments(who)
    with app.db.reading() as session:
        members = select(User.id).join(User.departments)
        if departments is not None:
            members = members.where(Department.code.in_(departments))
        overdue = func.sum(case((HumanTask.due_at < now, 1), else_=0))
        query = (select(User.username, User.full_name, func.count(HumanTask.id), overdue)
                 .outerjoin(HumanTask, HumanTask.assignee_id == User.id)
                 .where(User.id.in_(members), User.is_active.is_(True))
                 .group_by(User.id, User.username, User.full_name).order_by(func.count(HumanTask.id).desc(),
                                                                            User.full_name))
        rows = [Workload(u, n, int(c or 0), int(o or 0)) for u, n, c, o in session.execute(query)]
        department = func.coalesce(HumanTask.candidate_department, Case.department_code)
        waiting = (select(department, func.count()).outerjoin(Case, Case.id == HumanTask.case_id)
                   .where(HumanTask.assignee_id.is_(None)).group_by(department))
        if departments is not None:
            waiting = waiting.where(department.in_(departments))
        unclaimed = {d or "—": int(c) for d, c in session.execute(waiting)}
        return rows, unclaimed


def overdue_cases(app: Batho, who: Identity, filters: dict[str, str] | None = None) -> list[OverdueCase]:
    """Open cases past their resolution date in the supervisor's departments, the longest overdue first;
    `filters` narrows them by `department`, `category` and `ward` (a ward code)."""
    require_supervisor(who)
    departments, now = supervised_departments(who), app.now()
    with app.db.reading() as session:
        query = select(Case).where(Case.closed_at.is_(None), Case.due_at < now)
        if departments is not None:
            query = query.where(Case.department_code.in_(departments))
        for name, column in (("department", Case.department_code), ("category", Case.category), ("ward", Case.ward)):
            if (filters or {}).get(name):
                query = query.where(column == (filters or {})[name])
        found = list(session.scalars(query.order_by(Case.due_at).limit(LIMIT)))
        held = holders(session, [c.id for c in found])
        return [OverdueCase(c.reference, c.case_type, c.category, c.department_code, c.status, c.due_at,
                            c.escalation_level, held.get(c.id, ""),
                            days_overdue(c.due_at, c.closed_at, now, app.config.timezone), c.ward) for c in found]


def _case_department(session: Session, task: HumanTask) -> str | None:
    return session.scalar(select(Case.department_code).where(Case.id == task.case_id)) if task.case_id else None


def people_for(session: Session, task: HumanTask) -> list[tuple[str, str]]:
    """(username, full name) of the active people who may work the task."""
    users = session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.full_name))
    return [(u.username, u.full_name) for u in users if may_work(identity_of(u), task)]


def reassign_candidates(app: Batho, who: Identity, task_id: str) -> list[tuple[str, str]]:
    """(username, full name) of everyone who may work the task, for a supervisor's choice."""
    with app.db.reading() as session:
        task = _open_task(session, task_id)
        if not may_reassign(who, task, _case_department(session, task)):
            return []
        return people_for(session, task)


def reassign(app: Batho, who: Identity, task_id: str, username: str) -> str:
    """Give the task to a named person who may work it; the audit trail records who moved it from whom."""
    with app.db.transaction() as session:
        task = _open_task(session, task_id, lock=True)
        if not may_reassign(who, task, _case_department(session, task)):
            raise Forbidden("Only a supervisor of this task's department may reassign it.")
        target = session.scalars(select(User).where(User.username == username.strip(),
                                                    User.is_active.is_(True))).first()
        if target is None:
            raise ValidationFailed({"assignee": "Choose a person from the list."})
        if not may_work(identity_of(target), task):
            raise ValidationFailed({"assignee": f"{target.full_name} does not have the role or department "
                                                "this task needs. Choose someone from the list."})
        previous = session.get(User, task.assignee_id) if task.assignee_id else None
        task.assignee_id = target.id
        session.add(CaseEvent(case_id=task.case_id, instance_id=task.instance_id, kind=EventKind.REASSIGNED,
                              at=app.now(), actor_id=who.id, task_name=task.task_name, title=task.title,
                              message=f"to {target.full_name}" + (f" (from {previous.full_name})" if previous else ""),
                              data={"to": target.username, "from": previous.username if previous else None}))
        return target.full_name

