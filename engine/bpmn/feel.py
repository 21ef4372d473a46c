"""The part of FEEL that Camunda decision tables use, read by Batho itself (never evaluated as code).

Input entries are unary tests: `-` or empty (any value), `"a","b"` (one of), `not("x")`, `< 10`, `>= 3`,
`[250..1000]`, `(1..5]`, `]1..5[`, `true`, `null`, numbers, strings, `date("2026-01-31")`,
`date and time("2026-01-31T08:00:00")` and variable names as end points. Output entries are literals:
strings, numbers, `true`/`false`, `null` and the same dates. Anything else is `NotFeel` (the caller may treat it
as a Python expression, as SpiffWorkflow's own decision tables are written).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<number>-?\d+(?:\.\d+)?|-?\.\d+)
    | (?P<range>\.\.)
    | (?P<op><=|>=|!=|<|>|=)
    | (?P<punct>[\[\](),])
    | (?P<datetime>date\s+and\s+time(?=\s*\())
    | (?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)
    )""", re.VERBOSE)
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "=": lambda a, b: _equal(a, b), "!=": lambda a, b: not _equal(a, b),
}
_CONSTANTS = {"true": True, "false": False, "null": None}


class NotFeel(ValueError):
    """The text is not a FEEL unary test or literal that Batho reads; the message says where it stopped."""


@dataclass(frozen=True)
class Name:
    """A variable used as an end point (`< limit`): looked up in the decision's inputs when tested."""

    path: str


@dataclass(frozen=True)
class DateValue:
    """A FEEL date or date-and-time literal."""

    value: date | datetime

    def as_data(self) -> str:
        return self.value.isoformat()


def _tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    while position < len(text):
        if not text[position:].strip():
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise NotFeel(f"cannot read {text[position:].strip()[:20]!r}")
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


class _Reader:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, kind: str | None = None, value: str | None = None) -> str:
        found_kind, found = self.peek()
        if (kind and found_kind != kind) or (value is not None and found != value):
            raise NotFeel(f"expected {value or kind}, found {found or 'the end'!r}")
        self.at += 1
        return found

    def value(self) -> Any:
        kind, text = self.peek()
        if kind == "string":
            self.take()
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "number":
            self.take()
            return float(text) if "." in text else int(text)
        if kind == "datetime" or (kind == "name" and text == "date" and self._call_follows()):
            self.take()
            self.take("punct", "(")
            raw = self.take("string")[1:-1]
            self.take("punct", ")")
            try:
                return DateValue(datetime.fromisoformat(raw) if kind == "datetime" else date.fromisoformat(raw))
            except ValueError:
                raise NotFeel(f"{raw!r} is not a date") from None
        if kind == "name":
            self.take()
            return _CONSTANTS[text] if text in _CONSTANTS else Name(text)
        raise NotFeel(f"expected a value, found {text or 'the end'!r}")

    def _call_follows(self) -> bool:
        return self.at + 1 < len(self.tokens) and self.tokens[self.at + 1] == ("punct", "(")

    def done(self) -> None:
        if self.at != len(self.tokens):
            raise NotFeel(f"unexpected {self.peek()[1]!r}")


Test = Callable[[Any, Mapping[str, Any]], bool]


def _resolve(value: Any, context: Mapping[str, Any]) -> Any:
    if isinstance(value, Name):
        found: Any = context
        for part in value.path.split("."):
            found = found.get(part) if isinstance(found, Mapping) else None
        return found
    return value.value if isinstance(value, DateValue) else value


def _comparable(candidate: Any, endpoint: Any) -> Any:
    """The input as the end point's type: a number typed in a form arrives as text, a date as ISO text."""
    if isinstance(endpoint, bool) or isinstance(candidate, bool):
        return candidate
    if isinstance(endpoint, (int, float)) and isinstance(candidate, str):
        try:
            return float(candidate)
        except ValueError:
            return candidate
    if isinstance(endpoint, datetime) and isinstance(candidate, str):
        try:
            return datetime.fromisoformat(candidate)
        except ValueError:
            return candidate
    if isinstance(endpoint, date) and isinstance(candidate, str):
        try:
            return date.fromisoformat(candidate[:10])
        except ValueError:
            return candidate
    return candidate


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def _compare(op: str, candidate: Any, endpoint: Any) -> bool:
    if candidate is None or endpoint is None:
        return op in ("=", "!=") and (candidate is endpoint) == (op == "=")
    candidate = _comparable(candidate, endpoint)
    try:
        return _COMPARE[op](candidate, endpoint)
    except TypeError:  # FEEL: comparing different kinds gives null, which is not a match
        return False


def _positive_test(reader: _Reader) -> Test:
    kind, text = reader.peek()
    if kind == "op":
        op = reader.take()
        endpoint = reader.value()
        return lambda value, context: _compare(op, value, _resolve(endpoint, context))
    if kind == "punct" and text in "[](":
        opening = reader.take()
        low = reader.value()
        reader.take("range")
        high = reader.value()
        closing = reader.take("punct")
        if closing not in "])[":
            raise NotFeel(f"an interval ends with ] or ), not {closing!r}")
        low_op = ">=" if opening == "[" else ">"
        high_op = "<=" if closing == "]" else "<"
        return lambda value, context: (_compare(low_op, value, _resolve(low, context))
                                       and _compare(high_op, value, _resolve(high, context)))
    endpoint = reader.value()
    return lambda value, context: _compare("=", value, _resolve(endpoint, context))


def _positive_tests(reader: _Reader) -> list[Test]:
    tests = [_positive_test(reader)]
    while reader.peek() == ("punct", ","):
        reader.take()
        tests.append(_positive_test(reader))
    return tests


def unary_test(text: str | None) -> Test:
    """A FEEL unary test as a function of (input value, context); NotFeel when the text is not one."""
    text = (text or "").strip()
    if text in ("", "-"):
        return lambda value, context: True
    reader = _Reader(text)
    negated = reader.peek() == ("name", "not") and reader.tokens[1:2] == [("punct", "(")]
    if negated:
        reader.take()
        reader.take("punct", "(")
    tests = _positive_tests(reader)
    if negated:
        reader.take("punct", ")")
    reader.done()
    if negated:
        return lambda value, context: not any(test(value, context) for test in tests)
    return lambda value, context: any(test(value, context) for test in tests)


def literal(text: str | None) -> Any:
    """The value of a FEEL literal output entry (string, number, true/false, null, date); NotFeel otherwise.

    Empty is null, as in Camunda. Dates come back as ISO text, which workflow data can hold."""
    text = (text or "").strip()
    if not text:
        return None
    reader = _Reader(text)
    value = reader.value()
    reader.done()
    if isinstance(value, Name):
        raise NotFeel(f"{value.path!r} is a name, not a value")
    return value.as_data() if isinstance(value, DateValue) else value


def literal_list(text: str | None) -> list[Any]:
    """The values of an output's list of allowed values (`"high","medium","low"`), in their order."""
    text = (text or "").strip()
    if not text:
        return []
    reader = _Reader(text)
    values = [reader.value()]
    while reader.peek() == ("punct", ","):
        reader.take()
        values.append(reader.value())
    reader.done()
    return [v.as_data() if isinstance(v, DateValue) else v for v in values]
