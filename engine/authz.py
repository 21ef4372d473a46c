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


# Roles that see every case: customer care registers and answers all of them; the manager oversees all.
CASE_WIDE_ROLES = frozenset({"customer_care_agent", "manager"})
SUPERVISING_ROLES = frozenset({"supervisor", "finance_supervisor", "manager"})
APPROVING_ROLES = frozenset({"supervisor", "finance_supervisor", "finance_approver", "manager"})


def is_supervisor(who: Identity) -> bool:
    return bool(SUPERVISING_ROLES & who.roles)


def supervises(who: Identity, department: str | None) -> bool:
    """The manager supervises everything; a supervisor the departments they belong to."""
    if "manager" in who.roles:
        return True
    return is_supervisor(who) and department is not None and department in who.departments


def may_view_case(who: Identity, department: str | None, open_tasks: list[HumanTask], involved: bool) -> bool:
    """A case is visible to case-wide roles, its department's staff, whoever may work one of its open
    tasks, and whoever already worked on it; a department officer sees no other department's cases."""
    if CASE_WIDE_ROLES & who.roles:
        return True
    if department is not None and department in who.departments:
        return True
    return involved or any(may_work(who, task) for task in open_tasks)


def may_reassign(who: Identity, task: HumanTask, case_department: str | None) -> bool:
    """Assigning work is a supervisor's right, separate from the right to do it."""
    return supervises(who, task.candidate_department or case_department)
