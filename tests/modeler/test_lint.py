"""Every lint rule, each with a diagram that breaks it, and the clean diagrams it must leave alone."""

from __future__ import annotations

import pytest

from engine.bpmn.lint import lint
from engine.services.identity import ROLES
from tests.fixtures.make import gateway_process, process, script_process, timer_process
from tests.modeler.diagrams import WORKFLOWS, complaint_files

ROLE_PAIRS = list(ROLES.items())
LANE = """<bpmn:laneSet id="ls"><bpmn:lane id="lane_agent" name="Customer Care Agent">
      <bpmn:flowNodeRef>ask</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"""


def problems(files: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(p.rule, p.element_id, p.message) for p in lint(files, ROLE_PAIRS)]


def only(files: dict[str, str]) -> tuple[str, str, str]:
    found = problems(files)
    assert len(found) == 1, found
    return found[0]


def flow(body: str, key: str = "p") -> dict[str, str]:
    """A process with a lane for `ask`; `body` holds its nodes and flows."""
    return {f"{key}.bpmn": process(key, LANE + body)}


SIMPLE = """
    <bpmn:startEvent id="start" /><bpmn:userTask id="ask" name="Look at it" /><bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" /><bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="end" />"""


def test_the_shipped_processes_and_the_simple_diagram_are_clean():
    assert problems({p.name: p.read_text() for p in WORKFLOWS.iterdir() if p.suffix in (".bpmn", ".dmn")}) == []
    assert problems(flow(SIMPLE)) == []


# Conditions, scripts and DMN cells compile in the restricted environment

@pytest.mark.parametrize(("condition", "words"), [
    ('decision = "approve"', "write =="),
    ("().__class__.__bases__", '"__class__" is an invalid attribute name'),
    ("x ==", "not valid Python"),
])
def test_a_gateway_condition_must_compile_in_the_restricted_environment(condition, words):
    rule, element, message = only({"g.bpmn": gateway_process("g", condition)})
    assert (rule, element) == ("condition", "f2")
    assert words in message and "Path f2" in message


def test_an_empty_condition_is_refused():
    rule, element, message = only({"g.bpmn": gateway_process("g", "  ")})
    assert (rule, element) == ("condition", "f2") and "empty condition" in message


def test_a_path_leaving_a_gateway_without_condition_must_be_its_default():
    body = LANE + """
    <bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="gw" name="Which way?" />
    <bpmn:userTask id="ask" name="Look at it" /><bpmn:endEvent id="end" /><bpmn:endEvent id="end2" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw" />
    <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="ask"><bpmn:conditionExpression>x == 1</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="end2" name="Otherwise" />
    <bpmn:sequenceFlow id="f4" sourceRef="ask" targetRef="end" />"""
    found = problems({"g.bpmn": process("g", body)})
    assert ("condition", "f3") in [(r, e) for r, e, _ in found]
    assert "default path" in next(m for r, e, m in found if e == "f3")


@pytest.mark.parametrize(("script", "words"), [
    ("import os\nos.system('id')", "imports a module"),
    ("x = ().__class__", "invalid attribute name"),
    ("if x\n  y = 1", "not valid Python (line 1)"),
])
def test_a_script_must_compile_in_the_restricted_environment(script, words):
    rule, element, message = only({"s.bpmn": script_process("s", script)})
    assert (rule, element) == ("script", "script")
    assert words in message and 'Script task "Run the script" (script)' in message


def test_a_script_must_be_python_and_not_empty():
    javascript = script_process("s", "x = 1").replace('scriptFormat="python"', 'scriptFormat="javascript"')
    assert "Batho runs Python scripts only" in only({"s.bpmn": javascript})[2]
    assert "has no script" in only({"s.bpmn": script_process("s", " ")})[2]


DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="D" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="pick" name="Pick">
    <decisionTable id="t" hitPolicy="{policy}">
      <input id="in1" label="Amount"><inputExpression id="ie1" typeRef="integer"><text>{input}</text></inputExpression></input>
      <output id="out1" label="Level" name="level" typeRef="string" />
      <rule id="r1"><inputEntry id="c1"><text>{cell}</text></inputEntry><outputEntry id="o1"><text>{result}</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="c2"><text>-</text></inputEntry><outputEntry id="o2"><text>"low"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""


def dmn(policy: str = "UNIQUE", input: str = "amount", cell: str = ">= 1000", result: str = '"high"') -> dict[str, str]:
    return {"pick.dmn": DMN.format(policy=policy, input=input, cell=cell, result=result)}


@pytest.mark.parametrize("cell", [">= 1000", "4 &lt; ? &lt; 6", '"water"', "-", "1000"])
def test_decision_table_cells_that_spiffworkflow_accepts_pass(cell):
    assert problems(dmn(cell=cell)) == []


@pytest.mark.parametrize(("changes", "element", "words"), [
    ({"cell": '"water'}, "c1", 'Rule 1, column "Amount" (c1)'),
    ({"cell": "__import__('os')"}, "c1", "invalid variable name"),
    ({"result": "high level"}, "o1", "Text results need double quotes"),
    ({"input": "amount +"}, "in1", "input expression"),
])
def test_every_decision_table_cell_must_compile(changes, element, words):
    rule, found, message = only(dmn(**changes))
    assert (rule, found) == ("dmn-cell", element) and words in message


def test_a_priority_table_needs_its_outputs_values_in_order():
    rule, element, message = only(dmn(policy="PRIORITY"))
    assert (rule, element) == ("dmn-hit-policy", "pick") and "in order of priority" in message


def test_a_decision_may_not_require_one_that_is_not_in_the_file():
    needs = DMN.replace('<decisionTable', '<informationRequirement id="ir"><requiredDecision href="#elsewhere" />'
                                          '</informationRequirement><decisionTable')
    found = problems({"pick.dmn": needs.format(policy="UNIQUE", input="a", cell="1", result="1")})
    assert [(r, e) for r, e, m in found if "elsewhere" in m] == [("dmn-decision", "pick")]


# Timers

@pytest.mark.parametrize(("kind", "text", "words"), [
    ("timeDuration", "P5DT", "is not a valid ISO 8601 duration"),
    ("timeDuration", '"P3X"', "is not a valid ISO 8601 duration"),
    ("timeDuration", "5", "is not ISO 8601 text"),
    ("timeDate", '"2026-13-01"', "is not a valid ISO 8601 date"),
    ("timeDate", "P5D", "is not a valid ISO 8601 date"),
    ("timeCycle", '"PT1H"', "is not a valid ISO 8601 cycle"),
    ("timeDuration", "", "is empty"),
])
def test_a_timer_is_quoted_iso_8601_or_an_expression_naming_data(kind, text, words):
    diagram = timer_process("t", text).replace("timeDuration", kind)
    rule, element, message = only({"t.bpmn": diagram})
    assert (rule, element) == ("timer", "wait") and words in message and 'Event "Wait" (wait)' in message


@pytest.mark.parametrize(("kind", "text"), [
    ("timeDuration", '"PT72H"'), ("timeDate", '"2026-12-24T09:00:00+02:00"'), ("timeCycle", '"R3/PT1H"'),
    ("timeDate", "resolution_due"), ("timeDate", "add_working_days(opened_at, 5)"),
    # as Camunda Modeler writes them: bare ISO 8601, Quartz cron, ${…}
    ("timeDuration", "P5D"), ("timeDate", "2026-12-24T09:00:00"), ("timeCycle", "R3/PT10M"), ("timeCycle", "R/P1D"),
    ("timeCycle", "0 0 9 ? * FRI"), ("timeDuration", "${reminder}")])
def test_good_timers_pass(kind, text):
    assert problems({"t.bpmn": timer_process("t", text).replace("timeDuration", kind)}) == []


def test_a_timer_without_a_time_is_refused():
    diagram = timer_process("t", '"PT1H"').replace(
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"PT1H"</bpmn:timeDuration>', "")
    assert only({"t.bpmn": diagram})[0:2] == ("timer", "wait")


# Lanes name roles

def test_a_user_task_outside_any_lane_is_a_warning_naming_the_role_it_goes_to():
    body = SIMPLE.replace('<bpmn:userTask id="ask"', '<bpmn:userTask id="ask2"').replace('targetRef="ask"', 'targetRef="ask2"').replace('sourceRef="ask"', 'sourceRef="ask2"')
    (found,) = lint(flow(body), ROLE_PAIRS)
    assert (found.rule, found.element_id, found.severity) == ("lane", "ask2", "warning")
    assert found.message == ("Task 'Look at it' has no lane, assignee or candidate groups: it goes to Supervisor "
                             "(BATHO_UNASSIGNED_TASK_ROLE). Set Candidate groups in the Assignments section to "
                             "choose who works it.")


def test_a_lane_that_is_not_a_role_is_a_warning_naming_the_lane():
    diagram = flow(SIMPLE)
    diagram["p.bpmn"] = diagram["p.bpmn"].replace('name="Customer Care Agent"', 'name="Front desk"')
    (found,) = lint(diagram, ROLE_PAIRS)
    assert (found.rule, found.element_id, found.severity) == ("lane", "ask", "warning")
    assert found.message.startswith("Lane 'Front desk' is not a role (roles: ")
    assert "Customer Care Agent" in found.message  # says which roles there are
    assert "it goes to Supervisor (BATHO_UNASSIGNED_TASK_ROLE)" in found.message


def test_an_unassigned_role_that_is_not_a_role_stays_a_refusal():
    body = SIMPLE.replace('<bpmn:userTask id="ask"', '<bpmn:userTask id="ask2"').replace('targetRef="ask"', 'targetRef="ask2"').replace('sourceRef="ask"', 'sourceRef="ask2"')
    (found,) = lint(flow(body), ROLE_PAIRS, unassigned_role="nobody_here")
    assert found.severity == "error" and "BATHO_UNASSIGNED_TASK_ROLE 'nobody_here', which is not a role" in found.message


def test_a_lane_may_name_a_role_by_key_in_any_case():
    diagram = flow(SIMPLE)
    diagram["p.bpmn"] = diagram["p.bpmn"].replace('name="Customer Care Agent"', 'name="CUSTOMER_CARE_AGENT"')
    assert problems(diagram) == []


def test_a_task_drawn_inside_a_subprocess_takes_the_subprocess_lane():
    body = """
    <bpmn:laneSet id="ls"><bpmn:lane id="lane_sup" name="Supervisor"><bpmn:flowNodeRef>sub</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" /><bpmn:subProcess id="sub" name="Check it">
      <bpmn:startEvent id="s2" /><bpmn:userTask id="inner" name="Look inside" /><bpmn:endEvent id="e2" />
      <bpmn:sequenceFlow id="g1" sourceRef="s2" targetRef="inner" /><bpmn:sequenceFlow id="g2" sourceRef="inner" targetRef="e2" />
    </bpmn:subProcess><bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" /><bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="end" />"""
    assert problems({"s.bpmn": process("s", body)}) == []
    unlaned = body.replace("<bpmn:flowNodeRef>sub</bpmn:flowNodeRef>", "")
    assert only({"s.bpmn": process("s", unlaned)})[0:2] == ("lane", "inner")


# Forms

def form(*fields: str) -> dict[str, str]:
    data = "".join(fields)
    body = SIMPLE.replace('<bpmn:userTask id="ask" name="Look at it" />',
                          '<bpmn:userTask id="ask" name="Look at it"><bpmn:extensionElements><camunda:formData>'
                          f"{data}</camunda:formData></bpmn:extensionElements></bpmn:userTask>")
    return flow(body)


def test_form_fields_need_a_supported_type():
    rule, element, message = only(form('<camunda:formField id="colour" label="Colour" type="color" />'))
    assert (rule, element) == ("form", "ask") and 'has type "color"' in message and "long" in message


def test_form_field_ids_are_unique_and_present():
    found = problems(form('<camunda:formField id="a" label="A" type="string" />',
                          '<camunda:formField id="a" label="Again" type="long" />',
                          '<camunda:formField label="Nameless" type="string" />'))
    messages = " ".join(m for _, _, m in found)
    assert 'two form fields have the id "a"' in messages and 'form field "Nameless" has no id' in messages


def test_a_choice_field_needs_values():
    assert "no values to choose from" in only(form('<camunda:formField id="c" label="C" type="enum" />'))[2]


# References

def rule_task(ref: str) -> str:
    return SIMPLE.replace('targetRef="ask" />', 'targetRef="route" />') + f"""
    <bpmn:businessRuleTask id="route" name="Route it" camunda:decisionRef="{ref}" />
    <bpmn:sequenceFlow id="f0" sourceRef="route" targetRef="ask" />"""


def test_a_decision_reference_must_exist():
    rule, element, message = only(flow(rule_task("nowhere")) | dmn())
    assert (rule, element) == ("reference", "route") and 'uses decision "nowhere"' in message and "pick" in message
    assert problems(flow(rule_task("pick")) | dmn()) == []


def test_a_called_process_must_exist():
    body = SIMPLE.replace('targetRef="ask" />', 'targetRef="call" />') + """
    <bpmn:callActivity id="call" name="Do the other thing" calledElement="other" />
    <bpmn:sequenceFlow id="f0" sourceRef="call" targetRef="ask" />"""
    rule, element, message = only(flow(body))
    assert (rule, element) == ("reference", "call") and 'calls process "other"' in message
    other = {"other.bpmn": process("other", SIMPLE.replace('"ask"', '"other_ask"')).replace(
        "<bpmn:startEvent", '<bpmn:laneSet id="ls2"><bpmn:lane id="l2" name="Manager"><bpmn:flowNodeRef>other_ask'
        "</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet><bpmn:startEvent", 1)}
    assert problems(flow(body) | other) == []


# Paths

def test_a_step_without_a_way_on_ends_its_branch_as_bpmn_allows():
    body = SIMPLE.replace('<bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="end" />', "")
    assert ("path", "ask") not in [(r, e) for r, e, _ in problems(flow(body))]


def test_a_step_no_path_reaches_cannot_be_reached():
    body = SIMPLE + '<bpmn:scriptTask id="lost" name="Forgotten" scriptFormat="python"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>' \
        '<bpmn:sequenceFlow id="f9" sourceRef="lost" targetRef="end" />'
    rule, element, message = only(flow(body))
    assert (rule, element) == ("path", "lost") and "cannot be reached" in message


def test_a_loop_with_no_way_out_never_reaches_an_end():
    body = LANE + """
    <bpmn:startEvent id="start" /><bpmn:userTask id="ask" name="Look at it" />
    <bpmn:scriptTask id="again" name="Again" scriptFormat="python"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="again" />
    <bpmn:sequenceFlow id="f3" sourceRef="again" targetRef="ask" />"""
    found = problems({"p.bpmn": process("p", body)})
    assert {e for r, e, m in found if r == "path" and "never reaches an end" in m} == {"start", "ask", "again"}


# Schema and SpiffWorkflow's own parse

def test_the_bpmn_schema_is_checked():
    broken = flow(SIMPLE)["p.bpmn"].replace('<bpmn:endEvent id="end" />', '<bpmn:endEvnt id="end" />')
    found = problems({"p.bpmn": broken})
    assert any(r == "schema" and "does not follow the BPMN/DMN schema" in m and "endEvnt" in m and "line" in m
               for r, _, m in found)


def test_a_file_that_is_not_bpmn_is_named():
    rule, _, message = only({"p.bpmn": "<html><body>hello</body></html>"})
    assert rule == "schema" and "not a BPMN file" in message


def test_a_diagram_without_an_executable_process_runs_it_with_a_warning():
    # bpmn.io's default diagram is unticked; SpiffWorkflow's examples run such files (engine/bpmn/tolerance_flow.py)
    diagram = flow(SIMPLE)["p.bpmn"].replace('isExecutable="true"', 'isExecutable="false"')
    rule, _, message = only({"p.bpmn": diagram})
    assert rule == "executable" and 'is not ticked "Executable"' in message


def test_spiffworkflow_structure_errors_name_the_element():
    bad = complaint_files()
    bad["complaint.bpmn"] = bad["complaint.bpmn"].replace(
        '<bpmn:exclusiveGateway id="Gateway_triage" name="Triage outcome?" default="Flow_accepted">',
        '<bpmn:exclusiveGateway id="Gateway_triage" name="Triage outcome?" default="Flow_nowhere">')
    found = problems(bad)
    assert found and all(e for _, e, _ in found)


def test_only_bpmn_and_dmn_files_are_taken():
    rule, _, message = only({"notes.txt": "hello"})
    assert rule == "file-type" and "only .bpmn, .dmn and .form files" in message
