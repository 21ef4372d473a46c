"""Who may do what: the signed-in identity, every role set and every rule of who may see, work, start or change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, false, or_, true

from .bpmn.dialect import Starters
from .bpmn.specs import ParsedProcess
from .errors import Forbidden
from .models import Case, CaseEvent, HumanTask


@dataclass(frozen=True)
class Identity:
    """Who is signed in, as the web layer keeps it."""

    id: int
    username: str
    full_name: str
    roles: frozenset[str]
    departments: frozenset[str]
    must_change_password: bool = False  # a temporary password from an administrator: only the password page
    acting: tuple[Acting, ...] = ()  # the acting appointments in force now, for whom `who` works tasks
    ward: str | None = None  # a ward councillor's ward (the `councillor` role): the only cases they see


@dataclass(frozen=True)
class Acting:
    """An acting appointment in force: the absent staff member whose tasks the deputy works, as them."""

    for_id: int
    for_name: str
    roles: frozenset[str]
    departments: frozenset[str]


# Staff who work cases (POPIA: staff whose work needs case data); process owners and administrators do not.
STAFF_ROLES = frozenset({"customer_care_agent", "department_officer", "supervisor", "manager", "billing_clerk",
                         "finance_supervisor", "finance_approver", "meter_reader"})
# POPIA: the roles whose work on a case needs the citizen's contact details (they answer, investigate, bill or
# approve for the citizen). A lane grants a task, not this: process owners and administrators change and run
# the system, so a lane of their own role shows them no contact details; a meter reader needs the address only.
CONTACT_ROLES = frozenset({"customer_care_agent", "department_officer", "supervisor", "finance_supervisor",
                           "billing_clerk", "finance_approver", "manager"})
# Roles that see every case: customer care registers and answers all of them; the manager oversees all.
CASE_WIDE_ROLES = frozenset({"customer_care_agent", "manager"})
# Roles that write to the citizen on any case they may see (others only on cases they hold or supervise).
MESSAGE_ROLES = frozenset({"customer_care_agent", "manager"})
SUPERVISING_ROLES = frozenset({"supervisor", "finance_supervisor", "manager"})
APPROVING_ROLES = frozenset({"supervisor", "finance_supervisor", "finance_approver", "manager"})
FINANCE_ROLES = frozenset({"billing_clerk", "finance_supervisor", "finance_approver", "manager"})
# One rule for changing processes, in the modeler and through the API alike: process owners and administrators.
OWNER_ROLES = frozenset({"process_owner", "admin"})
MONITOR_ROLES = frozenset({"supervisor", "manager", "admin"})
# Roles monitoring all departments; a supervisor monitors the departments they belong to.
MONITOR_ALL_ROLES = frozenset({"manager", "admin"})
INSIGHT_ROLES = frozenset({"process_owner", "admin", "manager"})
# Other systems (a billing system saying a payment arrived) and administrators deliver BPMN messages and signals.
EVENT_SENDER_ROLES = frozenset({"integration", "admin"})
MANAGER = "manager"
ADMIN = "admin"
CAPTURER = "customer_care_agent"


def _in_lane(roles: frozenset[str], departments: frozenset[str], task: HumanTask, username: str = "") -> bool:
    """The task's role (and department, if it names one), or one of its candidate groups (`role` or
    `role:department`), or `username` among its candidate users (camunda:candidateUsers, camunda:assignee)."""
    if username and task.candidate_users and f",{username}," in task.candidate_users:
        return True
    if task.candidate_groups and any(f",{role}," in task.candidate_groups
                                     or any(f",{role}:{d}," in task.candidate_groups for d in departments)
                                     for role in roles):
        return True
    if task.candidate_role is None or task.candidate_role not in roles:
        return False
    return task.candidate_department is None or task.candidate_department in departments


def acting_for(who: Identity, task: HumanTask) -> Acting | None:
    """The acting appointment through which `who` works `task` (the absent person holds it, or only their roles
    and departments reach it); None when `who` works it in their own right, or may not work it at all."""
    held = next((a for a in who.acting if task.assignee_id == a.for_id), None)
    if held is not None and task.assignee_id != who.id:
        return held
    if _in_lane(who.roles, who.departments, task, who.username):
        return None
    return next((a for a in who.acting if _in_lane(a.roles, a.departments, task)), None)


def may_work(who: Identity, task: HumanTask) -> bool:
    """True when `who` holds the task's role (and department, when the task has one), or acts for someone who
    does (an acting appointment in force)."""
    return _in_lane(who.roles, who.departments, task, who.username) or acting_for(who, task) is not None


def holds(who: Identity, task: HumanTask) -> bool:
    """The task is claimed by `who`, or by the absent person `who` acts for."""
    return task.assignee_id is not None and task.assignee_id in held_ids(who)


def held_ids(who: Identity) -> list[int]:
    """Whose claimed tasks are `who`'s to work: their own and those of the people they act for."""
    return [who.id, *(a.for_id for a in who.acting)]


def _like(column: Any, name: str) -> Any:
    escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%,{escaped},%", escape="\\")


def _lane_condition(roles: frozenset[str], departments: frozenset[str], username: str = "") -> Any:
    lane = and_(HumanTask.candidate_role.in_(roles),
                or_(HumanTask.candidate_department.is_(None), HumanTask.candidate_department.in_(departments)))
    groups = [_like(HumanTask.candidate_groups, name) for role in sorted(roles)
              for name in (role, *(f"{role}:{d}" for d in sorted(departments)))]
    named = [_like(HumanTask.candidate_users, username)] if username else []
    if not groups and not named:
        return lane
    return or_(lane, and_(HumanTask.candidate_groups.is_not(None), or_(*groups)) if groups else false(), *named)


def eligible(who: Identity) -> Any:
    """`may_work` as a query condition on human tasks: the lane's role, and the task's department if it names one
    (their own, or those of whom they act for)."""
    own = _lane_condition(who.roles, who.departments, who.username)
    if not who.acting:
        return own
    return or_(own, HumanTask.assignee_id.in_([a.for_id for a in who.acting]),
               *(_lane_condition(a.roles, a.departments) for a in who.acting))


def is_manager(who: Identity) -> bool:
    return MANAGER in who.roles


def is_admin(who: Identity | None) -> bool:
    return who is not None and ADMIN in who.roles


def may_see_contact(who: Identity, held_roles: set[str | None], department: str | None) -> bool:
    """Contact details: the manager, supervisors of the case's department, and whoever holds one of the case's
    open tasks in the lane of a contact role (`held_roles`: the lanes of the tasks `who` holds)."""
    if is_manager(who):
        return True
    if "supervisor" in who.roles and department is not None and department in who.departments:
        return True
    return bool(CONTACT_ROLES & who.roles & held_roles)


def may_start(who: Identity, starters: Starters, group_roles: set[str | None]) -> bool:
    """A process that declares starters: a candidate starter user, or one holding a role its candidate starter
    groups name (`group_roles`: those groups as role keys, read as lanes are read)."""
    return who.username in starters.users or bool(who.roles & group_roles)


def is_supervisor(who: Identity) -> bool:
    return bool(SUPERVISING_ROLES & who.roles)


def is_approver(who: Identity) -> bool:
    return bool(APPROVING_ROLES & who.roles)


def supervises(who: Identity, department: str | None) -> bool:
    """The manager supervises everything; a supervisor the departments they belong to."""
    if is_manager(who):
        return True
    return is_supervisor(who) and department is not None and department in who.departments


def supervised_departments(who: Identity) -> frozenset[str] | None:
    """The departments whose team `who` supervises; None for the manager, who supervises them all."""
    return None if is_manager(who) else who.departments


def sees_every_case(who: Identity) -> bool:
    return bool(CASE_WIDE_ROLES & who.roles)


def sees_department_names(who: Identity) -> bool:
    """A department supervisor may find their department's cases by a citizen's name."""
    return "supervisor" in who.roles


def may_view_case(who: Identity, department: str | None, open_tasks: list[HumanTask], involved: bool) -> bool:
    """A case is visible to case-wide roles, its department's staff, whoever may work one of its open
    tasks, and whoever already worked on it; a department officer sees no other department's cases."""
    if sees_every_case(who):
        return True
    if department is not None and department in who.departments:
        return True
    return involved or any(may_work(who, task) for task in open_tasks)


def viewable_cases(who: Identity) -> Any:
    """`may_view_case` as a query condition on cases (the staff case search)."""
    if sees_every_case(who):
        return true()
    return or_(Case.department_code.in_(who.departments),
               exists().where(HumanTask.case_id == Case.id, eligible(who)),
               exists().where(CaseEvent.case_id == Case.id, CaseEvent.actor_id == who.id))


def may_know_citizen(who: Identity) -> Any:
    """POPIA, as a query condition on cases: a name, phone or email finds only cases the user works (holds a task
    of a contact role), supervises, or (customer care, the manager) answers citizens about."""
    if sees_every_case(who):
        return true()
    held = exists().where(HumanTask.case_id == Case.id, HumanTask.assignee_id == who.id,
                          HumanTask.candidate_role.in_(CONTACT_ROLES))  # not an owner's lane
    if sees_department_names(who):
        return or_(held, Case.department_code.in_(who.departments))
    return held


def may_set_ward(who: Identity, department: str | None, open_tasks: list[HumanTask]) -> bool:
    """A case with no point gets its ward by hand from customer care and the manager (who register and answer every
    case), the supervisor of its department, or whoever may work one of its open tasks."""
    return sees_every_case(who) or supervises(who, department) or any(may_work(who, task) for task in open_tasks)


def may_message(who: Identity, holders: set[int], department: str | None) -> bool:
    """Customer care and the manager write to any citizen; others to those whose case they hold or supervise."""
    return bool(MESSAGE_ROLES & who.roles) or who.id in holders or supervises(who, department)


def may_reassign(who: Identity, task: HumanTask, case_department: str | None) -> bool:
    """Assigning work is a supervisor's right, separate from the right to do it."""
    return supervises(who, task.candidate_department or case_department)


def may_change_processes(who: Identity | None) -> bool:
    return who is not None and bool(OWNER_ROLES & who.roles)


def may_monitor(who: Identity | None) -> bool:
    return who is not None and bool(MONITOR_ROLES & who.roles)


def may_see_insight(who: Identity | None) -> bool:
    return who is not None and bool(INSIGHT_ROLES & who.roles)


def is_staff(who: Identity) -> bool:
    """Works cases (the case search is theirs); process owners and administrators do not."""
    return bool(who.roles & STAFF_ROLES)


def require_staff(who: Identity) -> None:
    """Case data is for people who work cases (POPIA: staff whose work needs it)."""
    if not who.roles & STAFF_ROLES:
        raise Forbidden("Only staff who work cases may read or capture them.")


def require_owner(who: Identity | None) -> Identity:
    """Only process owners and administrators view, deploy or change processes (modeler and API alike)."""
    if who is None or not may_change_processes(who):
        raise Forbidden("Only process owners and administrators may view, deploy or change process diagrams.")
    return who


def require_event_sender(who: Identity | None) -> Identity:
    """Only integration accounts and administrators deliver messages and signals to running processes."""
    if who is None or not who.roles & EVENT_SENDER_ROLES:
        raise Forbidden("Only integration accounts and administrators may send messages and signals to processes.")
    return who


def require_external_worker(who: Identity | None) -> Identity:
    """Only integration accounts and administrators fetch, lock, complete or fail external tasks."""
    if who is None or not who.roles & EVENT_SENDER_ROLES:
        raise Forbidden("Only integration accounts and administrators may fetch and complete external tasks.")
    return who


def require_admin(who: Identity | None, sentence: str = "Only an administrator may do this.") -> Identity:
    if who is None or not is_admin(who):
        raise Forbidden(sentence)
    return who


def require_manager(who: Identity, sentence: str) -> Identity:
    if not is_manager(who):
        raise Forbidden(sentence)
    return who


def require_supervisor(who: Identity) -> Identity:
    if not is_supervisor(who):
        raise Forbidden("Only supervisors and managers see this page.")
    return who


def require_finance(who: Identity) -> Identity:
    if not FINANCE_ROLES & who.roles:
        raise Forbidden("Only finance staff and managers see credit-control holds.")
    return who


def require_capturer(who: Identity | None) -> Identity:
    """Paper slips are captured by customer care agents (the capture page and the capture itself)."""
    if who is None or CAPTURER not in who.roles:
        raise Forbidden("Only customer care agents capture paper slips from the suggestion box.")
    return who


def may_capture_cases(who: Identity | None) -> bool:
    """Customer care agents capture phone, walk-in and counter cases (the menu; a diagram may name others)."""
    return who is not None and CAPTURER in who.roles


def may_see_holds(who: Identity | None) -> bool:
    return who is not None and bool(FINANCE_ROLES & who.roles)


def may_capture(who: Identity, process: ParsedProcess, group_roles: set[str | None]) -> bool:
    """Staff capture of a citizen's case on the capture page: never a system-only process; a process that declares
    starters, as declared; one that declares none, customer care agents (who take the calls and the walk-ins)."""
    if process.system_only:
        return False
    if process.starters.declared:
        return may_start(who, process.starters, group_roles)
    return may_capture_cases(who)


def may_read_out_code(who: Identity, capturer_id: int | None, fresh: bool) -> bool:
    """The access code is the citizen's: the staff member who captured the case reads it out or prints it, just
    after capturing it (`fresh`), and nobody else sees it on a staff page."""
    return fresh and capturer_id is not None and capturer_id == who.id


def require_capture(who: Identity, process: ParsedProcess, group_roles: set[str | None]) -> None:
    if not may_capture(who, process, group_roles):
        raise Forbidden(f"You may not capture a case of {process.name}: customer care agents capture cases, "
                        "or the staff its diagram names as starters.")


def monitored_departments(who: Identity) -> frozenset[str] | None:
    """The departments whose figures, drill-downs and exports `who` sees; None for all (the manager, admins)."""
    return None if MONITOR_ALL_ROLES & who.roles else who.departments


def require_monitor(who: Identity | None) -> Identity:
    """Supervisors, managers and administrators watch the figures; nobody else."""
    if who is None or not may_monitor(who):
        raise Forbidden("Only supervisors, managers and administrators may see the monitoring figures.")
    return who


def require_insight(who: Identity | None) -> Identity:
    if who is None or not may_see_insight(who):
        raise Forbidden("Process insight is for process owners, managers and administrators.")
    return who


COUNCILLOR = "councillor"


def is_councillor(who: Identity | None) -> bool:
    return who is not None and COUNCILLOR in who.roles


def confined_to_ward(who: Identity | None) -> bool:
    """A ward councillor with no other role: their ward's read-only view is the only staff page they may open."""
    return who is not None and who.roles == frozenset({COUNCILLOR})


def require_councillor(who: Identity | None) -> str:
    """The ward a councillor may read (cases and figures without personal information); nobody else's."""
    if who is None or not is_councillor(who):
        raise Forbidden("Only ward councillors have a ward view.")
    if not who.ward:
        raise Forbidden("No ward is set for your account yet: ask the IT office to give you your ward.")
    return who.ward


def require_starter(who: Identity, process: ParsedProcess, group_roles: set[str | None]) -> None:
    """Forbidden unless `who` may start `process`: system-only processes nobody; declared starters as declared
    (`group_roles`: its candidate starter groups as role keys); a process that declares none, any staff member
    who works cases."""
    if process.system_only:
        raise Forbidden(f"{process.name} is started by Batho itself on its schedule; nobody may start it by hand.")
    if not process.starters.declared:
        require_staff(who)
        return
    if not may_start(who, process.starters, group_roles):
        named = ", ".join([*process.starters.groups, *process.starters.users]) or "nobody"
        raise Forbidden(f"You may not start {process.name}: its diagram lets only these start it: {named}.")
