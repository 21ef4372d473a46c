"""Who may work which task: the lane's role, plus the task's department where the diagram names one."""

from __future__ import annotations

from .models import HumanTask
from .services.identity import Identity


def may_work(who: Identity, task: HumanTask) -> bool:
    """True when `who` holds the task's role (and department, when the task has one)."""
    if task.candidate_role is None or task.candidate_role not in who.roles:
        return False
    return task.candidate_department is None or task.candidate_department in who.departments


def may_see_contact(who: Identity, task_assignees: set[int], department: str | None) -> bool:
    """POPIA: contact details only for staff working the case and supervisors of its department."""
    if who.id in task_assignees:
        return True
    if "manager" in who.roles:
        return True
    return "supervisor" in who.roles and department is not None and department in who.departments
