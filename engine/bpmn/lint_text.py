"""The lint's vocabulary: problems found on elements, element labels, and checks of expressions and timers."""

from __future__ import annotations

import ast
import re
from datetime import datetime
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from .scripting import ScriptRejected, compile_expression, compile_script

KINDS = {
    "userTask": "User task", "manualTask": "Manual task", "scriptTask": "Script task", "serviceTask": "Service task",
    "businessRuleTask": "Decision task", "callActivity": "Call activity", "subProcess": "Subprocess",
    "task": "Task", "sendTask": "Send task", "receiveTask": "Receive task",
    "exclusiveGateway": "Gateway", "inclusiveGateway": "Gateway", "parallelGateway": "Parallel gateway",
    "eventBasedGateway": "Event gateway", "startEvent": "Start event", "endEvent": "End event",
    "intermediateCatchEvent": "Event", "intermediateThrowEvent": "Event", "boundaryEvent": "Boundary event",
    "sequenceFlow": "Path", "lane": "Lane", "process": "Process", "decision": "Decision", "rule": "Rule",
    "inputEntry": "Cell", "outputEntry": "Cell", "input": "Input", "decisionTable": "Decision table",
}
UNQUOTED_ISO = re.compile(r"^(R\d*/|P(\d|T)|\d{4}-\d{2}-\d{2})", re.IGNORECASE)
EXAMPLES = {
    "timeDuration": '"P5D" (five days) or "PT72H" (72 hours)',
    "timeDate": '"2026-12-24T09:00:00+02:00"',
    "timeCycle": '"R3/PT1H" (three times, hourly)',
}
WHAT = {"timeDuration": "duration", "timeDate": "date", "timeCycle": "cycle"}


class Found:
    """A rule violation on one element."""

    def __init__(self, element: Any, rule: str, message: str) -> None:
        self.element_id = element.get("id") or "" if element is not None else ""
        self.element_name = (element.get("name") or element.get("label") or "") if element is not None else ""
        self.rule = rule
        self.message = message


def label(el: Any) -> str:
    """How the owner recognises an element: its kind, its name and its id."""
    kind = KINDS.get(etree.QName(el).localname, etree.QName(el).localname)
    name = (el.get("name") or el.get("label") or "").strip()
    ident = el.get("id") or "(no id)"
    return f'{kind} "{name}" ({ident})' if name else f"{kind} {ident}"


def _clean(error: BaseException) -> str:
    text = str(error.args[0]) if error.args else str(error)
    return text.replace("<expression>", "").replace("<string>", "").strip()


def compile_problem(text: str, kind: str) -> str | None:
    """Why `text` does not compile as a restricted expression or script, or None when it does."""
    try:
        tree = ast.parse(text.strip() if kind == "expression" else text,
                         mode="eval" if kind == "expression" else "exec")
    except SyntaxError as exc:
        where = f" (line {exc.lineno})" if kind == "script" and exc.lineno else ""
        hint = " To compare two values write == (two equals signs)." if kind == "expression" and re.search(
            r"(?<![=!<>])=(?!=)", text) else ""
        return f"it is not valid Python{where}: {exc.msg}.{hint}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            return (f"line {node.lineno} imports a module; diagrams may not import anything. Use the data and "
                    "the functions Batho provides (add_working_days, now).")
    try:
        (compile_expression if kind == "expression" else compile_script)(text)
    except ScriptRejected as exc:
        return f"it uses something diagrams may not use: {_clean(exc)}"
    except SyntaxError as exc:
        return f"it is not valid Python: {exc.msg}."
    return None


def _iso_problem(kind: str, value: str) -> str | None:
    """Why `value` is not an ISO 8601 text of this timer kind, or None."""
    try:
        if kind == "timeDuration":
            if not value.upper().startswith("P") or not TimerEventDefinition.parse_iso_duration(value):
                raise ValueError(value)
        elif kind == "timeDate":
            if not isinstance(TimerEventDefinition.get_datetime(value), datetime):
                raise ValueError(value)
        elif not value.upper().startswith("R") or "/" not in value:
            raise ValueError(value)
        else:
            TimerEventDefinition.parse_iso_recurring_interval(value)
    except Exception:  # Spiff raises bare Exception('Invalid duration') and ValueError alike
        return f'"{value}" is not a valid ISO 8601 {WHAT[kind]}. Write it like {EXAMPLES[kind]}.'
    return None


def timer_problem(kind: str, text: str) -> str | None:
    """Why a timer's text would fail when the timer is reached, or None.

    The text is a Python expression: a quoted ISO 8601 literal, or an expression naming data (resolution_due).
    """
    if not text:
        return f"its {WHAT[kind]} is empty. Write one like {EXAMPLES[kind]}."
    if UNQUOTED_ISO.match(text):
        return (f'write the {WHAT[kind]} in double quotes: "{text}" (without quotes it is read as Python, '
                "not as a time).")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        return f"its {WHAT[kind]} is neither quoted ISO 8601 text nor a valid expression: {exc.msg}."
    if isinstance(tree.body, ast.Constant):
        if not isinstance(tree.body.value, str):
            return f"its {WHAT[kind]} {text} is not ISO 8601 text. Write it like {EXAMPLES[kind]}."
        return _iso_problem(kind, tree.body.value.strip())
    if not any(isinstance(node, ast.Name) for node in ast.walk(tree)):
        return f"its {WHAT[kind]} must be quoted ISO 8601 text like {EXAMPLES[kind]}, or name data such as due_date."
    problem = compile_problem(text, "expression")
    return f"its {WHAT[kind]} expression cannot be used: {problem}" if problem else None
