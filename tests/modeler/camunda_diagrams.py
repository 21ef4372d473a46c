"""Small diagrams written as Camunda Modeler writes them, for the tests of what Batho runs as found."""

from __future__ import annotations

from typing import Any

from engine.bpmn.specs import parse
from engine.bpmn.workflow import Workflow
from engine.composition import Batho

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/'
        'MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="http://bpmn.io/schema/'
        'bpmn">')
DMN_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"'
            ' id="drd" name="Decisions" namespace="http://camunda.org/schema/1.0/dmn">')


def process(key: str, body: str, lanes: str = "") -> str:
    """A BPMN file with one executable process `key` holding `body` (flow elements, no diagram shapes)."""
    return f'{HEAD}<bpmn:process id="{key}" name="{key}" isExecutable="true">{lanes}{body}</bpmn:process>' \
           "</bpmn:definitions>"


def script(task_id: str, text: str = "x = 1") -> str:
    return f'<bpmn:scriptTask id="{task_id}" scriptFormat="python"><bpmn:script>{text}</bpmn:script></bpmn:scriptTask>'


def flow(source: str, target: str, flow_id: str | None = None, condition: str | None = None) -> str:
    ident = f' id="{flow_id}"' if flow_id is not None else ""
    inner = f'<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>' if condition else ""
    return f'<bpmn:sequenceFlow{ident} sourceRef="{source}" targetRef="{target}">{inner}</bpmn:sequenceFlow>'


def decide(key: str, decision: str, extra: str = "") -> str:
    """start → business rule task calling `decision` → end."""
    return process(key, '<bpmn:startEvent id="start" />'
                        f'<bpmn:businessRuleTask id="decide" name="Decide" camunda:decisionRef="{decision}"{extra} />'
                        '<bpmn:endEvent id="end" />' + flow("start", "decide", "f1") + flow("decide", "end", "f2"))


def table(decision: str, policy: str, inputs: list[str], outputs: list[str], rules: list[list[str]],
          requires: tuple[str, ...] = (), aggregation: str = "", output_values: dict[str, str] | None = None) -> str:
    """One <decision> with a decision table: `rules` are rows of input cells then output cells."""
    values = output_values or {}
    reqs = "".join(f'<informationRequirement id="req_{decision}_{r}"><requiredDecision href="#{r}" />'
                   "</informationRequirement>" for r in requires)
    cols = "".join(f'<input id="{decision}_in{i}" label="{text}"><inputExpression id="{decision}_ie{i}">'
                   f"<text>{text}</text></inputExpression></input>" for i, text in enumerate(inputs))
    outs = "".join(f'<output id="{decision}_out{j}" name="{name}">' + (
        f"<outputValues id=\"{decision}_ov{j}\"><text>{values[name]}</text></outputValues>" if name in values else "")
        + "</output>" for j, name in enumerate(outputs))
    rows = ""
    for r, row in enumerate(rules):
        cells = "".join(f'<inputEntry id="{decision}_r{r}i{i}"><text>{_xml(c)}</text></inputEntry>'
                        for i, c in enumerate(row[:len(inputs)]))
        cells += "".join(f'<outputEntry id="{decision}_r{r}o{j}"><text>{_xml(c)}</text></outputEntry>'
                         for j, c in enumerate(row[len(inputs):]))
        rows += f'<rule id="{decision}_r{r}">{cells}</rule>'
    agg = f' aggregation="{aggregation}"' if aggregation else ""
    return (f'<decision id="{decision}" name="{decision}">{reqs}<decisionTable id="{decision}_t" hitPolicy="{policy}"'
            f"{agg}>{cols}{outs}{rows}</decisionTable></decision>")


def dmn(*decisions: str) -> str:
    return DMN_HEAD + "".join(decisions) + "</definitions>"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def run(batho: Batho, bpmn: dict[str, str], dmn_files: dict[str, str] | None = None,
        data: dict[str, Any] | None = None, key: str | None = None) -> Workflow:
    """Parse the files and run process `key` (the only one, by default) with the restricted engine until it
    waits or ends."""
    parsed = parse(bpmn, dmn_files or {})
    workflow = batho.codec.new(parsed[key or next(iter(parsed))])
    workflow.seed(dict(data or {}))
    workflow.run(lambda step: None, lambda step: None)
    return workflow


def final_data(workflow: Workflow) -> dict[str, Any]:
    """The data of a completed workflow."""
    assert workflow.completed, [s.element for s in workflow.ready_manual_tasks()]
    return dict(workflow.bpmn.data)
