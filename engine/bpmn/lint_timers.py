"""The lint's check of timer text: bare or quoted ISO 8601, a Quartz cron cycle, ${…} or a Python expression."""

from __future__ import annotations

import ast
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from . import juel
from .lint_text import compile_problem
from .timers import CronUnsupported, QuartzCron, is_iso, looks_like_cron

EXAMPLES = {
    "timeDuration": "P5D (five days) or PT72H (72 hours)",
    "timeDate": "2026-12-24T09:00:00+02:00",
    "timeCycle": "R3/PT1H (three times, hourly) or the cron 0 0 9 ? * FRI (Fridays at nine)",
}
WHAT = {"timeDuration": "duration", "timeDate": "date", "timeCycle": "cycle"}


def _iso_problem(kind: str, value: str) -> str | None:
    """Why `value` is not an ISO 8601 text (or, for a cycle, a cron) of this timer kind, or None."""
    if kind == "timeCycle" and looks_like_cron(value):
        try:
            QuartzCron(value)
        except CronUnsupported as exc:
            return f"its cron cycle cannot be used: {exc}."
        return None
    try:
        if kind == "timeDuration":
            if not value.upper().startswith("P") or not TimerEventDefinition.parse_iso_duration(value):
                raise ValueError(value)
        elif kind == "timeDate":
            if not isinstance(datetime.fromisoformat(value), datetime):
                raise ValueError(value)
        elif not value.upper().startswith("R") or "/" not in value:
            raise ValueError(value)
        else:
            TimerEventDefinition.parse_iso_recurring_interval(value)
    except Exception:  # Spiff raises bare Exception('Invalid duration') and ValueError alike
        return f"{value} is not a valid ISO 8601 {WHAT[kind]}. Write it like {EXAMPLES[kind]}."
    return None


def timer_problem(kind: str, text: str) -> str | None:
    """Why a timer's text would fail when the timer is reached, or None.

    The text is what Camunda Modeler writes (P5D, R3/PT10M, a date, a cron, ${expression}) or Batho's Python
    (a quoted ISO 8601 literal, or an expression naming data such as resolution_due).
    """
    if not text:
        return f"its {WHAT[kind]} is empty. Write one like {EXAMPLES[kind]}."
    if is_iso(text) or looks_like_cron(text):
        return _iso_problem(kind, text)
    if juel.is_el(text):
        problem = juel.problem(text)
        return f"its {WHAT[kind]} expression cannot be used: {problem}" if problem else None
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        return f"its {WHAT[kind]} is neither ISO 8601 text ({EXAMPLES[kind]}) nor a valid expression: {exc.msg}."
    if isinstance(tree.body, ast.Constant):
        if not isinstance(tree.body.value, str):
            return f"its {WHAT[kind]} {text} is not ISO 8601 text. Write it like {EXAMPLES[kind]}."
        return _iso_problem(kind, tree.body.value.strip())
    if not any(isinstance(node, ast.Name) for node in ast.walk(tree)):
        return f"its {WHAT[kind]} must be ISO 8601 text like {EXAMPLES[kind]}, or name data such as due_date."
    problem = compile_problem(text, "expression")
    return f"its {WHAT[kind]} expression cannot be used: {problem}" if problem else None
