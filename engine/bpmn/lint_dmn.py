"""The lint's rules for decision tables: decisions Batho can run (engine/bpmn/dmn.py), requirements that exist
and form no circle, and cells that are FEEL Batho reads or Python that compiles in the restricted environment."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .dmn import INPUT, cell_text, read_decisions, xml_children
from .dmn_parsing import missing_requirements
from .lint_text import Found, compile_problem, label

FEEL_FORMS = ('"a","b"', "not(\"x\")", "< 10", "[250..1000]", "-")


def _heading(inputs: list[Any], column: int) -> str:
    if column >= len(inputs):
        return f"input {column + 1}"
    return str(inputs[column].get("label") or inputs[column].get("name") or f"input {column + 1}")


def _cells(decision: Any, table: Any, python_cells: dict[str, str]) -> Iterator[Found]:
    """Cells that are not FEEL Batho reads are Python: each must compile (with `dmninputexpr` as the input)."""
    inputs = xml_children(table, "input")
    for row, rule in enumerate(xml_children(table, "rule"), start=1):
        for column, cell in enumerate(xml_children(rule, "inputEntry")):
            python = python_cells.get(cell.get("id") or "")
            problem = compile_problem(python, "expression") if python else None
            if problem:
                forms = ", ".join(FEEL_FORMS)
                yield Found(cell, "dmn-cell", f'Rule {row}, column "{_heading(inputs, column)}" ({cell.get("id")}) '
                                              f'of {label(decision)}: the test "{cell_text(cell)}" is neither a FEEL '
                                              f"test Batho reads ({forms}) nor a Python expression: {problem}")
        for cell in xml_children(rule, "outputEntry"):
            python = python_cells.get(cell.get("id") or "")
            problem = compile_problem(python, "expression") if python else None
            if problem:
                yield Found(cell, "dmn-cell", f'Rule {row} ({cell.get("id")}) of {label(decision)}: the '
                                              f'result '
                                              f'"{cell_text(cell)}" cannot be used: {problem} Text results need double '
                                              "quotes.")
    for column in inputs:
        expressions = xml_children(column, "inputExpression")
        text = cell_text(expressions[0]) if expressions else ""
        problem = compile_problem(text, "expression") if text else None
        if problem:
            yield Found(column, "dmn-cell", f"{label(column)}: the input expression \"{text}\" cannot be used: "
                                            f"{problem}")


def _python_cells(root: Any) -> dict[str, str]:
    """The id and Python text of each cell that engine/bpmn/dmn.py will run as Python."""
    tables, _ = read_decisions(root)
    by_text: dict[str, str] = {}
    for decision in xml_children(root, "decision"):
        table = tables.get(decision.get("id") or "")
        if table is None:
            continue
        xml_rules = [rule for xml in xml_children(decision, "decisionTable") for rule in xml_children(xml, "rule")]
        for xml_rule, (_, cells, results) in zip(xml_rules, table.rules, strict=False):
            for xml_cell, cell in zip(xml_children(xml_rule, "inputEntry"), cells, strict=False):
                if cell.python:
                    by_text[xml_cell.get("id") or ""] = cell.python.replace(INPUT, "dmninputexpr")
            for xml_cell, result in zip(xml_children(xml_rule, "outputEntry"), results, strict=False):
                if result.python:
                    by_text[xml_cell.get("id") or ""] = result.python
    return by_text


def _circle(tables: dict[str, Any], start: str) -> list[str] | None:
    """The decisions from `start` back to itself along requirements, or None when there is no such circle."""
    todo: list[tuple[str, list[str]]] = [(r, [start, r]) for r in tables[start].requires]
    seen: set[str] = set()
    while todo:
        current, path = todo.pop()
        if current == start:
            return path
        if current in seen or current not in tables:
            continue
        seen.add(current)
        todo.extend((r, [*path, r]) for r in tables[current].requires)
    return None


def dmn_problems(root: Any) -> list[Found]:
    """All rule violations in one DMN document."""
    tables, problems = read_decisions(root)
    found = [Found(element, rule, sentence) for element, rule, sentence in problems]
    python_cells = _python_cells(root)
    for decision in xml_children(root, "decision"):
        for table in xml_children(decision, "decisionTable"):
            found.extend(_cells(decision, table, python_cells))
        circle = _circle(tables, decision.get("id") or "") if decision.get("id") in tables else None
        if circle:
            found.append(Found(decision, "dmn-decision", f"{label(decision)} requires itself ({' → '.join(circle)}): "
                                                         "it could never be decided. Remove one of the requirements."))
        missing = [m for m in missing_requirements(tables, decision.get("id") or "") if m != decision.get("id")]
        if missing and decision.get("id") in tables:
            found.append(Found(decision, "dmn-decision", f"{label(decision)} requires the decision "
                                                         f'"{missing[0]}", which is not in this file. Add it to '
                                                         "the file, or remove the requirement."))
    return found
