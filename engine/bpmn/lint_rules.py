"""The lint's rules for BPMN diagrams: each looks at the XML and says what a process owner must change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .call_binding import not_deployed_sentence, wanted_of
from .camunda_loops import loop_problems
from .dialect import CAMUNDA_NS, starters_of
from .forms import SUPPORTED_TYPES
from .lint_assign import assignment_problems, declares_assignment
from .lint_forms import unknown_type
from .lint_paths import dead_ends
from .lint_text import Found, compile_problem, label
from .lint_timers import timer_problem
from .lint_vocabulary import vocabulary_problems
from .tolerance import DEFAULT_UNASSIGNED_ROLE

__all__ = ["Found", "Located", "bpmn_problems", "decision_ids", "process_ids"]

USER_TASKS = ("userTask", "manualTask")


@dataclass
class Located:
    """What the files around a diagram offer it: decisions, processes and the roles lanes may name."""

    decisions: set[str]
    processes: set[str]
    roles: list[tuple[str, str]] = field(default_factory=list)
    users: set[str] | None = None  # usernames an assignee or candidate user may name (None: not checked)
    departments: set[str] | None = None  # department codes a candidate group role:department may name
    unassigned_role: str = DEFAULT_UNASSIGNED_ROLE  # who works a task no lane role, assignee or candidate names


def local(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


def _all(root: Any, *names: str) -> Iterator[Any]:
    for el in root.iter():
        if local(el) in names:
            yield el


def decision_ids(root: Any) -> set[str]:
    return {el.get("id") for el in _all(root, "decision") if el.get("id")}


def process_ids(root: Any) -> set[str]:
    return {el.get("id") for el in _all(root, "process") if el.get("id")}


def _conditions(root: Any) -> Iterator[Found]:
    for flow in _all(root, "sequenceFlow"):
        for expression in _all(flow, "conditionExpression"):
            text = (expression.text or "").strip()
            if not text:
                yield Found(flow, "condition", f"{label(flow)} has an empty condition: Camunda 7 stops with an "
                                               "error when it tries that path (an empty expression is neither true "
                                               'nor false). Write one, for example decision == "approve", or make '
                                               "it the gateway's default path.")
                continue
            problem = compile_problem(text, "expression")
            if problem:
                yield Found(flow, "condition", f"{label(flow)}: its condition cannot be used: {problem}")


def _unguarded_gateway_paths(root: Any) -> Iterator[Found]:
    flows = {f.get("id"): f for f in _all(root, "sequenceFlow")}
    for gateway in _all(root, "exclusiveGateway", "inclusiveGateway"):
        outgoing = [f for f in flows.values() if f.get("sourceRef") == gateway.get("id")]
        if len(outgoing) < 2:
            continue
        for flow in outgoing:
            if flow.get("id") != gateway.get("default") and not list(_all(flow, "conditionExpression")):
                yield Found(flow, "condition", f"{label(flow)} leaves {label(gateway)} without a condition, and "
                                               "so does another path or the gateway has a default path: Camunda 7 "
                                               "refuses this too. Give it a condition, or make it the gateway's "
                                               "default path.")


def _scripts(root: Any) -> Iterator[Found]:
    for task in _all(root, "scriptTask"):
        script_format = (task.get("scriptFormat") or "python").strip().lower()
        if script_format != "python":
            yield Found(task, "script", f"{label(task)} is written in {script_format}; Batho runs Python scripts "
                                        'only. Set the script format to "python".')
            continue
        scripts = [el for el in task if local(el) == "script"]
        text = scripts[0].text if scripts else None
        if not (text or "").strip():
            yield Found(task, "script", f"{label(task)} has no script. Write one, or use a plain task instead.")
            continue
        problem = compile_problem(text or "", "script")
        if problem:
            yield Found(task, "script", f"{label(task)}: its script cannot be used: {problem}")


def _timers(root: Any) -> Iterator[Found]:
    for definition in _all(root, "timerEventDefinition"):
        event = definition.getparent()
        values = [el for el in definition if local(el) in ("timeDate", "timeDuration", "timeCycle")]
        if not values:
            yield Found(event, "timer", f"{label(event)} has no time set. Give it a date, a duration or a cycle.")
        for value in values:
            problem = timer_problem(local(value), (value.text or "").strip())
            if problem:
                yield Found(event, "timer", f"{label(event)}: {problem}")


def _lane_of(root: Any) -> dict[str, Any]:
    return {(ref.text or "").strip(): lane for lane in _all(root, "lane") for ref in _all(lane, "flowNodeRef")}


def _own_or_enclosing_lane(task: Any, lanes: dict[str, Any]) -> Any:
    """A task's lane, or (as SpiffWorkflow reads it) the lane of the subprocess it is drawn in."""
    node = task
    while node is not None:
        if node.get("id") in lanes:
            return lanes[node.get("id")]
        node = node.getparent()
        if node is not None and local(node) not in ("subProcess", "transaction"):
            return None
    return None


def _role_known(name: str, roles: list[tuple[str, str]]) -> bool:
    wanted = name.strip().lower()
    return any(wanted in (key.lower(), role_name.lower()) for key, role_name in roles)


def _role_name(key: str, roles: list[tuple[str, str]]) -> str | None:
    wanted = key.strip().lower()
    return next((name for k, name in roles if wanted in (k.lower(), name.lower())), None)


def _goes_to_unassigned(task: Any, start: str, roles: list[tuple[str, str]], unassigned: str) -> Found:
    """Camunda gives such a task to nobody; Batho gives it to BATHO_UNASSIGNED_TASK_ROLE and says so."""
    name = _role_name(unassigned, roles)
    if name is None:
        return Found(task, "lane", f"{start}: it would go to BATHO_UNASSIGNED_TASK_ROLE '{unassigned}', which is not "
                                   "a role, so nobody could work it. Set Candidate groups in the Assignments "
                                   "section, or ask the administrator to set BATHO_UNASSIGNED_TASK_ROLE to a role.")
    return Found(task, "lane", f"{start}: it goes to {name} (BATHO_UNASSIGNED_TASK_ROLE). Set Candidate groups in "
                               "the Assignments section to choose who works it.", severity="warning")


def _lanes(root: Any, roles: list[tuple[str, str]], unassigned: str) -> Iterator[Found]:
    """Lanes carry no meaning in Camunda: a lane that names a role gives the task to it, else it is drawing."""
    lanes = _lane_of(root)
    for task in _all(root, *USER_TASKS):
        lane = _own_or_enclosing_lane(task, lanes)
        if lane is None and local(task) == "manualTask":  # goes to BATHO_UNASSIGNED_TASK_ROLE (tolerance.py)
            continue
        if declares_assignment(task):  # camunda:candidateGroups... decide; the lane is drawing (lint_assign.py)
            continue
        title = (task.get("name") or "").strip() or task.get("id") or "(no id)"
        if lane is None:
            yield _goes_to_unassigned(task, f"Task '{title}' has no lane, assignee or candidate groups", roles,
                                      unassigned)
        elif not _role_known(lane.get("name") or "", roles):
            lane_name = (lane.get("name") or "").strip() or "(no name)"
            known = ", ".join(name for _, name in roles) or "none are set up"
            yield _goes_to_unassigned(task, f"Lane '{lane_name}' is not a role (roles: {known}) and task '{title}' "
                                            "has no assignee or candidate groups", roles, unassigned)


def _starters(root: Any, roles: list[tuple[str, str]]) -> Iterator[Found]:
    """Who may start a process: candidateStarterGroups name roles (as lanes do); `lodge` is the vocabulary's."""
    known = ", ".join(key for key, _ in roles) or "none are set up"
    for process in _all(root, "process"):
        for group in starters_of(process).groups:
            if not _role_known(group, roles):
                yield Found(process, "starters", f'{label(process)} lets "{group}" start it, which is not a role. '
                                                 f"Name roles in candidateStarterGroups, comma-separated: {known}.")


def _form_fields(root: Any) -> Iterator[Found]:
    for form in root.iter(f"{{{CAMUNDA_NS}}}formData"):
        owner = form.getparent().getparent()
        seen: set[str] = set()
        for form_field in form.iter(f"{{{CAMUNDA_NS}}}formField"):
            field_id = (form_field.get("id") or "").strip()
            shown = form_field.get("label") or field_id or "(no label)"
            kind = form_field.get("type") or ""
            if not field_id:
                yield Found(owner, "form", f'{label(owner)}: form field "{shown}" has no id. Give it one (letters, '
                                           "digits and _).")
            elif field_id in seen:
                yield Found(owner, "form", f'{label(owner)}: two form fields have the id "{field_id}". Each field '
                                           "needs its own id.")
            seen.add(field_id)
            if kind and kind not in SUPPORTED_TYPES:  # no type: a text field, as Camunda 7 (engine/bpmn/lint_forms.py)
                yield Found(owner, "form", f'{label(owner)}: form field "{shown}" {unknown_type(kind)}')
            elif kind == "enum" and not list(form_field.iter(f"{{{CAMUNDA_NS}}}value")):
                yield Found(owner, "form", f'{label(owner)}: the choice field "{shown}" has no values to choose '
                                           "from. Add at least one.")


def _references(root: Any, context: Located) -> Iterator[Found]:
    for task in _all(root, "businessRuleTask"):
        ref = (task.get(f"{{{CAMUNDA_NS}}}decisionRef") or "").strip()
        if not ref:
            yield Found(task, "reference", f"{label(task)} names no decision table. Set its Decision reference "
                                           "(decisionRef) to the id of a decision in a .dmn file.")
        elif "{" in ref:
            yield Found(task, "reference", f'{label(task)} uses decision "{ref}", an expression, which Batho cannot '
                                           "work out when a case reaches it. Name the decision (its id).")
        elif ref not in context.decisions:  # bound when a case reaches it (engine/bpmn/call_binding.py)
            yield Found(task, "reference", not_deployed_sentence(label(task), "decision", ref)
                        + _in_files("Decisions", context.decisions), "warning")
    for call in _all(root, "callActivity"):
        called = (call.get("calledElement") or "").strip()
        if not called:
            yield Found(call, "reference", f"{label(call)} names no process to call. Set its called element.")
        elif called not in context.processes:
            yield from _late_call(call, called, context)


def _late_call(call: Any, called: str, context: Located) -> Iterator[Found]:
    """A call outside the files: bound when reached, unless its binding asks for this deployment or a bad version."""
    binding = (call.get(f"{{{CAMUNDA_NS}}}calledElementBinding") or "latest").strip()
    have = ", ".join(sorted(context.processes)) or "none"
    if "{" in called:
        yield Found(call, "reference", f'{label(call)} calls "{called}", an expression, which Batho cannot work out '
                                       "when a case reaches it. Name the process to call (its id).")
    elif binding == "deployment":
        yield Found(call, "reference", f'{label(call)} calls process "{called}" of its own deployment (binding '
                                       f'"deployment"), which is not in the files. Add its .bpmn file, correct the '
                                       f'name or set the binding to "latest" (processes here: {have}).')
    elif binding == "version" and not (call.get(f"{{{CAMUNDA_NS}}}calledElementVersion") or "").strip().isdigit():
        yield Found(call, "reference", f'{label(call)} calls a version of process "{called}" but its version is not '
                                       "a whole number. Set the version (calledElementVersion), e.g. 2.")
    elif binding not in ("latest", "version", "versionTag"):
        yield Found(call, "reference", f'{label(call)} has the binding "{binding}", which Batho does not know. Use '
                                       "latest, deployment, version or versionTag.")
    else:
        wanted = wanted_of(call, called)
        yield Found(call, "reference", not_deployed_sentence(label(call), "process", wanted.said)
                    + _in_files("Processes", context.processes - {_process_of(call)}), "warning")


def _process_of(element: Any) -> str:
    found = next((p for p in element.iterancestors() if local(p) == "process"), None)
    return str(found.get("id")) if found is not None else ""


def _in_files(what: str, names: set[str]) -> str:
    """A hint against typing errors: what the files do hold."""
    return f" {what} in these files: {', '.join(sorted(names))}; correct the name if it is one of them." \
        if names else ""


def bpmn_problems(root: Any, context: Located) -> list[Found]:
    """All rule violations in one BPMN document."""
    found: list[Found] = []
    for rule in (_conditions(root), _unguarded_gateway_paths(root), _scripts(root), _timers(root),
                 _lanes(root, context.roles, context.unassigned_role), _starters(root, context.roles),
                 _form_fields(root),
                 _references(root, context), dead_ends(root), vocabulary_problems(root),
                 assignment_problems(root, context.roles, context.users, context.departments), loop_problems(root)):
        found.extend(rule)
    return found
