"""The lint's path rule: every step can be reached, leads somewhere, and some path from it reaches an end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from .lint_text import Found, label

FLOW_NODES = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "businessRuleTask",
    "callActivity", "subProcess", "transaction", "exclusiveGateway", "inclusiveGateway", "parallelGateway",
    "eventBasedGateway", "complexGateway", "startEvent", "endEvent", "intermediateCatchEvent",
    "intermediateThrowEvent", "boundaryEvent",
}
NEEDS_NO_INCOMING = {"startEvent", "boundaryEvent"}


def _local(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


def _scopes(root: Any) -> Iterator[Any]:
    """Each process and each subprocess: sequence flows connect nodes of one scope only."""
    for el in root.iter():
        if _local(el) in ("process", "subProcess", "transaction"):
            yield el


def _ends_reachable(nodes: dict[str, Any], successors: dict[str, list[str]]) -> set[str]:
    """The ids of nodes from which some path reaches an end (an end event, or a node the engine finishes at)."""
    predecessors: dict[str, list[str]] = {}
    for source, targets in successors.items():
        for target in targets:
            predecessors.setdefault(target, []).append(source)
    # A step with no way on is reported as such; counting it as an end keeps loops the only "never ends".
    todo = [node_id for node_id, node in nodes.items() if _local(node) == "endEvent" or not successors[node_id]]
    seen = set(todo)
    while todo:
        for before in predecessors.get(todo.pop(), []):
            if before not in seen:
                seen.add(before)
                todo.append(before)
    return seen


def _definition(node: Any, kind: str) -> Any:
    return next((child for child in node if _local(child) == kind), None)


def _links(nodes: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(throwing, catching) link events of one scope: a link throw event continues at the catch event of its name
    (SpiffWorkflow 3.2 runs them)."""
    catching = {}
    for node_id, node in nodes.items():
        link = _definition(node, "linkEventDefinition")
        if link is not None and _local(node) == "intermediateCatchEvent":
            catching[link.get("name") or node.get("name")] = node_id
    for node_id, node in nodes.items():
        link = _definition(node, "linkEventDefinition")
        if link is not None and _local(node) == "intermediateThrowEvent":
            target = catching.get(link.get("name") or node.get("name"))
            if target:
                yield node_id, target


def _no_flow_needed(node: Any) -> bool:
    """Compensation: the handler is joined to its boundary event by an association, not a sequence flow."""
    return node.get("isForCompensation") == "true" or (
        _local(node) == "boundaryEvent" and _definition(node, "compensateEventDefinition") is not None)


def _scope_problems(scope: Any) -> Iterator[Found]:
    nodes = {el.get("id"): el for el in scope if _local(el) in FLOW_NODES and el.get("id")}
    successors: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    incoming: set[str] = set()
    edges = [(flow.get("sourceRef"), flow.get("targetRef")) for flow in scope if _local(flow) == "sequenceFlow"]
    for source, target in [*edges, *_links(nodes)]:
        if source in successors and target in nodes:
            successors[source].append(target)
            incoming.add(target)
    finishing = _ends_reachable(nodes, successors)
    for node_id, node in nodes.items():
        kind = _local(node)
        event_subprocess = kind == "subProcess" and node.get("triggeredByEvent") == "true"
        if kind not in NEEDS_NO_INCOMING and not event_subprocess and node_id not in incoming \
                and node.get("isForCompensation") != "true":
            yield Found(node, "path", f"{label(node)} cannot be reached: no path leads to it. Connect it, or "
                                      "delete it.")
        if event_subprocess or _no_flow_needed(node):
            continue
        if kind == "eventBasedGateway" and not successors[node_id]:
            yield Found(node, "path", f"{label(node)} leads nowhere: an event gateway waits for the first of the "
                                      "events drawn after it, and it has none (BPMN asks for two or more). Connect "
                                      "it to the events it waits for, or delete it.")
        elif kind != "endEvent" and not successors[node_id]:
            yield Found(node, "path", f"{label(node)} leads nowhere: it has no outgoing path. Connect it to the "
                                      "next step or to an end event.")
        elif kind != "endEvent" and node_id not in finishing:
            yield Found(node, "path", f"{label(node)} never reaches an end: every path from it goes round in a "
                                      "circle. Add a way out to an end event.")


def dead_ends(root: Any) -> Iterator[Found]:
    """Steps that cannot be reached, steps with no way on, and loops with no way out."""
    for scope in _scopes(root):
        yield from _scope_problems(scope)
