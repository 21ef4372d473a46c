"""Who works a user task, when it is due and how urgent it is, as Camunda's Assignments section says.

camunda:assignee, camunda:candidateUsers and camunda:candidateGroups (comma lists of literals, or ${…} expressions
giving a name, a comma list or a list), camunda:dueDate, camunda:followUpDate (ISO 8601 date-time or duration, or an
expression) and camunda:priority (an integer or an expression), evaluated against the instance data when the task
is created. A candidate group names a role by key or name, or a role within a department as `role:department`
(billing_clerk:finance).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import juel, timers
from .dialect import CAMUNDA_NS
from .workflow import Step

log = logging.getLogger(__name__)
ATTRIBUTES = {"assignee": "Assignee", "candidateUsers": "Candidate users", "candidateGroups": "Candidate groups",
              "dueDate": "Due date", "followUpDate": "Follow up date", "priority": "Priority"}
DEFAULT_PRIORITY = 50


@dataclass(frozen=True)
class Assignment:
    """The Assignments section of one user task, as written (texts, not yet evaluated)."""

    assignee: str = ""
    candidate_users: str = ""
    candidate_groups: str = ""
    due_date: str = ""
    follow_up_date: str = ""
    priority: str = ""

    @property
    def names_someone(self) -> bool:
        return bool(self.assignee or self.candidate_users or self.candidate_groups)


def assignment_of(node: Any) -> Assignment:
    """The camunda: assignment attributes of a bpmn:userTask element."""
    def read(name: str) -> str:
        return (node.get(f"{{{CAMUNDA_NS}}}{name}") or "").strip()
    return Assignment(read("assignee"), read("candidateUsers"), read("candidateGroups"), read("dueDate"),
                      read("followUpDate"), read("priority"))


def literal_names(text: str) -> list[str]:
    """The literal names of a comma list; an item with a ${…} part in it (`kermit_${loopCounter}`) is left to run
    time whole."""
    items: list[tuple[str, bool]] = [("", False)]
    for is_expr, body in juel.parts(text):
        if is_expr:
            items[-1] = (items[-1][0], True)
            continue
        first, *others = body.split(",")
        items[-1] = (items[-1][0] + first, items[-1][1])
        items += [(other, False) for other in others]
    return [name.strip() for name, has_expr in items if name.strip() and not has_expr]


def group_parts(group: str) -> tuple[str, str | None]:
    """`billing_clerk:finance` is the role billing_clerk in the finance department; `manager` any manager."""
    role, _, department = group.partition(":")
    return role.strip(), department.strip() or None


@dataclass(frozen=True)
class Resolved:
    """An assignment evaluated for one task: names, groups as (role or role name, department), times."""

    assignee: str | None = None
    users: tuple[str, ...] = ()
    groups: tuple[tuple[str, str | None], ...] = ()
    due_at: datetime | None = None
    follow_up_at: datetime | None = None
    priority: int | None = None


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


class _Evaluator:
    """Evaluates the texts of one task's assignment; a text that fails is logged with the ids and skipped."""

    def __init__(self, task: Any, instance_id: int | None) -> None:
        self.task = task
        self.instance_id = instance_id

    def value(self, text: str) -> Any:
        return self.task.workflow.script_engine.evaluate(self.task, text)

    def names(self, text: str, attribute: str) -> list[str]:
        try:
            return [name for is_expr, body in juel.parts(text)
                    for name in (_names(self.value("${" + body + "}")) if is_expr else _names(body))]
        except Exception as exc:  # the diagram's data, not ours: the task falls back to its lane
            self._failed(attribute, exc)
            return []

    def moment(self, text: str, attribute: str, start: datetime, zone: str) -> datetime | None:
        if not text:
            return None
        try:
            return timers.due_at(text, self.value, start, zone)
        except Exception as exc:
            self._failed(attribute, exc)
            return None

    def priority(self, text: str) -> int | None:
        if not text:
            return None
        try:
            return int(self.value(text) if juel.is_el(text) else text)
        except Exception as exc:
            self._failed("priority", exc)
            return None

    def _failed(self, attribute: str, exc: Exception) -> None:
        log.warning("the %s of task %s (%s) of instance %s could not be evaluated: %s: %s", ATTRIBUTES[attribute],
                    self.task.id, getattr(self.task.task_spec, "bpmn_id", ""), self.instance_id,
                    type(exc).__name__, exc)


def resolve(step: Step, now: datetime, instance_id: int | None = None) -> Resolved | None:
    """The assignment of a ready user task evaluated on its data; None when its diagram declares none."""
    task = step.task
    assignment: Assignment | None = getattr(task.task_spec, "assignment", None)
    if assignment is None or assignment == Assignment():
        return None
    zone = str(getattr(task.workflow.script_engine, "timezone", timers.DEFAULT_ZONE))
    run = _Evaluator(task, instance_id)
    assignee = next(iter(run.names(assignment.assignee, "assignee")), None)
    users = tuple(dict.fromkeys([*([assignee] if assignee else []),
                                 *run.names(assignment.candidate_users, "candidateUsers")]))
    groups = tuple(dict.fromkeys(group_parts(g) for g in run.names(assignment.candidate_groups, "candidateGroups")))
    return Resolved(assignee=assignee, users=users, groups=groups,
                    due_at=run.moment(assignment.due_date, "dueDate", now, zone),
                    follow_up_at=run.moment(assignment.follow_up_date, "followUpDate", now, zone),
                    priority=run.priority(assignment.priority))


BPMN_USER_TASK = "{http://www.omg.org/spec/BPMN/20100524/MODEL}userTask"


def attach_assignments(parser: Any, specs: Any) -> None:
    """Give each user task spec its Assignments section from the XML the parser read (`task_spec.assignment`)."""
    nodes: dict[str, Any] = {}
    for process_parser in parser.process_parsers.values():
        for node in process_parser.node.iter(BPMN_USER_TASK):
            nodes.setdefault(node.get("id"), node)
    for spec in specs:
        for task_spec in spec.task_specs.values():
            node = nodes.get(str(getattr(task_spec, "bpmn_id", "")))
            if node is not None and getattr(task_spec, "manual", False):
                task_spec.assignment = assignment_of(node)
