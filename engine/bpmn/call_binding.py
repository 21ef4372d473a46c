"""Call activities and decisions bound when a case reaches them, as Camunda 7 does (binding "latest").

A called process that is not in the caller's files, or a decision found in no deployed file, is looked up when a
case reaches the step: the newest deployed version (or the one `camunda:calledElementVersion` /
`calledElementVersionTag` names). SpiffWorkflow 3.2 starts a called process from `BpmnWorkflow.subprocess_specs`
the moment its call activity is reached, so that mapping is, per loaded instance, a `LateCalls` that binds on
that look-up; the version bound is kept in the call activity task's internal data, which the state serializer
stores, and a restored case takes exactly that version again (`PinnedSubWorkflowConverter`). Not deployed: the
case stops at that step as an incident with a sentence; a retry after the deploy binds and goes on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.serializer.default.task_spec import SubWorkflowConverter
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnSubWorkflowConverter
from SpiffWorkflow.bpmn.specs.defaults import CallActivity as SpiffCallActivity
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow

from .dmn import DecisionEngine, Table

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
PIN = "called_version"  # internal data of a call activity task: the id of the process version it called


def not_deployed_sentence(what: str, kind: str, key: str) -> str:
    """The lint's warning and the incident's message for a call (`kind` process or decision) not deployed yet."""
    verb = "calls process" if kind == "process" else "uses decision"
    return (f'{what} {verb} "{key}", which is not deployed yet: a case that reaches this step stops there, as an '
            f'incident, until "{key}" is deployed.')


def _label(task_spec: Any, kind: str) -> str:
    name, ident = getattr(task_spec, "bpmn_name", None), getattr(task_spec, "bpmn_id", None) or task_spec.name
    return f'{kind} "{name}" ({ident})' if name else f"{kind} {ident}"


class NotDeployedYet(WorkflowTaskException):  # type: ignore[misc]
    """A case reached a call or a decision whose process or decision is not deployed: an incident."""

    def __init__(self, sentence: str, task: Any) -> None:
        super().__init__(sentence, task=task)
        self.sentence = sentence

    def __str__(self) -> str:  # SpiffWorkflow appends its notes; the incident shows the sentence alone
        return self.sentence


@dataclass(frozen=True)
class Wanted:
    """Which version of a called process a call activity asks for (Camunda's calledElementBinding)."""

    key: str
    version: int | None = None  # binding "version"
    tag: str | None = None  # binding "versionTag"

    @property
    def said(self) -> str:
        if self.version is not None:
            return f'{self.key}" version "{self.version}'
        return f'{self.key}" with version tag "{self.tag}' if self.tag is not None else self.key


@dataclass(frozen=True)
class Bound:
    """A deployed version a call was bound to: its row id and its parsed process."""

    version_id: int
    process: Any  # a ParsedProcess (engine/bpmn/specs.py): spec, subprocess_specs, late_calls


class Binder(Protocol):
    """Finds deployed versions when a case reaches a call (engine/bpmn/specs.py gives one per loaded version)."""

    def process(self, wanted: Wanted) -> Bound | None: ...

    def process_by_id(self, version_id: int) -> Bound: ...

    def decision(self, decision_id: str) -> tuple[int, Mapping[str, Table]] | None: ...


class LateCalls(dict[str, Any]):
    """One loaded instance's `subprocess_specs`: its version's own called specs, plus those bound when reached."""

    def __init__(self, own: Mapping[str, Any], late: frozenset[str], binder: Binder | None) -> None:
        super().__init__(own)
        self.late = set(late)
        self.binder = binder
        self.just_bound: dict[str, int] = {}  # called key -> version id of its newest binding

    def __bool__(self) -> bool:  # BpmnWorkflow takes `subprocess_specs or {}`: an empty mapping is still this one
        return True

    def bind(self, wanted: Wanted) -> bool:
        """Bind the newest (or the named) deployed version of a late call; False when none is deployed."""
        found = self.binder.process(wanted) if self.binder is not None else None
        if found is None:
            return False
        self._take(wanted.key, found)
        self.just_bound[wanted.key] = found.version_id
        return True

    def pin(self, key: str, version_id: int) -> Any:
        """The spec of the version a restored call activity called (and its own called specs, for its steps)."""
        if self.binder is None:
            raise LookupError(f'The case called version {version_id} of "{key}", which cannot be looked up here.')
        found = self.binder.process_by_id(version_id)
        self._take(key, found, replace=False)
        return found.process.spec

    def _take(self, key: str, found: Bound, replace: bool = True) -> None:
        if replace or not dict.__contains__(self, key):
            self[key] = found.process.spec
        for name, spec in found.process.subprocess_specs.items():
            if spec is not None and not dict.__contains__(self, name):
                self[name] = spec
        self.late |= set(getattr(found.process, "late_calls", ()))


def called_specs(parser: Any, spec: Any) -> dict[str, Any]:
    """The specs of the processes `spec` calls, at any depth, from the parser's files; None for each that is not
    there (bound when reached). SpiffWorkflow's own get_subprocess_specs insists on them below the first level."""
    called: dict[str, Any] = {}
    todo = [spec]
    while todo:
        for task_spec in todo.pop().task_specs.values():
            if isinstance(task_spec, SubWorkflowTask) and task_spec.spec not in called:
                called[task_spec.spec] = parser.get_spec(task_spec.spec, required=False)
                if called[task_spec.spec] is not None:
                    todo.append(called[task_spec.spec])
    return called


def wanted_of(node: Any, key: str) -> Wanted:
    """What a callActivity element asks for: camunda:calledElementBinding, Version and VersionTag."""
    binding = (node.get(f"{{{CAMUNDA_NS}}}calledElementBinding") or "latest").strip()
    if binding == "version":
        text = (node.get(f"{{{CAMUNDA_NS}}}calledElementVersion") or "").strip()
        return Wanted(key, version=int(text) if text.isdigit() else None)
    if binding == "versionTag":
        return Wanted(key, tag=(node.get(f"{{{CAMUNDA_NS}}}calledElementVersionTag") or "").strip())
    return Wanted(key)


class CallActivity(SpiffCallActivity):  # type: ignore[misc]
    """A call activity whose called process may be bound when reached: when none is deployed, the case stops at
    this step (as an incident, not in the step before it) and a retry binds again. (Named as SpiffWorkflow's:
    the class name is the element's kind in labels and change summaries.)"""

    wanted: Wanted | None = None  # set by the parse for calls outside the caller's files (engine/bpmn/specs.py)

    def _update_hook(self, my_task: Any) -> Any:
        top = my_task.workflow.top_workflow
        specs = top.subprocess_specs
        if top.subprocesses.get(my_task.id) is None and isinstance(specs, LateCalls) and self.spec in specs.late:
            if not specs.bind(self.wanted or Wanted(self.spec)):
                my_task._inherit_data()
                return True  # ready: running it says what is missing (_run_hook)
            started = super()._update_hook(my_task)
            my_task.internal_data[PIN] = specs.just_bound.get(self.spec)
            return started
        return super()._update_hook(my_task)

    def _run_hook(self, my_task: Any) -> Any:
        if my_task.workflow.top_workflow.subprocesses.get(my_task.id) is None:
            wanted = self.wanted or Wanted(self.spec)
            sentence = not_deployed_sentence(_label(self, "Call activity"), "process", wanted.said)
            raise NotDeployedYet(sentence, my_task)
        return super()._run_hook(my_task)


class LateDecision(DecisionEngine):
    """The engine of a business rule task whose decision was deployed nowhere: it looks for the decision's newest
    deployed version each time a case reaches the task."""

    def __init__(self, decision_ref: str, task_node: Any) -> None:
        super().__init__(decision_ref, {decision_ref: Table(decision_id=decision_ref, name=decision_ref)},
                         task_node.get(f"{{{CAMUNDA_NS}}}resultVariable"),
                         task_node.get(f"{{{CAMUNDA_NS}}}mapDecisionResult"))
        self.placeholder = self.tables

    def result(self, task: Any) -> dict[str, Any]:
        specs = task.workflow.top_workflow.subprocess_specs
        found = specs.binder.decision(self.decision_id) if isinstance(specs, LateCalls) and specs.binder else None
        if found is None:
            raise NotDeployedYet(not_deployed_sentence(_label(task.task_spec, "Decision task"), "decision",
                                                       self.decision_id), task)
        version_id, tables = found
        task.internal_data[PIN] = version_id
        bound = DecisionEngine(self.decision_id, tables, self.result_variable, self.mapping)
        return bound.result(task)


class PinnedSubWorkflowConverter(BpmnSubWorkflowConverter):  # type: ignore[misc]
    """Restores a called process on the version its call activity bound (kept in the task's internal data)."""

    def from_dict(self, dct: dict[str, Any], task: Any, top_workflow: Any) -> Any:
        pinned = task.internal_data.get(PIN)
        specs = top_workflow.subprocess_specs
        if pinned is None or not isinstance(specs, LateCalls):
            return super().from_dict(dct, task, top_workflow)
        spec = specs.pin(task.task_spec.spec, int(pinned))
        subprocess = self.target_class(spec, task.id, top_workflow, deserializing=True)
        subprocess.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=subprocess)
        subprocess.task_tree = subprocess.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(subprocess, dct)
        return subprocess



# What the state serializer needs (engine/bpmn/state.py): the call activity's spec (for diffs) and the pinned restore
CALL_CONVERTERS = {CallActivity: SubWorkflowConverter, BpmnSubWorkflow: PinnedSubWorkflowConverter}
