"""The corpus benchmark's generic form filler: values by field type, and by the names the diagram's conditions use.

Each condition on a path (`${amount > 1000}`, `approved == true`, `${!approved}`, `decision eq "accept"`) names a
variable and a value that takes that path. Attempt 0 takes the first value each variable is compared with, attempt
1 the second, and so on (a variable compared once is also tried with a value that fails the comparison), so that
some attempt takes a path that reaches an end. The values go in as process variables at the start (as a Camunda
client starting the process with variables would) and into the form fields of the same name.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from lxml import etree

from engine.bpmn.dialect import safe_xml
from engine.bpmn.forms import Field

LITERAL = r"""'[^']*'|"[^"]*"|-?\d+(?:\.\d+)?|true|false|True|False|null|None"""
OPS = r"==|!=|>=|<=|>|<|\beq\b|\bne\b|\bgt\b|\blt\b|\bge\b|\ble\b"
NAME = r"[A-Za-z_]\w*"
COMPARED = re.compile(rf"({NAME})\s*({OPS})\s*({LITERAL})")
REVERSED = re.compile(rf"({LITERAL})\s*({OPS})\s*({NAME})")
BARE = re.compile(rf"^\s*[$#]?\{{?\s*(!|not\s+)?\s*({NAME})\s*\}}?\s*$")
WORDS = {"eq": "==", "ne": "!=", "gt": ">", "lt": "<", "ge": ">=", "le": "<="}
FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
RESERVED = {"true", "false", "null", "empty", "not", "and", "or", "None", "True", "False", "channel", "reference",
            "case_type", "opened_at", "anonymous", "execution"}
MAX_ATTEMPTS = 4


def _literal(text: str) -> Any:
    if text in ("null", "None"):
        return None
    if text[:1] in "'\"":
        return text[1:-1]
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return float(text) if "." in text else int(text)


def _taking(op: str, value: Any) -> list[Any]:
    """Values that make `variable op value` true, then one that makes it false."""
    if value is None:  # ${x != null}: the variable is set, or not
        return ["x", None] if op == "!=" else [None, "x"]
    if isinstance(value, bool):
        return [value, not value] if op == "==" else [not value, value]
    if isinstance(value, int | float):
        inside = {"==": value, "!=": value + 1, ">": value + 1, "<": value - 1, ">=": value, "<=": value}[op]
        outside = {"==": value + 1, "!=": value, ">": value, "<": value, ">=": value - 1, "<=": value + 1}[op]
        return [inside, outside]
    return [value, f"{value} (other)"] if op == "==" else [f"{value} (other)", value]


def _root(source: str) -> Any | None:
    try:
        return safe_xml(source)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _conditions(source: str) -> list[str]:
    """Conditions on paths and of conditional events."""
    root = _root(source)
    found = [] if root is None else root.iter("{*}conditionExpression", "{*}condition")
    return [(el.text or "").strip() for el in found if (el.text or "").strip()]


def _loops(source: str) -> list[tuple[str, Any]]:
    """The variables multi-instance activities count or go through: a number, or a list of two items."""
    root = _root(source)
    found: list[tuple[str, Any]] = []
    for loop in [] if root is None else root.iter("{*}multiInstanceLoopCharacteristics"):
        for el in loop.findall("{*}loopCardinality"):
            found += [(name, 2) for name in re.findall(NAME, el.text or "")[:1]]
        collection = loop.get("{http://camunda.org/schema/1.0/bpmn}collection") or ""
        for el in loop.findall("{*}loopDataInputRef"):
            collection = collection or el.text or ""
        found += [(name, ["a", "b"]) for name in re.findall(NAME, collection)[:1]]
    return found


def _inputs(source: str) -> list[str]:
    """The data inputs a process declares (its ioSpecification): a client starting it gives them."""
    root = _root(source)
    return [] if root is None else [str(name) for process in root.iter("{*}process")
                                    for spec in process.findall("{*}ioSpecification")
                                    for el in spec.findall("{*}dataInput")
                                    for name in {el.get("id"), el.get("name")} if name]


def candidates(sources: list[str]) -> dict[str, list[Any]]:
    """For each variable the conditions compare, the values to try, in the order the diagram mentions them."""
    found: dict[str, list[Any]] = {}

    def add(name: str, values: list[Any]) -> None:
        if name in RESERVED:
            return
        kept = found.setdefault(name, [])
        kept.extend(v for v in values if v not in kept)

    for text in (t for s in sources for t in _conditions(s)):
        for name, op, literal in COMPARED.findall(text):
            add(name, _taking(WORDS.get(op, op), _literal(literal)))
        for literal, op, name in REVERSED.findall(text):
            add(name, _taking(FLIP[WORDS.get(op, op)], _literal(literal)))
        bare = BARE.match(text)
        if bare:
            add(bare.group(2), [not bare.group(1), bool(bare.group(1))])
    for name in (n for s in sources for n in _inputs(s)):
        add(name, ["x"])
    for name, value in (pair for s in sources for pair in _loops(s)):
        add(name, [value])
    return found


def attempts(found: dict[str, list[Any]]) -> int:
    return min(MAX_ATTEMPTS, max((len(v) for v in found.values()), default=1))


def chosen(found: dict[str, list[Any]], attempt: int) -> dict[str, Any]:
    """The variables of attempt number `attempt`."""
    return {name: values[attempt % len(values)] for name, values in found.items() if values}


def _iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _by_type(f: Field) -> Any:
    if f.default not in (None, "") and (f.type != "date" or _iso_date(str(f.default))):
        return f.default
    if f.type in ("long", "decimal"):
        low = _number(f.min)
        return str(int(low) if low is not None else 1)
    if f.type == "date":
        return date.today().isoformat()
    if f.type == "boolean":
        return "true"
    return "x" * max(f.minlength or 1, 1)


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def value_for(f: Field, variables: dict[str, Any]) -> Any:
    """A valid value for `f`: the one the conditions want when they name it, else one by its type."""
    options = [o.id for o in f.options]
    if f.id in variables:
        wanted = variables[f.id]
        if options:
            return str(wanted) if str(wanted) in options else options[0]
        if f.type == "boolean":
            return "true" if wanted is True or str(wanted).lower() == "true" else "false"
        if f.type in ("long", "decimal") and isinstance(wanted, int | float) and not isinstance(wanted, bool):
            return str(int(wanted) if f.type == "long" else wanted)
        if f.type not in ("long", "decimal", "date"):
            return str(wanted)
    if f.type == "enum" and not options:
        return ""  # a choice with nothing to choose from: left blank (it cannot be required and pass anyway)
    return options[0] if options else _by_type(f)
