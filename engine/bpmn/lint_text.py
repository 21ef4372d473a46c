"""The lint's vocabulary: problems found on elements, element labels, and checks of expressions and timers."""

from __future__ import annotations

import ast
import re
from typing import Any

from lxml import etree

from . import juel
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


class Found:
    """A rule violation on one element; a "warning" is said but does not stop a deploy."""

    def __init__(self, element: Any, rule: str, message: str, severity: str = "error") -> None:
        self.element_id = element.get("id") or "" if element is not None else ""
        self.element_name = (element.get("name") or element.get("label") or "") if element is not None else ""
        self.rule = rule
        self.message = message
        self.severity = severity


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
    if kind == "expression" and juel.is_el(text):  # Camunda's ${…}: translated, then checked as its Python
        problem = juel.problem(text)
        if problem is not None:
            return problem
        text = juel.to_python(text)
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
