"""The lint's rules for what Batho cannot run, said plainly instead of as a parser crash or a silent no-op:
compensation, and input/output mappings where Camunda 7 does not run them or with values Batho cannot compute."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from . import camunda_io
from .lint_text import Found, compile_problem, label

COMPENSATION = ("SpiffWorkflow 3.2, which runs Batho's processes, has no compensation: an undo step would never "
                "run. Draw the undo as an ordinary path (a gateway after the step that fails, then the undo task), "
                "or use a transaction with a cancel end event and a cancel boundary event, which Batho runs.")
MAPPING = "input/output mapping (Inputs/Outputs in the panel)"
BPMN_NS = camunda_io.BPMN_NS


def _local(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


def unsupported(root: Any) -> Iterator[Found]:
    """Compensation events and handlers (Batho runs link, cancel and transaction events; these it cannot)."""
    for definition in root.iter("{*}compensateEventDefinition"):
        event = definition.getparent()
        yield Found(event, "unsupported", f"{label(event)} is a compensation event. {COMPENSATION}")
    for handler in root.iter():
        if isinstance(handler.tag, str) and handler.get("isForCompensation") == "true":
            yield Found(handler, "unsupported", f"{label(handler)} is a compensation handler. {COMPENSATION}")


def _holder_problem(holder: Any) -> str | None:
    """Where Camunda 7 itself runs no mapping (as its modeler shows no Inputs/Outputs there)."""
    kind = _local(holder)
    if kind in ("startEvent", "boundaryEvent") or kind.endswith("Gateway"):
        what = {"startEvent": "a start event", "boundaryEvent": "a boundary event"}.get(kind, "a gateway")
        return (f"{label(holder)} has an {MAPPING}, which Camunda 7 does not run on {what} either. Set the "
                "variables in a script task after it, and remove the mapping.")
    if kind == "subProcess" and holder.get("triggeredByEvent") == "true":
        return (f"{label(holder)} is an event subprocess with an {MAPPING}, which Camunda 7 does not run either. "
                "Put the mapping on a task inside it.")
    if not (kind.endswith(("Task", "Event")) or kind in ("task", "subProcess", "transaction", "callActivity")):
        return f"{label(holder)} has an {MAPPING}, which Batho runs on tasks, events and subprocesses only."
    return None


def _output_problem(holder: Any) -> str | None:
    if _local(holder) == "endEvent":
        return (f"{label(holder)} has output parameters, but nothing follows an end event to use them (Camunda 7 "
                "refuses them too). Move them to the step before it.")
    if holder.find(f"{{{BPMN_NS}}}multiInstanceLoopCharacteristics") is not None:
        return (f"{label(holder)} is a multi-instance activity with output parameters, which Camunda 7 refuses too "
                "(the instances would overwrite each other). Keep the inputs; let each instance's form or script "
                "set what it finds.")
    return None


def _value_problems(holder: Any, mapping: camunda_io.Mapping) -> Iterator[Found]:
    for direction, parameters in (("input", mapping.inputs), ("output", mapping.outputs)):
        for parameter in parameters:
            for value in camunda_io.expressions(parameter.value):
                problem = compile_problem(value.python, "expression")
                if problem is None:
                    continue
                hint = (" A Python script here must be one expression, whose value the variable takes; compute "
                        "more in a script task." if value.kind == "python" else "")
                yield Found(holder, "mapping", f"{label(holder)}: the {direction} {parameter.name!r} "
                                               f"({value.source}) cannot be used: {problem}{hint}")


def mapping_problems(root: Any) -> Iterator[Found]:
    """camunda:inputOutput where Camunda 7 does not run it, or with a value Batho cannot compute safely (a script in
    another language, a script file, a ${…} it cannot translate); a connector's mapping goes with the connector."""
    for io in root.iter(camunda_io.IO):
        parent = io.getparent()
        holder = parent.getparent() if parent is not None else None
        if holder is None or parent.tag != f"{{{BPMN_NS}}}extensionElements":
            continue  # inside a camunda:connector: the connector's refusal covers it
        problem = _holder_problem(holder)
        if problem is not None:
            yield Found(holder, "mapping", problem)
            continue
        try:
            mapping = camunda_io.read(io, holder.get("id") or "")
        except camunda_io.MappingUnsupported as exc:
            yield Found(holder, "mapping", f"{label(holder)}: its {MAPPING} cannot be used: {exc}.")
            continue
        if mapping.outputs and (problem := _output_problem(holder)) is not None:
            yield Found(holder, "mapping", problem)
        yield from _value_problems(holder, mapping)


def unsupported_problems(root: Any) -> list[Found]:
    return [*unsupported(root), *mapping_problems(root)]
