"""The lint's check that every user task reaches somebody, in the words of Camunda Modeler's Assignments section."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from . import juel
from .camunda_assign import ATTRIBUTES, assignment_of, group_parts, literal_names
from .lint_text import Found, compile_problem
from .lint_timers import timer_problem
from .timers import is_iso

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def declares_assignment(task: Any) -> bool:
    """The user task names an assignee, candidate users or candidate groups (its lane is then drawing only)."""
    return assignment_of(task).names_someone


def _title(task: Any) -> str:
    return (task.get("name") or "").strip() or task.get("id") or "(no id)"


def _role_known(name: str, roles: list[tuple[str, str]]) -> bool:
    wanted = name.strip().lower()
    return any(wanted in (key.lower(), role_name.lower()) for key, role_name in roles)


def _expression_problems(task: Any, attribute: str, text: str) -> Iterator[Found]:
    for is_expr, body in _parts(text):
        problem = compile_problem("${" + body + "}", "expression") if is_expr else None
        if problem:
            yield Found(task, "assignment", f"{ATTRIBUTES[attribute]} of task '{_title(task)}' cannot be used: "
                                            f"{problem} Change {ATTRIBUTES[attribute]} in the Assignments section.")


def _parts(text: str) -> list[tuple[bool, str]]:
    try:
        return juel.parts(text)
    except juel.ExpressionUnsupported:
        return [(True, text)]


def _groups(task: Any, text: str, roles: list[tuple[str, str]], departments: set[str] | None) -> Iterator[Found]:
    for group in literal_names(text):
        role, department = group_parts(group)
        if not _role_known(role, roles):
            known = ", ".join(key for key, _ in roles) or "none are set up"
            yield Found(task, "assignment", f"Candidate groups '{group}' of task '{_title(task)}' names no role. Add "
                                            "the role or change Candidate groups in the Assignments section "
                                            f"(roles: {known}; a role in a department is written role:department).")
        elif department and departments is not None and department not in departments:
            yield Found(task, "assignment", f"Candidate groups '{group}' of task '{_title(task)}' names no "
                                            f"department '{department}'. Add the department or change Candidate "
                                            "groups in the Assignments section.")


def _users(task: Any, attribute: str, text: str, users: set[str] | None) -> Iterator[Found]:
    if users is None:
        return
    for name in literal_names(text):
        if name not in users:
            yield Found(task, "assignment", f"{ATTRIBUTES[attribute]} '{name}' of task '{_title(task)}' names no "
                                            f"user. Add the user or change {ATTRIBUTES[attribute]} in the Assignments "
                                            "section.")


def _times(task: Any) -> Iterator[Found]:
    found = assignment_of(task)
    for attribute, text in (("dueDate", found.due_date), ("followUpDate", found.follow_up_date)):
        if not text:
            continue
        if not (juel.is_el(text) or is_iso(text)):
            yield Found(task, "assignment", f"{ATTRIBUTES[attribute]} '{text}' of task '{_title(task)}' is neither an "
                                            "ISO 8601 date-time (2026-12-24T09:00:00) or duration (P5D) nor an "
                                            "expression such as ${due}. Change it in the Assignments section.")
            continue
        problem = timer_problem("timeDuration" if text.upper().startswith("P") else "timeDate", text)
        if problem:
            yield Found(task, "assignment", f"{ATTRIBUTES[attribute]} of task '{_title(task)}': {problem}")
    text = found.priority
    if text and not juel.is_el(text) and not text.lstrip("-").isdigit():
        yield Found(task, "assignment", f"Priority '{text}' of task '{_title(task)}' is not a whole number. Write a "
                                        "number such as 50 (higher is more urgent) or an expression.")
    elif text:
        yield from _expression_problems(task, "priority", text)


def assignment_problems(root: Any, roles: list[tuple[str, str]], users: Iterable[str] | None = None,
                        departments: Iterable[str] | None = None) -> Iterator[Found]:
    """Problems with the Assignments section of every user task (`users`, `departments`: None skips that check)."""
    known_users = set(users) if users is not None else None
    known_departments = set(departments) if departments is not None else None
    for task in root.iter(f"{{{BPMN_NS}}}userTask"):
        found = assignment_of(task)
        for attribute, text in (("assignee", found.assignee), ("candidateUsers", found.candidate_users),
                                ("candidateGroups", found.candidate_groups)):
            yield from _expression_problems(task, attribute, text)
        yield from _groups(task, found.candidate_groups, roles, known_departments)
        yield from _users(task, "assignee", found.assignee, known_users)
        yield from _users(task, "candidateUsers", found.candidate_users, known_users)
        yield from _times(task)
