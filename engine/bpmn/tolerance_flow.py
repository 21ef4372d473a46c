"""Where a diagram starts and which path a gateway takes, as Camunda 7 and BPMN assume it, made explicit.

Part of engine/bpmn/tolerance.py's rewrite (the stored file stays as uploaded); each assumption is said as a lint
warning (a `Found` with severity "warning"), so the owner reads what Batho took the diagram to mean:
- a file in which no process is ticked "Executable" runs its processes (bpmn.io's default diagram is unticked);
- a process or subprocess without a start event starts at every step no path leads to (BPMN 2.0, 10.5.2);
- a gateway's path without a condition that is not the default counts as true, as Camunda 7's
  ExclusiveGatewayActivityBehavior and InclusiveGatewayActivityBehavior read it: an exclusive gateway takes the
  first path in the file's order whose condition holds, an inclusive gateway every such path. An exclusive gateway
  with two such paths, or one and a default path, is refused (by the lint), as Camunda 7 refuses it.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from .lint_text import Found, label

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
IMPLICIT_START = "_implicit_start"
SCOPES = ("process", "subProcess", "transaction")
# Steps a token can start at; a start event, a boundary event and a compensation handler never start that way.
STARTABLE = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "businessRuleTask",
    "callActivity", "subProcess", "transaction", "exclusiveGateway", "inclusiveGateway", "parallelGateway",
    "eventBasedGateway", "complexGateway", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
}


def local(el: Any) -> str:
    """The element's tag without its namespace ("" for comments)."""
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


def unique(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted_2`, `wanted_3`... whichever id is not yet taken (then taken)."""
    found, n = wanted, 1
    while found in taken:
        n += 1
        found = f"{wanted}_{n}"
    taken.add(found)
    return found


def _warn(said: list[Found], element: Any, rule: str, message: str) -> None:
    said.append(Found(element, rule, message, severity="warning"))


def run_unticked(root: Any, said: list[Found]) -> None:
    """No process of the file is ticked "Executable": run them all, as SpiffWorkflow's examples do. When one is
    ticked, the others stay documentation (Camunda 7 deploys only the ticked ones)."""
    processes = [p for p in root if local(p) == "process"]
    if not processes or any(p.get("isExecutable") == "true" for p in processes):
        return
    for process in processes:
        process.set("isExecutable", "true")
        _warn(said, process, "executable", f'{label(process)} is not ticked "Executable" (isExecutable), and no '
                                           "process of this file is; Batho runs it as if it were. Tick it in the "
                                           "modeler (Camunda 7 would deploy nothing from this file).")


def processes_run(root: Any) -> list[Any]:
    """The bpmn:process elements of a file that Batho deploys and runs: those not unticked (the parser runs a
    process without isExecutable), or every process when none is ticked (`run_unticked`)."""
    processes = [p for p in root if local(p) == "process" and p.get("id")]
    if not any(p.get("isExecutable") == "true" for p in processes):
        return processes
    return [p for p in processes if p.get("isExecutable", "true") != "false"]


def _starts_here(node: Any, targets: set[str]) -> bool:
    return (local(node) in STARTABLE and bool(node.get("id")) and node.get("id") not in targets
            and node.get("isForCompensation") != "true" and node.get("triggeredByEvent") != "true")


def add_implicit_starts(root: Any, taken: set[str], said: list[Found]) -> None:
    """A process or subprocess with no start event gets one, leading to every step no path leads to."""
    for scope in [el for el in root.iter() if local(el) in SCOPES and el.get("triggeredByEvent") != "true"]:
        if any(local(child) == "startEvent" for child in scope):
            continue
        targets = {flow.get("targetRef") for flow in scope if local(flow) == "sequenceFlow"}
        first = [node for node in scope if _starts_here(node, targets)]
        if not first:
            continue
        start = etree.Element(f"{{{BPMN_NS}}}startEvent", id=unique((scope.get("id") or "") + IMPLICIT_START, taken))
        first[0].addprevious(start)  # among the flow elements: the schema wants them before artifacts
        for node in first:
            start.addnext(etree.Element(f"{{{BPMN_NS}}}sequenceFlow", sourceRef=start.get("id"),
                                        targetRef=node.get("id"),
                                        id=unique(f"Flow_{node.get('id')}{IMPLICIT_START}", taken)))
        steps = ", ".join(label(node) for node in first)
        _warn(said, scope, "start", f"{label(scope)} has no start event; Batho starts it at {steps}, the "
                                    f"step{'s' if len(first) > 1 else ''} no path leads to (BPMN 2.0, 10.5.2: "
                                    "they start when the process starts). Camunda 7 refuses a process without a "
                                    "start event: add one in the modeler.")


def _condition(flow: Any) -> Any:
    return next((child for child in flow if local(child) == "conditionExpression"), None)


def _set_condition(flow: Any, text: str) -> None:
    expression = _condition(flow)
    if expression is None:
        expression = etree.SubElement(flow, f"{{{BPMN_NS}}}conditionExpression")
    expression.attrib.pop("language", None)  # a plain expression now, whatever language it was written in
    expression.text = text


def _exclusive(gateway: Any, outgoing: list[Any], said: list[Found]) -> None:
    """Camunda 7 deploys an exclusive gateway with one path without a condition only when it has no default path
    (BpmnParse.validateExclusiveGateway; with two such paths, or one and a default, it refuses the diagram, and so
    does the lint). At run time it takes the first path, in the file's order, whose condition holds or that has
    none: that path acts as the default, and the paths after it are never taken."""
    bare = [f for f in outgoing if f.get("id") != gateway.get("default") and _condition(f) is None]
    if len(bare) != 1 or gateway.get("default"):
        return
    first = bare[0]
    gateway.set("default", first.get("id"))
    _warn(said, first, "condition", f"{label(first)} leaves {label(gateway)} without a condition; as Camunda 7 "
                                    "does, Batho takes it when no path before it in the file has a condition that "
                                    "holds (it counts as true). Give it a condition, or make it the gateway's "
                                    "default path.")
    for flow in outgoing[outgoing.index(first) + 1:]:
        _set_condition(flow, "False")
        _warn(said, flow, "condition", f"{label(flow)} is never taken: Camunda 7 takes the first path that holds, "
                                       f"in the file's order, and {label(first)} before it has no condition. Batho "
                                       f"does the same. Give {label(first)} a condition, or make it the default "
                                       "path.")


def _inclusive(gateway: Any, outgoing: list[Any], said: list[Found]) -> None:
    """Camunda 7 takes every path that is not the default and has no condition or one that holds."""
    for flow in outgoing:
        if flow.get("id") != gateway.get("default") and _condition(flow) is None:
            _set_condition(flow, "True")
            _warn(said, flow, "condition", f"{label(flow)} leaves {label(gateway)} without a condition; as in "
                                           "Camunda 7, Batho always takes it (it counts as true). Give it a "
                                           "condition if it is not always wanted.")


def guard_gateway_paths(root: Any, said: list[Found]) -> None:
    """Paths without a condition out of exclusive and inclusive gateways, read as Camunda 7 reads them."""
    flows: dict[str, list[Any]] = {}
    for flow in root.iter(f"{{{BPMN_NS}}}sequenceFlow"):  # in the file's order: Camunda's order of evaluation
        flows.setdefault(flow.get("sourceRef") or "", []).append(flow)
    for gateway in root.iter(f"{{{BPMN_NS}}}exclusiveGateway", f"{{{BPMN_NS}}}inclusiveGateway"):
        outgoing = flows.get(gateway.get("id") or "", [])
        if len(outgoing) < 2:  # a single path is simply taken (SpiffWorkflow reads it as the default)
            continue
        (_exclusive if local(gateway) == "exclusiveGateway" else _inclusive)(gateway, outgoing, said)
