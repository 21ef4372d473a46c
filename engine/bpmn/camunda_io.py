"""Camunda 7's input/output mappings (camunda:inputOutput, "Inputs" and "Outputs" in the panel) run on task data.

As in Camunda: each input parameter is a local variable of the activity, computed from the variables around it
before the activity runs (a user task shows it, a script sees it, a timer or an embedded subprocess's steps use it);
each output parameter is computed after the activity completes, from everything it can see (its locals too), and
set for the steps after it. A value is text (a literal string, or `${…}` / `#{…}` JUEL), empty (null), a
camunda:list, a camunda:map (nested as deep as wanted) or an inline camunda:script in Python whose one expression
is the value. Everything else is refused at deploy by engine/bpmn/lint_unsupported.py with a sentence.

What differs, because SpiffWorkflow 3.2 keeps one data dictionary per task, passed along the path, not Camunda's
tree of variable scopes:
- A local variable is a key of the activity's own data from its start to its end; at the end it is taken out and a
  variable of the same name that it hid gets its value back. So locals do not leak out, whether or not outputs are
  declared. What else the activity sets (form fields, a script's variables, an external worker's variables) goes
  on to the steps after it, as Camunda's setVariable does; in Camunda a variable set inside that has the name of an
  input stays local, here too.
- Inputs are computed once, when the activity is reached (for a multi-instance activity: for each instance, as in
  Camunda); a waiting event keeps them while it waits.
- A call activity passes its locals to the called process with the rest of its data (Camunda passes only what
  camunda:in names).
- Values are kept as JSON data: a date (`${dateTime().plusDays(1).toDate()}`) becomes ISO 8601 text.
- An input or output that fails on the data stops the instance in the error state, with the parameter named;
  Camunda raises an incident or refuses the completion.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.util.task import TaskState

from . import juel
from .juel_dates import JodaDateTime

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
IO = f"{{{CAMUNDA_NS}}}inputOutput"
STATE = "camunda_io"  # internal data of a task while its locals live: {"locals": {...}, "hidden": {...}}


class MappingUnsupported(ValueError):
    """A mapping Batho cannot run; the message says which parameter and what to write instead."""


class MappingFailed(WorkflowTaskException):  # type: ignore[misc]
    """An input or output parameter could not be computed on the instance's data."""


@dataclass(frozen=True)
class Value:
    """One parameter's value: "null", "text" (literal or JUEL, `python` is its translation), "python" (an inline
    Python script's expression), "list" or "map"."""

    kind: str
    python: str = ""
    items: tuple[Value, ...] = ()
    keys: tuple[str, ...] = ()
    source: str = ""  # the text as written, for messages


@dataclass(frozen=True)
class Parameter:
    name: str
    value: Value


@dataclass(frozen=True)
class Mapping:
    inputs: tuple[Parameter, ...] = ()
    outputs: tuple[Parameter, ...] = ()
    element: str = ""  # the activity's id, for messages


@dataclass
class _Reader:
    where: str
    found: list[str] = field(default_factory=list)

    def value(self, element: Any) -> Value:
        """The value an inputParameter, outputParameter, list item or map entry holds."""
        children = [c for c in element if isinstance(c.tag, str)]
        if not children:
            text = (element.text or "").strip()
            if not text:
                return Value("null")
            try:
                python = juel.to_python(text) if juel.EL_PART.search(text) else repr(text)
            except juel.ExpressionUnsupported as exc:
                raise MappingUnsupported(f"{self.where}: the expression {text} cannot be translated: {exc}") from None
            return Value("text", python=python, source=text)
        if len(children) > 1:
            raise MappingUnsupported(f"{self.where} holds {len(children)} values; give it one text, list, map or "
                                     "script")
        return self.nested(children[0])

    def nested(self, child: Any) -> Value:
        kind = etree.QName(child).localname
        if kind == "list":
            return Value("list", items=tuple(self.item(c) for c in child if isinstance(c.tag, str)))
        if kind == "map":
            entries = [c for c in child if isinstance(c.tag, str)]
            if any(etree.QName(c).localname != "entry" or not (c.get("key") or "").strip() for c in entries):
                raise MappingUnsupported(f"{self.where} has a map entry without a key; give each entry a key")
            return Value("map", items=tuple(self.value(c) for c in entries),
                         keys=tuple((c.get("key") or "").strip() for c in entries))
        if kind == "script":
            return self.script(child)
        raise MappingUnsupported(f"{self.where} holds a camunda:{kind}, which Batho cannot read; give it a text, "
                                 "list, map or Python script")

    def item(self, child: Any) -> Value:
        return self.nested(child) if etree.QName(child).localname in ("list", "map", "script") else self.value(child)

    def script(self, child: Any) -> Value:
        language = (child.get("scriptFormat") or "").strip()
        if child.get("resource") or child.get(f"{{{CAMUNDA_NS}}}resource"):
            raise MappingUnsupported(f"{self.where} reads its script from a file (resource), which Batho cannot "
                                     "load; write the value as text, ${…} or an inline Python expression")
        if language.lower() != "python":
            raise MappingUnsupported(f"{self.where} is a script in {language or 'no language'}; Batho runs Python "
                                     "only. Write the value as ${…} (for example ${amount * 2}) or as one Python "
                                     "expression with the script format python")
        text = (child.text or "").strip()
        if not text:
            raise MappingUnsupported(f"{self.where} is an empty script; write the value's Python expression")
        return Value("python", python=text, source=text)


def read(io_element: Any, element_id: str = "") -> Mapping:
    """The mapping a camunda:inputOutput element declares; MappingUnsupported names the first part Batho cannot
    run (a ${…} it cannot translate, a script in another language...)."""
    inputs: list[Parameter] = []
    outputs: list[Parameter] = []
    for child in io_element:
        if not isinstance(child.tag, str):
            continue
        kind = etree.QName(child).localname
        name = (child.get("name") or "").strip()
        direction = {"inputParameter": "input", "outputParameter": "output"}.get(kind)
        if direction is None:
            raise MappingUnsupported(f"camunda:{kind} is not an input or output parameter")
        if not name:
            raise MappingUnsupported(f"an {direction} parameter has no name; give it the variable's name")
        parameter = Parameter(name, _Reader(f"the {direction} {name!r}").value(child))
        (inputs if direction == "input" else outputs).append(parameter)
    return Mapping(tuple(inputs), tuple(outputs), element_id)


def expressions(value: Value) -> Iterator[Value]:
    """Every text and script value inside `value` (for the lint to compile)."""
    if value.kind in ("text", "python"):
        yield value
    for item in value.items:
        yield from expressions(item)


def of_node(node: Any) -> Any:
    """The camunda:inputOutput of a BPMN element (not one inside a connector), or None."""
    return next((io for ext in node.findall(f"{{{BPMN_NS}}}extensionElements") for io in ext.findall(IO)), None)


# Run time: the two moments of a task's life where the mapping acts.

def _storable(value: Any) -> Any:
    """JSON-friendly data: dates as ISO 8601 text, tuples as lists, map keys as text."""
    if isinstance(value, JodaDateTime):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _storable(v) for k, v in value.items()}
    return value


def _compute(task: Any, value: Value) -> Any:
    if value.kind == "null":
        return None
    if value.kind == "list":
        return [_compute(task, v) for v in value.items]
    if value.kind == "map":
        return {k: _compute(task, v) for k, v in zip(value.keys, value.items, strict=True)}
    return task.workflow.script_engine.evaluate(task, value.python)


def _values(task: Any, mapping: Mapping, parameters: tuple[Parameter, ...], direction: str) -> dict[str, Any]:
    computed = {}
    for parameter in parameters:
        try:
            computed[parameter.name] = _storable(_compute(task, parameter.value))
        except Exception as exc:
            task._set_state(TaskState.ERROR)
            # the engine wraps what the expression raised (and names its translation): say the original
            inner = (exc.__cause__ or exc.__context__ or exc) if isinstance(exc, WorkflowTaskException) else exc
            shown = getattr(task.task_spec, "bpmn_name", None) or mapping.element
            written = f" ({parameter.value.source})" if parameter.value.source else ""
            raise MappingFailed(f"The {direction} {parameter.name!r}{written} of {shown!r} ({mapping.element}) could "
                                f"not be computed: {type(inner).__name__}: {inner}", task=task) from exc
    return computed


def enter(workflow: Any, task: Any, mapping: Mapping) -> None:
    """update_event: the first time, compute the inputs from the data around the task and make them its locals;
    afterwards (a waiting event updated again, its data inherited anew) put them back."""
    state = task.internal_data.get(STATE)
    if state is None:
        values = _values(task, mapping, mapping.inputs, "input")
        hidden = {name: task.data[name] for name in values if name in task.data}
        state = {"locals": values, "hidden": hidden}
        task.internal_data[STATE] = state
    task.data.update(state["locals"])


def leave(workflow: Any, task: Any, mapping: Mapping) -> None:
    """completed_event: compute the outputs inside, drop the locals (what they hid comes back), set the outputs."""
    values = _values(task, mapping, mapping.outputs, "output")
    state = task.internal_data.pop(STATE, None) or {"locals": {}, "hidden": {}}
    for name in state["locals"]:
        task.data.pop(name, None)
    task.data.update(state["hidden"])
    task.data.update(values)


def attach(parser: Any, specs: list[Any]) -> None:
    """Give every task spec whose element declares a mapping the two hooks (the inner task of a multi-instance
    activity, so each instance has its own inputs). Parsed specs are never stored, so this runs at every parse."""
    mappings: dict[str, Mapping] = {}
    for process_parser in parser.process_parsers.values():
        for io in process_parser.node.iter(IO):
            holder = io.getparent().getparent() if io.getparent() is not None else None
            if holder is None or io.getparent().tag != f"{{{BPMN_NS}}}extensionElements":
                continue  # a connector's mapping: the lint refuses the connector
            mappings.setdefault(holder.get("id") or "", read(io, holder.get("id") or ""))
    for spec in specs:
        for task_spec in spec.task_specs.values():
            mapping = mappings.get(str(getattr(task_spec, "bpmn_id", "") or ""))
            if mapping is None or isinstance(task_spec, LoopTask) or hasattr(task_spec, "camunda_io"):
                continue
            task_spec.camunda_io = mapping
            if mapping.inputs:
                task_spec.update_event.connect(enter, mapping)
            _connect_first(task_spec.completed_event, leave, mapping)


def _connect_first(event: Any, callback: Any, *args: Any) -> None:
    """Connect `callback` ahead of what is connected already: a multi-instance loop merges each instance's data
    into its own when the instance completes, and the locals must be gone by then."""
    earlier = list(event.hard_subscribers or [])
    for connected, _, _ in earlier:
        event.disconnect(connected)
    event.connect(callback, *args)
    for connected, connected_args, connected_kwargs in earlier:
        event.connect(connected, *connected_args, **connected_kwargs)
