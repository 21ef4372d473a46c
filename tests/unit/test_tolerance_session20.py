"""Diagrams made for Camunda 7 as found: what the lint and the parser assume (said as warnings), and what stays
refused with a sentence saying why (Camunda 7 refuses it too)."""

from __future__ import annotations

import pytest
from lxml import etree

from engine.bpmn.dialect import safe_xml
from engine.bpmn.lint import lint
from engine.bpmn.specs import parse
from engine.bpmn.tolerance import repeated_tool_attributes

ROLES = [("supervisor", "Supervisor")]
MODELER = 'xmlns:modeler="http://camunda.org/schema/modeler/1.0"'
TWICE = ('modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.21" '
         'modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.20.0"')
FLOW = """<bpmn:startEvent id="start" /><bpmn:userTask id="ask" name="Ask" /><bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="end" />"""


def diagram(body: str = FLOW, executable: str = 'isExecutable="true"', root_attributes: str = "",
            more: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- saved by Camunda Modeler -->
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" {MODELER}
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="http://bpmn.io/schema/bpmn"
  {root_attributes}>
  <bpmn:process id="p" name="Found" {executable}>
    {body}
  </bpmn:process>{more}
</bpmn:definitions>"""


def found(source: str, name: str = "found.bpmn") -> list:
    return lint({name: source}, ROLES)


def errors(problems: list) -> list[str]:
    return [p.message for p in problems if p.severity != "warning"]


def warned(problems: list, rule: str) -> list[str]:
    return [p.message for p in problems if p.severity == "warning" and p.rule == rule]


# Camunda Modeler's metadata written twice on <definitions>

def test_modeler_metadata_written_twice_is_read_once_with_a_warning():
    problems = found(diagram(root_attributes=TWICE))
    assert errors(problems) == []
    said = warned(problems, "xml-repeated-attribute")
    assert len(said) == 1 and "modeler:executionPlatform and modeler:executionPlatformVersion twice" in said[0]


def test_the_first_value_is_kept_by_every_reader():
    root = safe_xml(diagram(root_attributes=TWICE))
    assert root.get("{http://camunda.org/schema/modeler/1.0}executionPlatformVersion") == "7.21"
    assert "p" in parse({"found.bpmn": diagram(root_attributes=TWICE)}, {})  # the parse that runs cases


def test_the_repair_removes_only_the_copies():
    source = diagram(root_attributes=TWICE).encode()
    repaired, names = repeated_tool_attributes(source)
    assert names == ["modeler:executionPlatform", "modeler:executionPlatformVersion"]
    assert len(source) - len(repaired) == len(' modeler:executionPlatform="Camunda Platform" '
                                              'modeler:executionPlatformVersion="7.20.0"')
    assert repeated_tool_attributes(diagram().encode()) == (diagram().encode(), [])


@pytest.mark.parametrize("attributes", [
    'exporter="a" exporter="b"',  # not the modeler's metadata
    TWICE + ' exporter="a" exporter="b"',  # the metadata and something else
    'xmlns:m="urn:other" m:executionPlatform="a" m:executionPlatform="b"',  # another namespace, same local name
])
def test_other_repeated_attributes_stay_refused(attributes):
    problems = found(diagram(root_attributes=attributes))
    assert [p.rule for p in problems if p.severity != "warning"] == ["xml-syntax"]
    with pytest.raises(etree.XMLSyntaxError):
        safe_xml(diagram(root_attributes=attributes))


def test_a_repeated_attribute_below_definitions_stays_refused():
    source = diagram(body=FLOW.replace('<bpmn:userTask id="ask"', '<bpmn:userTask id="ask" '
                                       'modeler:x="1" modeler:x="2"'))
    assert [p.rule for p in found(source) if p.severity != "warning"] == ["xml-syntax"]


# No process ticked "Executable"

def test_a_file_with_no_executable_process_runs_it_with_a_warning():
    problems = found(diagram(executable='isExecutable="false"'))
    assert errors(problems) == []
    said = warned(problems, "executable")
    assert len(said) == 1 and 'is not ticked "Executable"' in said[0] and "Batho runs it as if it were" in said[0]
    assert list(parse({"found.bpmn": diagram(executable='isExecutable="false"')}, {})) == ["p"]


def test_unticked_pools_beside_a_ticked_process_stay_documentation():
    other = """
  <bpmn:process id="notes" name="Notes" isExecutable="false"><bpmn:task id="t" /></bpmn:process>"""
    problems = found(diagram(more=other))
    assert warned(problems, "executable") == []
    assert list(parse({"found.bpmn": diagram(more=other)}, {})) == ["p"]


def test_a_file_without_any_process_says_so():
    empty = """<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
      targetNamespace="x" />"""
    assert any("defines no process" in m for m in errors(found(empty)))


# No start event (BPMN 2.0, 10.5.2)

def test_a_process_without_a_start_event_starts_at_the_steps_no_path_leads_to():
    body = """<bpmn:userTask id="ask" name="Ask" /><bpmn:scriptTask id="note" name="Note" scriptFormat="python">
      <bpmn:script>noted = True</bpmn:script></bpmn:scriptTask>"""
    problems = found(diagram(body=body))
    assert errors(problems) == []
    said = warned(problems, "start")
    assert len(said) == 1
    assert 'User task "Ask" (ask), Script task "Note" (note)' in said[0] and "Camunda 7 refuses" in said[0]
    spec = parse({"found.bpmn": diagram(body=body)}, {})["p"].spec
    assert {"ask", "note"} <= {child.bpmn_id for start in spec.task_specs.values()
                               if start.bpmn_id == "p_implicit_start" for child in start.outputs}


def test_a_compensation_event_without_a_start_event_is_refused_for_compensation_not_as_unreachable():
    body = '<bpmn:intermediateThrowEvent id="undo"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>'
    messages = errors(found(diagram(body=body)))
    assert any("compensation event" in m for m in messages)
    assert not any("cannot be reached" in m for m in messages)


@pytest.mark.parametrize("condition", ['<bpmn:condition xsi:type="bpmn:tFormalExpression" />', ""])
def test_a_conditional_event_with_an_empty_condition_is_refused_saying_so(condition):
    body = f"""<bpmn:intermediateCatchEvent id="wait" name="Wait">
      <bpmn:conditionalEventDefinition>{condition}</bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>"""
    messages = errors(found(diagram(body=body)))
    assert any('Event "Wait" (wait) waits for a condition, but its condition is empty' in m for m in messages)
    assert not any("cannot be reached" in m for m in messages)


def test_a_lone_event_gateway_is_refused_saying_it_waits_for_nothing():
    messages = errors(found(diagram(body='<bpmn:eventBasedGateway id="which" />')))
    assert any("an event gateway waits for the first of the events drawn after it, and it has none" in m
               for m in messages)


# Gateway paths without a condition, as Camunda 7 reads them

def gateway(kind: str, *flows: str, default: str = "") -> str:
    attribute = f' default="{default}"' if default else ""
    return diagram(body=f"""<bpmn:startEvent id="start" /><bpmn:{kind} id="gw" name="Which?"{attribute} />
    <bpmn:userTask id="a" name="A" /><bpmn:userTask id="b" name="B" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="gw" />
    {"".join(flows)}""")


def path(flow_id: str, target: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="gw" targetRef="{target}" />'
    return (f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="gw" targetRef="{target}"><bpmn:conditionExpression>'
            f"{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>")


def outputs(source: str) -> dict[str, str]:
    """Each output of the parsed gateway and its condition ("default" for the default path)."""
    spec = parse({"found.bpmn": source}, {})["p"].spec.task_specs["gw"]
    result = {name: str(getattr(condition, "args", ["?"])[0]) for condition, name in
              [(c, n) for c, n in getattr(spec, "cond_task_specs", []) if c is not None]}
    if getattr(spec, "default_task_spec", None):
        result[spec.default_task_spec] = "default"
    return result


def test_an_exclusive_path_without_a_condition_is_taken_when_no_path_before_it_holds():
    source = gateway("exclusiveGateway", path("yes", "a", "amount > 10"), path("otherwise", "b"))
    problems = found(source)
    assert errors(problems) == []
    said = warned(problems, "condition")
    assert len(said) == 1 and 'Path otherwise leaves Gateway "Which?" (gw) without a condition' in said[0]
    assert outputs(source)["b"] == "default"


def test_an_exclusive_path_after_the_one_without_a_condition_is_never_taken():
    source = gateway("exclusiveGateway", path("otherwise", "b"), path("yes", "a", "amount > 10"))
    said = warned(found(source), "condition")
    assert any("Path yes is never taken" in m for m in said)
    assert outputs(source) == {"a": "False", "b": "default"}


@pytest.mark.parametrize(("flows", "default"), [
    ((path("one", "a"), path("two", "b")), ""),  # two paths without a condition
    ((path("one", "a"), path("two", "b")), "two"),  # one without a condition beside the default path
])
def test_an_exclusive_gateway_camunda_7_refuses_is_refused(flows, default):
    messages = errors(found(gateway("exclusiveGateway", *flows, default=default)))
    assert messages and all("Camunda 7 refuses this too" in m for m in messages)


def test_an_inclusive_path_without_a_condition_is_always_taken():
    source = gateway("inclusiveGateway", path("yes", "a", "amount > 10"), path("always", "b"))
    problems = found(source)
    assert errors(problems) == []
    assert any("Batho always takes it" in m for m in warned(problems, "condition"))


def test_an_empty_path_condition_is_refused_saying_camunda_7_stops_there_too():
    source = gateway("exclusiveGateway", path("yes", "a", "amount > 10"), path("no", "b", ""))
    messages = errors(found(source))
    assert any("Path no has an empty condition: Camunda 7 stops with an error" in m for m in messages)


def test_gateways_with_every_path_guarded_are_unchanged():
    source = gateway("exclusiveGateway", path("yes", "a", "amount > 10"), path("no", "b", "amount &lt;= 10"))
    problems = found(source)
    assert errors(problems) == [] and warned(problems, "condition") == []
    assert outputs(source) == {"a": "amount > 10", "b": "amount <= 10"}


def test_a_subprocess_without_a_start_event_starts_at_its_first_step():
    body = """<bpmn:startEvent id="start" /><bpmn:subProcess id="sub" name="Inside">
      <bpmn:userTask id="inner" name="Inner" /></bpmn:subProcess>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" />"""
    problems = found(diagram(body=body))
    assert errors(problems) == []
    assert any('Subprocess "Inside" (sub) has no start event' in m for m in warned(problems, "start"))
    assert "sub_implicit_start" in {s.bpmn_id for sub in parse({"found.bpmn": diagram(body=body)}, {})["p"]
                                    .subprocess_specs.values() for s in sub.task_specs.values()}


def test_a_message_event_that_names_no_message_and_has_no_name_is_refused():
    body = '<bpmn:startEvent id="start"><bpmn:messageEventDefinition /></bpmn:startEvent>'
    messages = errors(found(diagram(body=body)))
    assert any("waits for a message but names none" in m and "Camunda 7 refuses it too" in m for m in messages)
    named = '<bpmn:startEvent id="start" name="Order received"><bpmn:messageEventDefinition /></bpmn:startEvent>'
    assert errors(found(diagram(body=named))) == [], "SpiffWorkflow knows it by its name; the API can send it"


def test_an_exclusive_gateway_tries_its_paths_in_the_files_order_not_the_drawings():
    # "Large" comes first in the file but its target is drawn below: Camunda 7 still tries it first
    source = gateway("exclusiveGateway", path("large", "a", "amount > 1000"), path("any", "b", "amount > 0"))
    drawn = source.replace("</bpmn:definitions>", """<bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"><bpmndi:BPMNPlane bpmnElement="p">
    <bpmndi:BPMNShape bpmnElement="a"><dc:Bounds x="300" y="400" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape bpmnElement="b"><dc:Bounds x="300" y="100" width="100" height="80" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>""")
    assert errors(found(drawn)) == []
    spec = parse({"found.bpmn": drawn}, {})["p"].spec.task_specs["gw"]
    assert [name for _, name in spec.cond_task_specs] == ["a", "b"]
