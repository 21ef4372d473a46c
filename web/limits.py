"""Input no handler should see: JSON nested deeper than any real body, whole numbers no database column holds."""

from __future__ import annotations

import re
from itertools import accumulate

from flask import Flask, request

from engine.errors import NotFound, ValidationFailed

MAX_JSON_DEPTH = 64
MAX_INT = 2**63 - 1  # BIGINT on PostgreSQL, INTEGER on SQLite: larger values overflow in the driver
JSON_PATHS = ("/api/", "/modeler/api/")
MAX_DIGITS = 18
LONG_WHOLE_NUMBER = re.compile(r"\s*[+-]?\d{19,}\s*", re.ASCII)  # more than MAX_DIGITS
STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text`, counted without parsing (the parser recurses)."""
    brackets = NOT_BRACKETS.sub("", STRINGS.sub("", text))
    return max(accumulate((1 if c in "[{" else -1 for c in brackets), initial=0))


def refuse_deep_json() -> None:
    if request.path.startswith(JSON_PATHS) and request.is_json:
        body = request.get_data(cache=True, as_text=True)
        if json_depth(body) > MAX_JSON_DEPTH:
            raise ValidationFailed({"body": "The JSON body is nested too deeply."},
                                   "The JSON body is nested too deeply.")


def refuse_huge_numbers() -> None:
    for name, value in request.args.items(multi=True):
        if LONG_WHOLE_NUMBER.fullmatch(value):
            sentence = f"{name} must be a whole number of at most {MAX_DIGITS} digits."
            raise ValidationFailed({name: sentence}, sentence)
    for name, value in (request.view_args or {}).items():
        if isinstance(value, int) and abs(value) > MAX_INT:  # an <int:...> path part: no row has that id
            raise NotFound(f"There is nothing with {name} {value}.")


def register(app: Flask) -> None:
    """Check every request before its handler runs."""
    app.before_request(refuse_huge_numbers)
    app.before_request(refuse_deep_json)
