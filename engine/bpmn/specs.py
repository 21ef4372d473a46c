"""Parsing diagrams into SpiffWorkflow specs, and a per-version cache so requests never parse."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent

from . import call_binding
from .call_binding import LateCalls, LateDecision, wanted_of
from .call_versions import VersionBinder, session_of
from .camunda_assign import attach_assignments
from .camunda_forms import CamundaForm, as_form, read_form, referenced
from .camunda_io import attach as attach_camunda_io
from .camunda_loops import adopt_collections
from .dialect import BathoParser, Starters, starters_of
from .forms import Field, fields_of
from .timers import adopt_cycles
from .tolerance import DEFAULT_UNASSIGNED_ROLE
from .vocabulary import LODGE


@dataclass(frozen=True)
class ParsedProcess:
    """A process key's executable spec, its called subprocess specs, its start form and who may start it."""

    key: str
    name: str
    spec: BpmnProcessSpec
    subprocess_specs: dict[str, Any]
    starters: Starters = Starters()
    # Called processes outside the version's files and decisions deployed nowhere when it was deployed: bound
    # when a case reaches them (engine/bpmn/call_binding.py)
    late_calls: frozenset[str] = frozenset()
    late_decisions: frozenset[str] = frozenset()

    @property
    def start_event(self) -> Any:
        """The BPMN start event of the top-level process (Spiff's own `spec.start` is a synthetic task)."""
        for task_spec in self.spec.start.outputs:
            if isinstance(task_spec, StartEvent):
                return task_spec
        return None

    @property
    def start_form(self) -> tuple[Field, ...]:
        return fields_of(getattr(self.start_event, "form", None))

    @property
    def start_properties(self) -> dict[str, str]:
        return dict(getattr(self.start_event, "extensions", None) or {})

    @property
    def system_only(self) -> bool:
        """The start event says `lodge` = `system`: only Batho itself starts it (the worker's schedule)."""
        return self.start_properties.get(LODGE) == "system"

    def task_spec(self, name: str) -> Any:
        found = self.spec.task_specs.get(name)
        if found is not None:
            return found
        for sub in self.subprocess_specs.values():
            if name in sub.task_specs:
                return sub.task_specs[name]
        raise KeyError(name)

    def form_of(self, name: str) -> tuple[Field, ...]:
        """The form of the element `name` (top level or in a called process)."""
        return fields_of(getattr(self.task_spec(name), "form", None))


def element_problem(exc: Exception) -> tuple[str, str] | None:
    """The element id and a sentence for the parser's complaint about a diagram (None: `exc` is not one)."""
    if not isinstance(exc, ValidationException):
        return None
    element = getattr(exc, "id", None) or ""
    name = getattr(exc, "name", None) or element
    where = f" (element {name!r}, id {element})" if element else ""
    return element, f"{exc.args[0]}{where}"


def attach_camunda_forms(specs: list[Any], forms: list[CamundaForm]) -> None:
    """A task or start event whose formRef or formKey names a deployed Camunda Form takes its inputs as its fields,
    and keeps its schema (`camunda_form`) for form-js to draw."""
    for spec in specs:
        for task_spec in spec.task_specs.values():
            form = getattr(task_spec, "form", None)
            found = referenced(getattr(form, "key", ""), getattr(form, "ref", ""), forms) if form else None
            if found is not None:
                task_spec.form = as_form(found)
                task_spec.camunda_form = found.schema


def camunda_form_of(process: ParsedProcess, name: str | None) -> dict[str, Any] | None:
    """The Camunda Form schema the element `name` shows (None: the start event), or None when it has none."""
    spec = process.start_event if name is None else process.task_spec(name)
    return getattr(spec, "camunda_form", None)


def _late_parts(parser: BathoParser, specs: list[Any], late_calls: frozenset[str]) -> frozenset[str]:
    """Tell each call activity outside the files which version it asks for; return the decisions found nowhere."""
    calls = {el.get("id"): el for pp in parser.process_parsers.values()
             for el in pp.node.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}callActivity")}
    decisions = set()
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, call_binding.CallActivity) and task_spec.spec in late_calls:
                node = calls.get(getattr(task_spec, "bpmn_id", None))
                task_spec.wanted = wanted_of(node, task_spec.spec) if node is not None else None
            if isinstance(getattr(task_spec, "dmnEngine", None), LateDecision):
                decisions.add(task_spec.dmnEngine.decision_id)
    return frozenset(decisions)


def parse(bpmn_files: Mapping[str, str], dmn_files: Mapping[str, str],
          unassigned_role: str = DEFAULT_UNASSIGNED_ROLE,
          form_files: Mapping[str, str] | None = None) -> dict[str, ParsedProcess]:
    """Parse the files; return every executable process they define, keyed by process id (manual tasks drawn
    outside any lane go to `unassigned_role`; tasks showing a Camunda Form of `form_files` take its fields)."""
    forms = [read_form(name, text) for name, text in sorted((form_files or {}).items())]
    parser = BathoParser(unassigned_role)
    for filename, source in dmn_files.items():
        parser.add_dmn_source(source, filename)
    for filename, source in bpmn_files.items():
        parser.add_bpmn_source(source, filename)
    result = {}
    for key in parser.get_process_ids():
        spec = parser.get_spec(key)
        called = call_binding.called_specs(parser, spec)
        subs = {name: sub for name, sub in called.items() if sub is not None}
        late_calls = frozenset(name for name, sub in called.items() if sub is None)
        for each in (spec, *subs.values()):
            adopt_cycles(each.task_specs.values())  # cron cycles (engine/bpmn/timers.py)
            adopt_collections(each.task_specs.values())  # camunda:collection="${list}" (engine/bpmn/camunda_loops.py)
        attach_assignments(parser, [spec, *subs.values()])  # camunda:assignee... (engine/bpmn/camunda_assign.py)
        attach_camunda_forms([spec, *subs.values()], forms)
        attach_camunda_io(parser, [spec, *subs.values()])  # camunda:inputOutput (engine/bpmn/camunda_io.py)
        late_decisions = _late_parts(parser, [spec, *subs.values()], late_calls)
        starters = starters_of(parser.get_process_parser(key).node)
        result[key] = ParsedProcess(key=key, name=spec.description or key, spec=spec, subprocess_specs=subs,
                                    starters=starters, late_calls=late_calls, late_decisions=late_decisions)
    return result


class SpecCache:
    """Parsed processes per deployed version id; each version is parsed once per process."""

    def __init__(self, unassigned_role: str = DEFAULT_UNASSIGNED_ROLE) -> None:
        self.unassigned_role = unassigned_role
        self._by_version: dict[int, ParsedProcess] = {}
        self._lock = threading.Lock()

    def get(self, version: Any) -> ParsedProcess:
        """The parsed process of a ProcessVersion row (parsed on first use, then cached). A version that calls
        processes or decisions outside its files gets, on each call, its own `subprocess_specs` mapping that binds
        them through the row's session when a case reaches them (engine/bpmn/call_binding.py)."""
        parsed = self.parsed(version)
        if not (parsed.late_calls or parsed.late_decisions):
            return parsed
        binder = VersionBinder(session, self) if (session := session_of(version)) is not None else None
        return replace(parsed, subprocess_specs=LateCalls(parsed.subprocess_specs, parsed.late_calls, binder))

    def parsed(self, version: Any) -> ParsedProcess:
        """The version's parsed process as cached, shared by every instance of it."""
        cached = self._by_version.get(version.id)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._by_version.get(version.id)
            if cached is None:
                cached = parse(version.bpmn_files, version.dmn_files, self.unassigned_role,
                               getattr(version, "form_files", None) or {})[version.key]
                self._by_version[version.id] = cached
        return cached

    def cached(self, version_id: int) -> ParsedProcess | None:
        """The parsed process of a version id, if this process parsed it already."""
        return self._by_version.get(version_id)

    def put(self, version_id: int, parsed: ParsedProcess) -> None:
        self._by_version[version_id] = parsed

    def __len__(self) -> int:
        return len(self._by_version)
