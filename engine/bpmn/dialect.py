"""The Camunda 7 dialect as Batho reads it: forms on user tasks and start events, properties on every node."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.specs.defaults import (
    BoundaryEvent,
    CallActivity,
    EndEvent,
    ExclusiveGateway,
    IntermediateCatchEvent,
    IntermediateThrowEvent,
    ManualTask,
    NoneTask,
    ScriptTask,
    SendTask,
    ServiceTask,
    StartEvent,
)
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.event_parsers import (
    CamundaBoundaryEventParser,
    CamundaEndEventParser,
    CamundaIntermediateCatchEventParser,
    CamundaIntermediateThrowEventParser,
    CamundaStartEventParser,
)
from SpiffWorkflow.camunda.parser.task_spec import (
    CallActivityParser,
    ScriptTaskParser,
    SubWorkflowParser,
    UserTaskParser,
)
from SpiffWorkflow.camunda.specs.user_task import EnumFormField, Form, FormField, UserTask
from SpiffWorkflow.spiff.parser import VALIDATOR

from . import call_binding
from .camunda_loops import adopt_loop_inputs
from .dmn_parsing import DecisionParsing
from .external import ExternalSendTaskParser, ServiceTaskParser
from .tolerance import (
    DEFAULT_UNASSIGNED_ROLE,
    ExclusiveGatewayParser,
    TaskParser,
    repeated_tool_attributes,
    tolerate_bpmn,
)

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
MAX_XML_BYTES = 2_000_000
STARTER_GROUPS = f"{{{CAMUNDA_NS}}}candidateStarterGroups"
STARTER_USERS = f"{{{CAMUNDA_NS}}}candidateStarterUsers"


class UnsafeXml(ValueError):
    """The XML was refused before or instead of being read; `reason` says which check refused it."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


ENTITIES_REFUSED = ("The file declares XML entities, which are not allowed (they are how external-entity "
                    "attacks and entity-expansion bombs work). Save it again from the modeler without a DOCTYPE.")


def safe_xml(source: str | bytes) -> Any:
    """Parse XML without external entities, network access or entity expansion; UnsafeXml says why not."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXml("size", f"The file is {len(data) / 1_000_000:.1f} MB; files larger than "
                                f"{MAX_XML_BYTES // 1_000_000} MB are refused.")
    if b"<!ENTITY" in data:
        raise UnsafeXml("entities", ENTITIES_REFUSED)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "entity" in str(exc).lower():  # libxml2's own bomb guard fired (a declaration the byte check missed)
            raise UnsafeXml("entities", ENTITIES_REFUSED) from exc
        repaired, dropped = repeated_tool_attributes(data)  # Camunda Modeler's metadata written twice (the lint warns)
        if not dropped:
            raise
        root = etree.fromstring(repaired, parser)
    # Other encodings (UTF-16...) hide a declaration from the byte check above: ask the parsed document.
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None and any(True for _ in docinfo.internalDTD.iterentities()):
        raise UnsafeXml("entities", ENTITIES_REFUSED)
    if docinfo.system_url or docinfo.public_id:
        raise UnsafeXml("doctype", "The file refers to an external document type (DOCTYPE ... SYSTEM), which is "
                                   "not allowed: a diagram must not make the server fetch other files.")
    return root


@dataclass(frozen=True)
class Starters:
    """Who may start a process by hand: camunda:candidateStarterGroups (roles) and candidateStarterUsers on
    bpmn:process; `declared` is False when the process names neither (Batho's default then applies)."""

    groups: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    declared: bool = False


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in (value or "").split(",") if name.strip())


def starters_of(process_node: Any) -> Starters:
    """The starter attributes of a bpmn:process element (present but empty names no one)."""
    groups, users = process_node.get(STARTER_GROUPS), process_node.get(STARTER_USERS)
    return Starters(_names(groups), _names(users), groups is not None or users is not None)


class _CamundaProperties:
    """camunda:properties on any node, not only on tasks."""

    def parse_extensions(self, node: Any = None) -> dict[str, str]:
        nodes = self.xpath(  # type: ignore[attr-defined]
            "./bpmn:extensionElements/camunda:properties/camunda:property"
        )
        return {n.get("name"): n.get("value") for n in nodes}


class _OwnLane:
    """A node inside an expanded subprocess keeps its own lane (Spiff gives it the subprocess's lane)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        own = self.process_parser.get_lane_name(self.bpmn_id)  # type: ignore[attr-defined]
        if own:
            self.lane = own


def _field_from_xml(xml_field: Any) -> FormField:
    field: FormField
    if xml_field.get("type") == "enum":
        field = EnumFormField()
        for child in xml_field:
            if child.tag == f"{{{CAMUNDA_NS}}}value":
                field.add_option(child.get("id"), child.get("name"))
    else:
        field = FormField()
    field.id = xml_field.get("id")
    field.type = xml_field.get("type")
    field.label = xml_field.get("label") or field.id
    field.default_value = xml_field.get("defaultValue")
    for child in xml_field:
        if child.tag == f"{{{CAMUNDA_NS}}}properties":
            for prop in child:
                field.add_property(prop.get("id"), prop.get("value"))
        if child.tag == f"{{{CAMUNDA_NS}}}validation":
            for constraint in child:
                field.add_validation(constraint.get("name"), constraint.get("config"))
    return field


def _form(parser: Any) -> Form:
    """camunda:formData fields; unlike Spiff's parser, no formKey is needed."""
    form = Form()
    form.key = parser.node.get(f"{{{CAMUNDA_NS}}}formKey") or ""
    form.ref = parser.node.get(f"{{{CAMUNDA_NS}}}formRef") or ""  # a Camunda Form's id (engine/bpmn/camunda_forms.py)
    for xml_field in parser.xpath("./bpmn:extensionElements/camunda:formData/camunda:formField"):
        form.add_field(_field_from_xml(xml_field))
    return form


class FormUserTaskParser(_OwnLane, UserTaskParser):
    def get_form(self) -> Form:
        return _form(self)


class FormStartEventParser(_CamundaProperties, CamundaStartEventParser):
    def create_task(self) -> Any:
        task = CamundaStartEventParser.create_task(self)
        task.form = _form(self)
        return task


class PropertiesEndEventParser(_CamundaProperties, CamundaEndEventParser):
    pass


class PropertiesCatchEventParser(_CamundaProperties, CamundaIntermediateCatchEventParser):
    pass


class PropertiesThrowEventParser(_CamundaProperties, CamundaIntermediateThrowEventParser):
    pass


class PropertiesBoundaryEventParser(_CamundaProperties, CamundaBoundaryEventParser):
    pass


class PropertiesScriptTaskParser(_CamundaProperties, ScriptTaskParser):
    pass


class PropertiesSubprocessParser(_CamundaProperties, SubWorkflowParser):
    """Only the subprocess's own properties, not those of the nodes inside it."""


class BathoParser(DecisionParsing, CamundaParser):
    """CamundaParser with XSD validation, forms without formKey, properties on every node, Camunda's decision
    tables (engine/bpmn/dmn.py) and diagrams read as found (engine/bpmn/tolerance.py)."""

    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("userTask"): (FormUserTaskParser, UserTask),
        full_tag("startEvent"): (FormStartEventParser, StartEvent),
        full_tag("endEvent"): (PropertiesEndEventParser, EndEvent),
        full_tag("intermediateCatchEvent"): (PropertiesCatchEventParser, IntermediateCatchEvent),
        full_tag("intermediateThrowEvent"): (PropertiesThrowEventParser, IntermediateThrowEvent),
        full_tag("boundaryEvent"): (PropertiesBoundaryEventParser, BoundaryEvent),
        full_tag("scriptTask"): (PropertiesScriptTaskParser, ScriptTask),
        full_tag("subProcess"): (PropertiesSubprocessParser, CallActivity),
        # a called process outside the files is bound when a case reaches it (engine/bpmn/call_binding.py)
        full_tag("callActivity"): (CallActivityParser, call_binding.CallActivity),
        full_tag("task"): (TaskParser, NoneTask),
        full_tag("exclusiveGateway"): (ExclusiveGatewayParser, ExclusiveGateway),  # paths in the file's order
        full_tag("manualTask"): (TaskParser, ManualTask),
        # camunda:type="external": a task a worker fetches through the API (engine/bpmn/external.py)
        full_tag("serviceTask"): (ServiceTaskParser, ServiceTask),
        full_tag("sendTask"): (ExternalSendTaskParser, SendTask),
    }

    def __init__(self, unassigned_role: str = DEFAULT_UNASSIGNED_ROLE) -> None:
        super().__init__(validator=VALIDATOR)
        self.unassigned_role = unassigned_role  # who works a manual task drawn outside any lane

    def add_bpmn_source(self, source: str, filename: str) -> None:
        self.add_bpmn_xml(etree.ElementTree(tolerate_bpmn(safe_xml(source))), filename)

    def add_bpmn_xml(self, bpmn: Any, filename: str | None = None) -> None:
        adopt_loop_inputs(bpmn.getroot())  # loopDataInputRef read as Camunda 7 reads it (engine/bpmn/camunda_loops.py)
        super().add_bpmn_xml(bpmn, filename)

    def add_dmn_source(self, source: str, filename: str) -> None:
        self.add_dmn_xml(safe_xml(source), filename)
