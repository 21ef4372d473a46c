"""Decision tables as Camunda 7 runs them: several decisions per file linked by requirements, FEEL cells and
every hit policy (Unique, First, Priority, Any, Collect with or without sum/min/max/count, Rule order, Output order).

`read_decisions` reads a DMN document into `Table`s and says, per cell, what cannot be run; `DecisionEngine` is
what a business rule task calls (SpiffWorkflow's own engine knows one decision per file and two hit policies).
A cell that is not FEEL is a Python expression run in the restricted environment, as SpiffWorkflow reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from lxml import etree

from . import feel
from .dmn_policies import SINGLE, Row, apply_policy, check_policy

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
PLAIN_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
# As SpiffWorkflow's DMN engine reads a Python cell: "?" outside quotes stands for the input value.
QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")
INPUT = "dmninputexpr"

Evaluate = Callable[[str, Mapping[str, Any]], Any]  # a Python expression, with these names added to the data


class DecisionError(Exception):
    """A decision cannot give a result for these inputs (overlapping Unique rules, disagreeing Any rules...)."""


@dataclass
class Cell:
    """One input entry: a FEEL unary test, or (`python`) a Python test of the input value."""

    text: str
    test: feel.Test | None = None
    python: str | None = None

    def matches(self, value: Any, context: Mapping[str, Any], evaluate: Evaluate) -> bool:
        if self.test is not None:
            return self.test(value, context)
        return bool(evaluate(self.python or "True", {INPUT: value}))


@dataclass
class Result:
    """One output entry: a FEEL literal, or a Python expression (`python`)."""

    value: Any = None
    python: str | None = None
    text: str = ""

    def get(self, evaluate: Evaluate) -> Any:
        return evaluate(self.python, {}) if self.python else self.value


@dataclass
class Table:
    """One decision and its table, as read from the DMN file."""

    decision_id: str
    name: str
    hit_policy: str = "UNIQUE"
    aggregation: str | None = None
    inputs: list[str] = field(default_factory=list)  # input expressions
    outputs: list[str] = field(default_factory=list)  # output names
    priorities: list[list[Any]] = field(default_factory=list)  # each output's allowed values, in priority order
    rules: list[tuple[int, list[Cell], list[Result]]] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)


def local_name(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


def xml_children(el: Any, name: str) -> list[Any]:
    return [child for child in el if local_name(child) == name]


def cell_text(el: Any) -> str:
    texts = xml_children(el, "text")
    return (texts[0].text or "").strip() if texts else ""


Problems = list[tuple[Any, str, str]]  # (element, lint rule, sentence)


def python_test(text: str) -> str:
    """The Python expression SpiffWorkflow would run for a non-FEEL input cell (`dmninputexpr` is the value)."""
    replaced = QUESTION_MARK.sub(INPUT, text)
    if INPUT in replaced:
        return replaced
    try:
        compile(replaced, "<cell>", "eval")
        return f"({INPUT}) == ({replaced})"
    except SyntaxError:
        return f"{INPUT} {replaced}"


def _cell(text: str) -> Cell:
    try:
        return Cell(text, test=feel.unary_test(text))
    except feel.NotFeel:
        return Cell(text, python=python_test(text))


def _result(text: str) -> Result:
    try:
        return Result(value=feel.literal(text), text=text)
    except feel.NotFeel:
        return Result(python=text, text=text)


def _heading(columns: list[Any], index: int) -> str:
    if index >= len(columns):
        return f"column {index + 1}"
    column = columns[index]
    return str(column.get("label") or column.get("name") or column.get("id") or f"column {index + 1}")


def _rules(table: Table, xml: Any, inputs: list[Any], outputs: list[Any], problems: Problems) -> None:
    for row, rule in enumerate(xml_children(xml, "rule"), start=1):
        cells, results = xml_children(rule, "inputEntry"), xml_children(rule, "outputEntry")
        if len(cells) != len(inputs) or len(results) != len(outputs):
            problems.append((rule, "dmn-cell", f"Rule {row} has {len(cells)} input and {len(results)} output "
                                               f"cells; the table has {len(inputs)} inputs and {len(outputs)} "
                                               "outputs."))
            continue
        table.rules.append((row, [_cell(cell_text(c)) for c in cells], [_result(cell_text(r)) for r in results]))


def _outputs(table: Table, outputs: list[Any], problems: Problems) -> None:
    for column in outputs:
        table.outputs.append(column.get("name") or column.get("label") or column.get("id") or "result")
        allowed = xml_children(column, "outputValues")
        try:
            table.priorities.append(feel.literal_list(cell_text(allowed[0])) if allowed else [])
        except feel.NotFeel as exc:
            problems.append((column, "dmn-cell", f'Output "{table.outputs[-1]}": its list of values cannot be '
                                                 f"read ({exc})."))
            table.priorities.append([])


def _required(decision: Any) -> list[str]:
    found = []
    for requirement in decision.iter("{*}requiredDecision"):
        href = (requirement.get("href") or "").strip()
        if "#" in href:
            found.append(href.rsplit("#", 1)[1])
    return found


def read_table(decision: Any, problems: Problems) -> Table | None:
    """The table of one <decision>, or None (with the reason added to `problems`) when it has none."""
    label = f'Decision "{decision.get("name") or decision.get("id")}"'
    xml_tables = xml_children(decision, "decisionTable")
    if not xml_tables:
        problems.append((decision, "dmn-decision", f"{label} ({decision.get('id')}) is not a decision table; "
                                                   "Batho runs decision tables only (not literal expressions or "
                                                   "other kinds)."))
        return None
    xml = xml_tables[0]
    table = Table(decision_id=decision.get("id") or "", name=decision.get("name") or decision.get("id") or "",
                  hit_policy=(xml.get("hitPolicy") or "UNIQUE").upper().replace("_", " "),
                  aggregation=(xml.get("aggregation") or "").upper() or None, requires=_required(decision))
    inputs, outputs = xml_children(xml, "input"), xml_children(xml, "output")
    for index, column in enumerate(inputs):
        expressions = xml_children(column, "inputExpression")
        text = cell_text(expressions[0]) if expressions else ""
        if not text and PLAIN_NAME.fullmatch(column.get("label") or ""):  # SpiffWorkflow reads the label then
            text = column.get("label")
        if not text:
            problems.append((column, "dmn-cell", f'{label}, input "{_heading(inputs, index)}": the input '
                                                 "expression is empty. Name the variable it reads, for example "
                                                 "amount."))
        table.inputs.append(text)
    _outputs(table, outputs, problems)
    _rules(table, xml, inputs, outputs, problems)
    problems.extend((decision, "dmn-hit-policy", f"{label} {sentence}") for sentence in check_policy(table.hit_policy,
                                                                                  table.aggregation,
                                                                                  table.outputs,
                                                                                  table.priorities))
    return table


def read_decisions(root: Any) -> tuple[dict[str, Table], Problems]:
    """Every decision table of one DMN document by decision id, and what in it cannot be run."""
    problems: Problems = []
    tables = {}
    for decision in xml_children(root, "decision"):
        table = read_table(decision, problems)
        if table is not None:
            tables[table.decision_id] = table
    if not xml_children(root, "decision"):
        problems.append((root, "dmn-decision", "The file holds no decision. Add a decision table, or leave the "
                                               "file out."))
    return tables, problems


def _value(expression: str, context: Mapping[str, Any], evaluate: Evaluate) -> Any:
    if PLAIN_NAME.fullmatch(expression) and expression not in ("true", "false", "null"):
        found: Any = context
        for part in expression.split("."):
            found = found.get(part) if isinstance(found, Mapping) else None
        return found
    return evaluate(expression, {})


def _rows(table: Table, context: Mapping[str, Any], evaluate: Evaluate) -> list[Row]:
    values = [_value(expression, context, evaluate) for expression in table.inputs]
    matched = []
    for number, cells, results in table.rules:
        if all(cell.matches(value, context, evaluate) for cell, value in zip(cells, values, strict=True)):
            matched.append(Row(number, {name: r.get(evaluate) for name, r in zip(table.outputs, results,
                                                                                  strict=True)}))
    return matched


class DecisionEngine:
    """What a business rule task runs: its decision (after the decisions it requires) on the task's data."""

    def __init__(self, decision_id: str, tables: Mapping[str, Table], result_variable: str | None = None,
                 mapping: str | None = None) -> None:
        self.decision_id = decision_id
        self.tables = dict(tables)
        self.result_variable = result_variable
        self.mapping = mapping or "resultList"
        # SpiffWorkflow's converter (and so the change summary's diff) reads the table in its own shape.
        self.decision_table = spiff_shaped(self.tables[decision_id]) if decision_id in self.tables else None

    def evaluate(self, context: Mapping[str, Any], evaluate: Evaluate) -> list[dict[str, Any]]:
        """The results of the decision (one dict of outputs per result), required decisions first."""
        return self._decide(self.decision_id, dict(context), evaluate, ())

    def _decide(self, decision_id: str, context: dict[str, Any], evaluate: Evaluate,
                path: tuple[str, ...]) -> list[dict[str, Any]]:
        if decision_id in path:
            raise DecisionError(f'Decision "{decision_id}" requires itself ({" → ".join([*path, decision_id])}).')
        table = self.tables[decision_id]
        for required in table.requires:
            results = self._decide(required, context, evaluate, (*path, decision_id))
            for name in self.tables[required].outputs:
                values = [result.get(name) for result in results]
                context[name] = values[0] if len(values) == 1 else (values if values else None)
        rows = _rows(table, context, lambda text, extra: evaluate(text, {**context, **extra}))
        return apply_policy(table.name or table.decision_id, table.hit_policy, table.aggregation, table.outputs,
                            table.priorities, rows)

    def result(self, task: Any) -> dict[str, Any]:
        """The task data the decision adds (SpiffWorkflow's BusinessRuleTask merges it into the task)."""
        engine = task.workflow.script_engine

        def evaluate(text: str, names: Mapping[str, Any]) -> Any:
            return engine.evaluate(task, text, external_context=dict(names))

        results = self.evaluate(task.data, evaluate)
        table = self.tables[self.decision_id]
        data: dict[str, Any]
        if table.hit_policy in SINGLE or table.aggregation:
            data = dict(results[0]) if results else {}
        else:  # as SpiffWorkflow's Collect: each output's values as a list
            data = {name: [result.get(name) for result in results] for name in table.outputs}
        if self.result_variable:
            data[self.result_variable] = map_result(results, self.mapping, table.outputs)
        return data


def map_result(results: list[dict[str, Any]], mapping: str, outputs: list[str]) -> Any:
    """camunda:mapDecisionResult: singleEntry, singleResult, collectEntries or resultList (the default)."""
    if mapping == "singleEntry":
        return next(iter(results[0].values()), None) if results else None
    if mapping == "singleResult":
        return results[0] if results else None
    if mapping == "collectEntries":
        return [next(iter(result.values()), None) for result in results]
    return results


def engine_for(tables: Mapping[str, Table], decision_ref: str, task_node: Any) -> DecisionEngine:
    """The engine of a business rule task element (its decisionRef, resultVariable and mapDecisionResult)."""
    return DecisionEngine(decision_ref, tables, task_node.get(f"{{{CAMUNDA_NS}}}resultVariable"),
                          task_node.get(f"{{{CAMUNDA_NS}}}mapDecisionResult"))


def spiff_shaped(table: Table) -> Any:
    """The table as SpiffWorkflow's DMN converter reads one (ids, expressions, cell texts), for diffs."""
    inputs = [SimpleNamespace(id=f"input{i}", expression=text) for i, text in enumerate(table.inputs)]
    outputs = [SimpleNamespace(id=name, name=name) for name in table.outputs]
    rules = [SimpleNamespace(
        id=f"rule{row}", row_number=row, description="",
        inputEntries=[SimpleNamespace(id=f"rule{row}.{i}", input=inputs[i], description="", lhs=[cell.text])
                      for i, cell in enumerate(cells)],
        outputEntries=[SimpleNamespace(id=f"rule{row}.out{j}", output=outputs[j], description="", text=result.text)
                       for j, result in enumerate(results)])
        for row, cells, results in table.rules]
    policy = f"{table.hit_policy} {table.aggregation or ''}".strip()
    return SimpleNamespace(id=table.decision_id, name=table.name, hit_policy=policy, inputs=inputs, outputs=outputs,
                           rules=rules)
