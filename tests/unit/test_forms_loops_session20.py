"""Camunda 7 diagrams as found: form fields without a type, loops over loopDataInputRef, and the loop variables
(loopCounter, nrOfInstances, nrOfActiveInstances, nrOfCompletedInstances) Camunda gives a multi-instance activity."""

from __future__ import annotations

from typing import Any

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowDataException
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from benchmarks.corpus_filler import value_for
from engine.bpmn.diffs import step_changes
from engine.bpmn.forms import validate
from engine.bpmn.lint import lint
from engine.bpmn.scripting import RestrictedScriptEngine
from engine.bpmn.specs import parse
from engine.bpmn.state import StateCodec
from engine.bpmn.workflow import Workflow
from engine.services.identity import ROLES
from tests.fixtures.make import process

LOOP_VARIABLES = ("loopCounter", "nrOfInstances", "nrOfActiveInstances", "nrOfCompletedInstances")


def one_task(loop: str = "", fields: str = "", task: str = "userTask", attributes: str = "") -> str:
    """start -> one task (candidate group manager) with `loop` and form `fields` -> end."""
    form = f"<bpmn:extensionElements><camunda:formData>{fields}</camunda:formData></bpmn:extensionElements>" \
        if fields else ""
    return process("p", f"""
    <bpmn:startEvent id="start" />
    <bpmn:{task} id="work" name="Review" camunda:candidateGroups="manager" {attributes}>{form}{loop}</bpmn:{task}>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
""")


def problems(source: str) -> list[tuple[str, str]]:
    return [(p.severity, p.message) for p in lint({"p.bpmn": source}, list(ROLES.items()))]


def errors(source: str) -> list[str]:
    return [message for severity, message in problems(source) if severity != "warning"]


# Form fields

def test_a_form_field_without_a_type_is_a_text_field_with_a_warning():
    source = one_task(fields='<camunda:formField id="D" label="Enter Value For D" />')
    assert problems(source) == [("warning", 'User task "Review" (work): form field "Enter Value For D" has no type, '
                                            "so Batho shows it as a text field (string), as Camunda 7 takes it. "
                                            "Choose its Type in the panel if it is a number, a date, yes or no, or a "
                                            "choice.")]
    (field,) = parse({"p.bpmn": source}, {})["p"].form_of("work")
    assert (field.type, field.input_type) == ("string", "text")
    assert validate((field,), {"D": " 42 "}) == {"D": "42"}


def test_a_java_plug_in_form_type_is_refused_in_words_a_process_owner_understands():
    source = one_task(fields='<camunda:formField id="zaak_id" label="Zaak" type="zaak" />')
    assert errors(source) == [
        'User task "Review" (work): form field "Zaak" has type "zaak", which Batho cannot show: it is not one of '
        "Camunda 7's form field types but one that a Java plug-in adds to a Camunda server (without it Camunda "
        "refuses the diagram too). In the panel, choose the Type string, long, boolean, date or enum (or Batho's "
        "decimal or textarea)."]


# Loops the lint accepts and refuses

def test_a_loop_with_neither_cardinality_nor_collection_is_refused_naming_the_element_and_the_panel():
    source = one_task('<bpmn:multiInstanceLoopCharacteristics isSequential="true" />', task="subProcess")
    assert errors(source) == [
        'Subprocess "Review" (work) is a multi-instance loop that says neither how many times it runs nor over which '
        "list (Camunda 7 refuses it too). In the panel, under Multi-instance, set Loop cardinality (a number such as "
        "3, or ${count}) or Collection (a list variable such as ${reviewers}) with an Element variable (reviewer)."]


def test_a_loop_over_loop_data_input_ref_deploys_and_an_output_collection_is_a_warning():
    source = one_task("<bpmn:multiInstanceLoopCharacteristics><bpmn:loopDataInputRef>items</bpmn:loopDataInputRef>"
                      "<bpmn:loopDataOutputRef>results</bpmn:loopDataOutputRef>"
                      '<bpmn:inputDataItem id="item" name="item" /></bpmn:multiInstanceLoopCharacteristics>')
    assert errors(source) == []
    (warning,) = [m for s, m in problems(source) if s == "warning"]
    assert "names an output collection (loopDataOutputRef), which Batho, like Camunda 7, does not fill" in warning


# Loops run as Camunda 7 runs them

def start(source: str, data: dict[str, Any]) -> BpmnWorkflow:
    parsed = parse({"p.bpmn": source}, {})["p"]
    workflow = BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=RestrictedScriptEngine())
    workflow.get_tasks(state=TaskState.READY)[0].data.update(data)
    workflow.do_engine_steps()
    return workflow


def work_all(workflow: BpmnWorkflow, answer: Any = None) -> list[dict[str, Any]]:
    """Complete the first ready task until none is left; what each saw of the loop variables and its item."""
    seen = []
    for _ in range(10):
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        task = ready[0]
        seen.append({name: task.data.get(name) for name in (*LOOP_VARIABLES, "item")})
        task.set_data(**(answer(task) if answer else {}))
        task.run()
        workflow.do_engine_steps()
    return seen


def test_a_sequential_cardinality_loop_gives_each_instance_its_counter_and_stops_on_the_completion_condition():
    workflow = start(one_task('<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>'
                              "${nrOfLoops}</bpmn:loopCardinality><bpmn:completionCondition>"
                              "${nrOfCompletedInstances == 2}</bpmn:completionCondition>"
                              "</bpmn:multiInstanceLoopCharacteristics>"), {"nrOfLoops": 4})
    seen = work_all(workflow)
    assert [(s["loopCounter"], s["nrOfInstances"], s["nrOfActiveInstances"], s["nrOfCompletedInstances"])
            for s in seen] == [(0, 4, 1, 0), (1, 4, 1, 1)]
    assert workflow.completed and not set(LOOP_VARIABLES) & set(workflow.data)


def test_a_parallel_collection_loop_keeps_each_instances_answers_and_leaves_the_collection_as_it_was():
    workflow = start(one_task('<bpmn:multiInstanceLoopCharacteristics camunda:collection="${reviewers}" '
                              'camunda:elementVariable="item" />'), {"reviewers": ["ann", "bo", "cy"]})
    seen = work_all(workflow, lambda task: {f"approved_{task.data['item']}": True, "item": "changed"})
    assert [(s["item"], s["loopCounter"], s["nrOfActiveInstances"], s["nrOfCompletedInstances"]) for s in seen] == [
        ("ann", 0, 3, 0), ("bo", 1, 2, 1), ("cy", 2, 1, 2)]
    assert {s["nrOfInstances"] for s in seen} == {3}
    assert workflow.completed
    assert workflow.data == {"reviewers": ["ann", "bo", "cy"], "approved_ann": True, "approved_bo": True,
                             "approved_cy": True}


def test_loop_data_input_ref_and_input_data_item_are_the_collection_and_the_element_variable():
    workflow = start(one_task('<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopDataInputRef>'
                              'items</bpmn:loopDataInputRef><bpmn:inputDataItem id="i" name="item" />'
                              "</bpmn:multiInstanceLoopCharacteristics>"), {"items": [10, 20]})
    assert [(s["item"], s["loopCounter"]) for s in work_all(workflow)] == [(10, 0), (20, 1)]
    assert workflow.completed and workflow.data == {"items": [10, 20]}


def test_a_collection_without_an_element_variable_runs_once_per_element():
    workflow = start(one_task('<bpmn:multiInstanceLoopCharacteristics camunda:collection="reviewers" />'),
                     {"reviewers": ["ann", "bo"]})
    assert [s["loopCounter"] for s in work_all(workflow)] == [0, 1]
    assert workflow.completed


def test_the_loop_variables_reach_an_assignee_expression():
    source = one_task('<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>2'
                      "</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>",
                      attributes='camunda:assignee="kermit_${loopCounter}"')
    workflow = start(source, {})
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    assert workflow.script_engine.evaluate(ready[0], '"kermit_" + str(loopCounter)') == "kermit_0"


def test_a_loop_half_done_survives_the_state_codec_and_the_change_summary_reads_loop_specs():
    source = one_task('<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>3'
                      "</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>")
    parsed = parse({"p.bpmn": source}, {})["p"]
    engine = RestrictedScriptEngine()
    workflow = BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=engine)
    workflow.do_engine_steps()
    first = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
    first.run()
    workflow.do_engine_steps()
    codec = StateCodec(engine)
    loaded = codec.load(codec.dump(Workflow(workflow, engine.limits)), parse({"p.bpmn": source}, {})["p"]).bpmn
    assert [s["loopCounter"] for s in work_all(loaded)] == [1, 2]
    changed = parse({"p.bpmn": source.replace(">3<", ">4<")}, {})["p"]
    assert step_changes(codec.registry, parsed, changed)["changed"][0]["id"] == "work"


def test_a_cardinality_with_a_collection_gives_instance_n_the_collections_element_n():
    source = one_task('<bpmn:multiInstanceLoopCharacteristics camunda:collection="names" '
                      'camunda:elementVariable="item"><bpmn:loopCardinality>2</bpmn:loopCardinality>'
                      "</bpmn:multiInstanceLoopCharacteristics>")
    workflow = start(source, {"names": ["ann", "bo", "cy"]})
    assert [(s["item"], s["loopCounter"], s["nrOfInstances"]) for s in work_all(workflow)] == [
        ("ann", 0, 2), ("bo", 1, 2)]
    assert workflow.completed and workflow.data == {"names": ["ann", "bo", "cy"]}


def test_a_cardinality_beyond_the_collection_is_said_in_a_sentence_not_a_name_error():
    source = one_task('<bpmn:multiInstanceLoopCharacteristics camunda:collection="names" '
                      'camunda:elementVariable="item"><bpmn:loopCardinality>3</bpmn:loopCardinality>'
                      "</bpmn:multiInstanceLoopCharacteristics>", task="task")
    with pytest.raises(WorkflowDataException, match="The loop's collection names has 2 items; with its cardinality "
                                                    "the loop needs an item for instance 3"):
        start(source, {"names": ["ann", "bo"]})


# A choice whose values sit where nobody reads them (municipal helpdesks' diagrams)

NESTED_CHOICE = ('<camunda:formField id="pick" label="Pick" type="enum"><camunda:properties>'
                 '<camunda:value id="first" name="First" /></camunda:properties></camunda:formField>')


def test_choice_values_inside_properties_are_a_warning_and_the_filler_leaves_the_choice_blank():
    source = one_task(fields=NESTED_CHOICE)
    assert problems(source) == [("warning", 'User task "Review" (work): the choice field "Pick" has values inside '
                                            "another element (such as its properties), where neither Camunda 7 nor "
                                            "Batho looks for them, so it offers nothing to choose. Add the values in "
                                            "the panel's Values list of the field.")]
    (field,) = parse({"p.bpmn": source}, {})["p"].form_of("work")
    assert field.options == () and value_for(field, {}) == ""
    assert validate((field,), {"pick": value_for(field, {})}) == {"pick": None}
