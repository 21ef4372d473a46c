"""Variables as Camunda 7's REST API writes them: `{"name": {"value": ..., "type": "String", "valueInfo": {}}}`."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

INT_MAX = 2**31 - 1


def _type(value: Any) -> str:
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer" if -INT_MAX - 1 <= value <= INT_MAX else "Long"
    if isinstance(value, float | Decimal):
        return "Double"
    if isinstance(value, datetime | date):
        return "Date"
    if isinstance(value, dict | list | tuple):
        return "Json"
    return "String"


def typed(value: Any) -> dict[str, Any]:
    """One variable in Camunda's typed form (a Json value is its JSON text, a date its ISO 8601 text)."""
    kind = _type(value)
    if kind == "Json":
        value = json.dumps(value, default=str)
    elif kind == "Date":
        value = value.isoformat()
    elif kind == "Double":
        value = float(value)
    elif kind == "String":
        value = str(value)
    return {"type": kind, "value": value, "valueInfo": {}}


def read_typed(value: Any) -> Any:
    """A variable a worker sent, typed or plain; a typed Json value is read back from its text."""
    if isinstance(value, dict) and "value" in value:
        if str(value.get("type", "")).lower() == "json" and isinstance(value["value"], str):
            try:
                return json.loads(value["value"])
            except json.JSONDecodeError:
                return value["value"]
        return value["value"]
    return value
