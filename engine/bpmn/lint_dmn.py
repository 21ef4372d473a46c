"""The lint's rules for decision tables: one decision, a supported hit policy, and cells that compile."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from .lint_text import Found, compile_problem, label

SUPPORTED_HIT_POLICIES = ("UNIQUE", "COLLECT")
# As SpiffWorkflow's DMN engine reads a cell: "?" outside quotes stands for the input value.
QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


def _local(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


def _children(el: Any, name: str) -> list[Any]:
    return [child for child in el if _local(child) == name]


def _text(el: Any) -> str:
    texts = _children(el, "text")
    return (texts[0].text or "").strip() if texts else ""


def input_entry_problem(text: str) -> str | None:
    """An input cell is '-' (any), a value compared for equality, or a test like '>= 4' or '4 < ? < 6'."""
    if text in ("", "-"):
        return None
    text = QUESTION_MARK.sub("dmninputexpr", text)
    if compile_problem(text, "expression") is None:
        return None
    as_test = compile_problem(f"v {text}", "expression")
    return None if as_test is None else compile_problem(text, "expression")


def _rule_cells(table: Any, inputs: list[Any]) -> Iterator[Found]:
    for row, rule in enumerate(_children(table, "rule"), start=1):
        for column, cell in enumerate(_children(rule, "inputEntry")):
            problem = input_entry_problem(_text(cell))
            if problem:
                heading = inputs[column].get("label") or f"input {column + 1}" if column < len(inputs) else "?"
                yield Found(cell, "dmn-cell", f'Rule {row}, column "{heading}" ({cell.get("id")}): the test '
                                              f'"{_text(cell)}" cannot be used: {problem}')
        for cell in _children(rule, "outputEntry"):
            text = _text(cell)
            problem = compile_problem(text, "expression") if text else None
            if problem:
                yield Found(cell, "dmn-cell", f'Rule {row} ({cell.get("id")}): the result "{text}" cannot be '
                                              f"used: {problem} Text results need double quotes.")


def _table(decision: Any, table: Any) -> Iterator[Found]:
    policy = (table.get("hitPolicy") or "UNIQUE").upper()
    if policy not in SUPPORTED_HIT_POLICIES:
        yield Found(decision, "dmn-hit-policy", f'{label(decision)} uses the hit policy "{policy}"; Batho '
                                                "supports Unique and Collect only.")
    inputs = _children(table, "input")
    for column in inputs:
        expressions = _children(column, "inputExpression")
        text = _text(expressions[0]) if expressions else ""
        problem = compile_problem(text, "expression") if text else "it is empty."
        if problem:
            yield Found(column, "dmn-cell", f"{label(column)}: the input expression \"{text}\" cannot be used: "
                                            f"{problem}")
    yield from _rule_cells(table, inputs)


def dmn_problems(root: Any) -> list[Found]:
    """All rule violations in one DMN document."""
    found: list[Found] = []
    decisions = _children(root, "decision")
    if len(decisions) != 1:
        found.append(Found(root, "dmn-decision", f"A .dmn file must hold exactly one decision; this one has "
                                                 f"{len(decisions)}. Put each decision in its own file."))
    for decision in decisions:
        tables = _children(decision, "decisionTable")
        if not tables:
            found.append(Found(decision, "dmn-decision", f"{label(decision)} is not a decision table; Batho runs "
                                                         "decision tables only."))
        for table in tables:
            found.extend(_table(decision, table))
    return found
