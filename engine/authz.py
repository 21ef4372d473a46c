"""Who may do what: work a task, see a case and its contact details, start a process, supervise."""

from __future__ import annotations

from .bpmn.dialect import Starters
from .models import HumanTask
from .services.identity import Identity


def may_work(who: Identity, task: HumanTask) -> bool:
    """True when `who` holds the task's role (and department, when the task has one)."""
    if task.candidate_role is None or task.candidate_role not in who.roles:
        return False
    return task.candidate_department is None or task.candidate_department in who.departments


# POPIA: the roles whose work on a case needs the citizen's contact details (they answer, investigate, bill or
# approve for the citizen). A lane grants a task, not this: process owners and administrators change and run
# the system, so a lane of their own role shows them no contact details; a meter reader needs the address only.
CONTACT_ROLES = frozenset({"customer_care_agent", "department_officer", "supervisor", "finance_supervisor",
                           "billing_clerk", "finance_approver", "manager"})


def may_see_contact(who: Identity, held_roles: set[str | None], department: str | None) -> bool:
    """Contact details: the manager, supervisors of the case's department, and whoever holds one of the case's
    open tasks in the lane of a contact role (`held_roles`: the lanes of the tasks `who` holds)."""
    if "manager" in who.roles:
        return True
    if "supervisor" in who.roles and department is not None and department in who.departments:
        return True
    return bool(CONTACT_ROLES & who.roles & held_roles)


def may_start(who: Identity, starters: Starters, group_roles: set[str | None]) -> bool:
    """A process that declares starters: a candidate starter user, or one holding a role its candidate starter
    groups name (`group_roles`: those groups as role keys, read as lanes are read)."""
    return who.username in starters.users or bool(who.roles & group_roles)


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
