"""Diagrams deployed as found: what Camunda 7 accepts and BPMN allows, made explicit before Batho reads a file.

Applied to every BPMN and DMN document before the lint and the parser see it (the stored file stays as it was):
XML comments and data stores (drawing only, in Camunda 7) go, sequence flows without an id get one, a link throw
event is joined to its catch event by a sequence flow, and an activity or event with no outgoing sequence flow gets
an end event after it (BPMN's implicit end). Plain tasks outside any lane pass through; manual tasks outside any
lane go to the configured role (`BATHO_UNASSIGNED_TASK_ROLE`), never to no one. Unticked "Executable" processes,
missing start events and gateway paths without a condition: engine/bpmn/tolerance_flow.py. Camunda Modeler's
metadata attributes written twice on <definitions> (malformed XML) are read once (`repeated_tool_attributes`).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.task_parsers import ConditionalGatewayParser
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser

from .lint_text import Found
from .tolerance_flow import add_implicit_starts, guard_gateway_paths, local, run_unticked, unique

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
# Camunda Modeler's own metadata (which engine and version the file was drawn for): no engine reads it.
MODELER_NS = "http://camunda.org/schema/modeler/1.0"
_FIRST_TAG = re.compile(rb"<([A-Za-z_][^\s/>]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>")
_ATTRIBUTE = re.compile(rb"\s+([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
DEFAULT_UNASSIGNED_ROLE = "supervisor"
BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml", ".bpmn2", ".bpmn.xml")
DMN_SUFFIXES = (".dmn", ".dmn11.xml", ".dmn13.xml", ".dmn.xml")
IMPLICIT_END = "_implicit_end"
# Where a path may stop without an end event (BPMN 2.0, 10.5.1: the token is consumed).
MAY_END = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "businessRuleTask",
    "callActivity", "subProcess", "transaction", "intermediateCatchEvent", "intermediateThrowEvent",
    "boundaryEvent", "startEvent",
}
# These have no outgoing flow by design: a link jumps to its catching event, a compensation boundary event is
# joined to its handler by an association.
NO_FLOW_BY_DESIGN = {"intermediateThrowEvent": "linkEventDefinition", "boundaryEvent": "compensateEventDefinition"}


def file_kind(name: str) -> str | None:
    """"bpmn", "dmn", "form" (a Camunda Form) or None, from a file name as Camunda tools write them (x.bpmn,
    x.bpmn20.xml, x.dmn11.xml, x.form)."""
    lower = name.lower()
    if lower.endswith(BPMN_SUFFIXES):
        return "bpmn"
    if lower.endswith(DMN_SUFFIXES):
        return "dmn"
    if lower.endswith(".form"):  # a Camunda Form, JSON (engine/bpmn/camunda_forms.py)
        return "form"
    return None


def _root_tag(data: bytes) -> re.Match[bytes] | None:
    """The root element's start tag: the first tag after the XML declaration, comments and processing
    instructions (a DOCTYPE is not looked past; safe_xml refuses those anyway)."""
    at = 0
    while True:
        at = data.find(b"<", at)
        if at < 0 or data[at + 1:at + 2] not in (b"?", b"!"):
            break
        at = data.find(b"-->" if data[at:at + 4] == b"<!--" else b">", at + 1)
        if at < 0:
            return None
    return _FIRST_TAG.match(data, at) if at >= 0 else None


def repeated_tool_attributes(data: bytes) -> tuple[bytes, list[str]]:
    """`data` with the second and later copies of a root attribute of Camunda Modeler's metadata namespace
    (`modeler:executionPlatform`...) removed, and the names removed. Camunda Modeler 5 can write them twice on
    <definitions>, which makes the file malformed XML; any other repeated attribute leaves `data` as it is (the
    file stays refused)."""
    tag = _root_tag(data)
    if tag is None:
        return data, []
    attributes = list(_ATTRIBUTE.finditer(data, tag.start(2), tag.end(2)))
    tool = {a.group(1)[len(b"xmlns:"):] for a in attributes
            if a.group(1).startswith(b"xmlns:") and a.group(2)[1:-1] == MODELER_NS.encode()}
    seen: set[bytes] = set()
    again = []
    for attribute in attributes:
        name = attribute.group(1)
        if name in seen:
            again.append(attribute)
        seen.add(name)
    if not again or any(a.group(1).partition(b":")[0] not in tool or b":" not in a.group(1) for a in again):
        return data, []
    kept, at = [], 0
    for attribute in again:
        kept.append(data[at:attribute.start()])
        at = attribute.end()
    kept.append(data[at:])
    return b"".join(kept), sorted({a.group(1).decode() for a in again})


def _strip_comments(root: Any) -> None:
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        parent = node.getparent()
        if parent is None:
            continue
        if node.tail:  # keep text that followed the comment
            previous = node.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + node.tail
            else:
                parent.text = (parent.text or "") + node.tail
        parent.remove(node)


def _name_flows(root: Any, taken: set[str]) -> None:
    for flow in root.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        if not (flow.get("id") or "").strip():
            flow.set("id", unique(f"Flow_{flow.get('sourceRef')}_{flow.get('targetRef')}", taken))


def _ends_by_itself(node: Any) -> bool:
    kind = local(node)
    if kind not in MAY_END or node.get("isForCompensation") == "true" or node.get("triggeredByEvent") == "true":
        return False
    return not any(local(child) == NO_FLOW_BY_DESIGN.get(kind) for child in node)


def _add_implicit_ends(root: Any, taken: set[str]) -> None:
    for scope in [el for el in root.iter() if local(el) in ("process", "subProcess", "transaction")]:
        sources = {flow.get("sourceRef") for flow in scope if local(flow) == "sequenceFlow"}
        for node in list(scope):
            node_id = node.get("id")
            if not node_id or node_id in sources or not _ends_by_itself(node):
                continue
            end = etree.Element(f"{{{BPMN_NS}}}endEvent", id=unique(node_id + IMPLICIT_END, taken))
            flow = etree.Element(f"{{{BPMN_NS}}}sequenceFlow", id=unique(f"Flow_{node_id}{IMPLICIT_END}", taken),
                                 sourceRef=node_id, targetRef=end.get("id"))
            # Right after the node: flow elements must come before artifacts (the schema's order).
            node.addnext(flow)
            node.addnext(end)


def _link(node: Any) -> Any:
    return next((child for child in node if local(child) == "linkEventDefinition"), None)


def _join_links(root: Any, taken: set[str]) -> None:
    """A link throw event goes on at the catch event of the same name in its scope: SpiffWorkflow 3.2 has no link
    events, so the pair becomes a sequence flow between two plain events."""
    for scope in [el for el in root.iter() if local(el) in ("process", "subProcess", "transaction")]:
        catching = {}
        for node in scope:
            link = _link(node) if local(node) == "intermediateCatchEvent" else None
            if link is not None:
                catching[link.get("name") or node.get("name") or ""] = node
        joined = []
        for node in list(scope):
            link = _link(node) if local(node) == "intermediateThrowEvent" else None
            target = catching.get(link.get("name") or node.get("name") or "") if link is not None else None
            if target is None or not node.get("id") or not target.get("id"):
                continue
            node.addnext(etree.Element(f"{{{BPMN_NS}}}sequenceFlow", id=unique(f"Flow_link_{node.get('id')}", taken),
                                       sourceRef=node.get("id"), targetRef=target.get("id")))
            joined += [(node, link), (target, _link(target))]
        for node, link in joined:
            if link is not None and link.getparent() is node:
                node.remove(link)


def _drop_data_stores(root: Any) -> None:
    """Data stores are drawing in Camunda 7 (it reads and writes nothing through them); SpiffWorkflow would refuse
    one it has no implementation for, so they go, with the associations that point at them."""
    gone = set()
    for el in list(root.iter(f"{{{BPMN_NS}}}dataStore", f"{{{BPMN_NS}}}dataStoreReference")):
        gone.add(el.get("id"))
        el.getparent().remove(el)
    for association in list(root.iter(f"{{{BPMN_NS}}}dataInputAssociation", f"{{{BPMN_NS}}}dataOutputAssociation")):
        refs = {(ref.text or "").strip() for ref in association if local(ref) in ("sourceRef", "targetRef")}
        if refs & gone:
            association.getparent().remove(association)


def tolerate_bpmn(root: Any, said: list[Found] | None = None) -> Any:
    """The BPMN document `root`, changed in place as described in the module docstring and in
    engine/bpmn/tolerance_flow.py; returns it. What Batho assumed is added to `said` as warnings."""
    said = [] if said is None else said
    _strip_comments(root)
    _drop_data_stores(root)
    taken = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    _name_flows(root, taken)
    run_unticked(root, said)
    _join_links(root, taken)
    add_implicit_starts(root, taken, said)
    guard_gateway_paths(root, said)
    _add_implicit_ends(root, taken)
    return root


def tolerate_dmn(root: Any) -> Any:
    """The DMN document `root` without XML comments (SpiffWorkflow's DMN parser cannot skip them)."""
    _strip_comments(root)
    return root


class TaskParser(CamundaTaskParser):
    """bpmn:task and bpmn:manualTask: outside any lane, a plain task passes through and a manual task goes to the
    parser's `unassigned_role`; in a lane, both are work for that lane's role as before."""

    def create_task(self) -> Any:
        task = super().create_task()
        if task.lane:
            return task
        if self.node.tag == f"{{{BPMN_NS}}}task":
            task.manual = False  # Camunda runs a plain task as a no-op
        else:
            task.lane = getattr(self.process_parser.parser, "unassigned_role", None) or DEFAULT_UNASSIGNED_ROLE
        return task


class ExclusiveGatewayParser(ConditionalGatewayParser):
    """An exclusive gateway tries its paths in the file's order, as Camunda 7 does (SpiffWorkflow sorts them by
    where their targets are drawn, top first): with two conditions that hold, the first in the file wins."""

    def parse_node(self) -> Any:
        spec = super().parse_node()
        rank: dict[str, int] = {}
        for n, flow in enumerate(self.process_parser.get_outgoing_sequence_flows(self.bpmn_id)):
            target = flow.get("targetRef") or ""
            for name in (target, f"{target}.BoundaryEventSplit"):  # a target with boundary events is its split
                rank.setdefault(name, n)
        self.task.cond_task_specs.sort(key=lambda pair: rank.get(pair[1], len(rank)))
        return spec
