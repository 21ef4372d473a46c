"""Timers as Camunda Modeler writes them: bare ISO 8601 (P5D, R3/PT10M, 2026-12-24T09:00:00), Quartz cron cycles
(0 0 9 ? * FRI) and ${…} expressions, besides Batho's quoted Python ("PT72H", resolution_due)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition, TimerEventDefinition

DEFAULT_ZONE = "Africa/Johannesburg"
ISO_TEXT = re.compile(r"^(R\d*/\S+|[+-]?P[0-9TWYMDHS.,]+|\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)$",
                      re.IGNORECASE)
MONTHS = {m: i + 1 for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
                                               "OCT", "NOV", "DEC"))}
DAYS = {d: i + 1 for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}  # Quartz: 1 is Sunday
Field = tuple[str, int, int, dict[str, int]]
FIELDS: tuple[Field, ...] = (
    ("second", 0, 59, {}), ("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
    ("month", 1, 12, MONTHS), ("day of week", 1, 7, DAYS), ("year", 1970, 2199, {}))


class CronUnsupported(ValueError):
    """A cron text Batho cannot read; the message says which part and why."""


def is_iso(text: str) -> bool:
    """True for bare ISO 8601 timer text as the modeler writes it (a duration, a date-time or a cycle)."""
    return bool(ISO_TEXT.match(text.strip()))


def looks_like_cron(text: str) -> bool:
    parts = text.split()
    return len(parts) in (6, 7) and not is_iso(text) and all(re.fullmatch(r"[0-9A-Za-z*?/,#-]+", p) for p in parts)


def _value(text: str, names: dict[str, int], label: str) -> int:
    if text.upper() in names:
        return names[text.upper()]
    if not text.isdigit():
        raise CronUnsupported(f"{text!r} is not a valid {label}")
    return int(text)


def _field(text: str, label: str, low: int, high: int, names: dict[str, int]) -> frozenset[int]:
    if re.search(r"[LW#]", text.upper().replace("WED", "").replace("JUL", "")):
        raise CronUnsupported(f"the {label} {text!r} uses L, W or #, which Batho's cron does not support; "
                              "list the days instead (for example 1,15) or use an ISO cycle such as R/P1M")
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise CronUnsupported(f"the step in {part!r} ({label}) is not a positive number")
        if body in ("*", "?"):
            start, end = low, high
        elif "-" in body:
            first, _, last = body.partition("-")
            start, end = _value(first, names, label), _value(last, names, label)
        else:
            start = _value(body, names, label)
            end = high if step else start
        if not (low <= start <= high and low <= end <= high) or start > end:
            raise CronUnsupported(f"the {label} {part!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step or 1))
    return frozenset(values)


class QuartzCron:
    """A Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year]) in one time zone."""

    def __init__(self, text: str, zone: str = DEFAULT_ZONE) -> None:
        parts = text.split()
        if len(parts) not in (6, 7):
            raise CronUnsupported(f"{text!r} has {len(parts)} fields; a Quartz cron has 6 or 7 (seconds minutes "
                                  "hours day-of-month month day-of-week [year]), for example 0 0 9 ? * FRI")
        self.text = text
        self.zone = ZoneInfo(zone)
        sets = [_field(p, label, low, high, names) for p, (label, low, high, names) in zip(parts, FIELDS, strict=False)]
        self.seconds, self.minutes, self.hours, self.days, self.months, self.weekdays = (sorted(s) for s in sets[:6])
        self.years = sets[6] if len(sets) == 7 else None
        self.any_day, self.any_weekday = parts[3] in ("*", "?"), parts[5] in ("*", "?")
        if not self.any_day and not self.any_weekday:
            raise CronUnsupported(f"{text!r} sets both a day of month and a day of week; as in Camunda, one of them "
                                  "must be ? (for example 0 0 9 ? * FRI)")

    def _day_matches(self, day: date) -> bool:
        weekday = day.isoweekday() % 7 + 1  # Quartz: SUN=1 ... SAT=7
        return (day.month in self.months and (self.years is None or day.year in self.years)
                and (self.any_day or day.day in self.days) and (self.any_weekday or weekday in self.weekdays))

    def next_after(self, moment: datetime) -> datetime:
        """The first firing time strictly after `moment`, in UTC; CronUnsupported when it never fires again."""
        local = moment.astimezone(self.zone)
        day = local.date()
        for _ in range(366 * 5):
            if self._day_matches(day):
                for hour in self.hours:
                    for minute in self.minutes:
                        for second in self.seconds:
                            at = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=self.zone)
                            if at > local:
                                return at.astimezone(UTC)
            day += timedelta(days=1)
        raise CronUnsupported(f"{self.text!r} does not fire in the next five years")


def text_value(text: str, evaluate: Callable[[str], Any]) -> Any:
    """What a timer's text stands for: bare ISO 8601 and cron text as they are, ${…} and Python evaluated
    (`evaluate` runs an expression in the restricted environment); dates become ISO 8601 text."""
    stripped = text.strip()
    if is_iso(stripped) or looks_like_cron(stripped):
        return stripped
    value = evaluate(stripped)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else value


class QuartzCycleTimerEventDefinition(CycleTimerEventDefinition):
    """A timer cycle that is an ISO 8601 repeating interval (SpiffWorkflow's own) or a Quartz cron, fired until
    the event is left; the next firing of a cron is worked out afresh after each one."""

    def cycle_complete(self, my_task: Any) -> bool:
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            text = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            if not (isinstance(text, str) and looks_like_cron(text)):
                return bool(super().cycle_complete(my_task))
            cron = QuartzCron(text, _zone(my_task))
            event_value = {"cycles": -1, "next": cron.next_after(datetime.now(UTC)).isoformat(), "duration": 0,
                           "cron": text}
            my_task._set_internal_data(event_value=event_value)
            return False
        if "cron" not in event_value:
            return bool(super().cycle_complete(my_task))
        now = datetime.now(UTC)
        if datetime.fromisoformat(event_value["next"]) >= now:
            return False
        # Fired late (the worker was down): fire once, as Quartz's default misfire rule does, then the next one.
        event_value["next"] = QuartzCron(event_value["cron"], _zone(my_task)).next_after(now).isoformat()
        my_task._set_internal_data(event_value=event_value)
        return True


def _zone(my_task: Any) -> str:
    return str(getattr(my_task.workflow.script_engine, "timezone", DEFAULT_ZONE))


def adopt_cycles(task_specs: Any) -> None:
    """Give every cycle timer of these specs the cron-aware definition (parsed specs are never stored)."""
    for spec in task_specs:
        definition = getattr(spec, "event_definition", None)
        if type(definition) is CycleTimerEventDefinition:
            adopted = QuartzCycleTimerEventDefinition.__new__(QuartzCycleTimerEventDefinition)
            adopted.__dict__.update(definition.__dict__)
            spec.event_definition = adopted


def is_timer_text(task: Any, expression: str) -> bool:
    """The expression being evaluated is the timer text of the task's own timer event."""
    definition = getattr(getattr(task, "task_spec", None), "event_definition", None)
    if isinstance(definition, MultipleEventDefinition):  # an event-based gateway waits on its events' timers
        return any(isinstance(d, TimerEventDefinition) and d.expression == expression
                   for d in definition.event_definitions)
    return isinstance(definition, TimerEventDefinition) and definition.expression == expression


def due_at(text: str, evaluate: Callable[[str], Any], start: datetime, zone: str = DEFAULT_ZONE) -> datetime:
    """A due or follow-up date from camunda:dueDate text: an ISO date-time (without an offset: local time), a
    duration counted from `start`, or an expression giving either; ValueError says what it gave instead."""
    value = text_value(text, evaluate)
    if isinstance(value, str) and value.upper().startswith("P"):
        parsed = TimerEventDefinition.parse_iso_duration(value)
        return start + TimerEventDefinition.get_timedelta_from_start(parsed, start)
    if isinstance(value, str) and value:
        moment = datetime.fromisoformat(value)
        return (moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))).astimezone(UTC)
    raise ValueError(f"{text.strip()} gives {value!r}, which is neither a date-time nor a duration")
