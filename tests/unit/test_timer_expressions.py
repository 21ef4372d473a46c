"""Timer text as Camunda Modeler writes it: bare ISO 8601, Quartz cron cycles and ${…} expressions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from engine.bpmn.lint_timers import timer_problem
from engine.bpmn.scripting import RestrictedEnvironment
from engine.bpmn.timers import CronUnsupported, QuartzCron, due_at, is_iso, looks_like_cron, text_value

SAST = ZoneInfo("Africa/Johannesburg")


def sast(*args: int) -> datetime:
    return datetime(*args, tzinfo=SAST)


@pytest.mark.parametrize("text", ["P5D", "PT10M", "P1Y2M", "R3/PT10M", "R/P1D", "2026-12-24T09:00:00",
                                  "2026-12-24T09:00:00+02:00", "2026-12-24", "R2/2026-12-01T08:00:00Z/P1D"])
def test_bare_iso_8601_is_recognised(text):
    assert is_iso(text) and not looks_like_cron(text)


@pytest.mark.parametrize("text", ['"P5D"', "resolution_due", "${due}", "add_working_days(opened_at, 5)"])
def test_expressions_are_not_iso(text):
    assert not is_iso(text)


@pytest.mark.parametrize(("cron", "after", "expected"), [
    ("0 0 9 ? * FRI", sast(2026, 12, 2, 10, 0), sast(2026, 12, 4, 9, 0)),  # Wednesday -> Friday 09:00
    ("0 0 9 ? * FRI", sast(2026, 12, 4, 9, 0), sast(2026, 12, 11, 9, 0)),  # strictly after
    ("0 0 9 ? * 6", sast(2026, 12, 2, 10, 0), sast(2026, 12, 4, 9, 0)),  # Quartz counts 1 = Sunday, 6 = Friday
    ("0 0/15 * * * ?", sast(2026, 12, 2, 10, 7), sast(2026, 12, 2, 10, 15)),
    ("30 */5 8-9 * * ?", sast(2026, 12, 2, 9, 58), sast(2026, 12, 3, 8, 0, 30)),
    ("0 0 12 1,15 * ?", sast(2026, 12, 2, 10, 0), sast(2026, 12, 15, 12, 0)),
    ("0 0 8 ? * MON-FRI", sast(2026, 12, 4, 9, 0), sast(2026, 12, 7, 8, 0)),  # Friday -> Monday
    ("0 0 0 1 JAN ? 2027", sast(2026, 12, 2, 10, 0), sast(2027, 1, 1, 0, 0)),
    ("0 30 6 * * ?", sast(2026, 12, 31, 7, 0), sast(2027, 1, 1, 6, 30)),
])
def test_quartz_cron_finds_the_next_firing_in_local_time(cron, after, expected):
    found = QuartzCron(cron).next_after(after)
    assert found.tzinfo is UTC and found == expected


@pytest.mark.parametrize(("cron", "words"), [
    ("0 0 9 L * ?", "uses L, W or #"),
    ("0 0 9 15W * ?", "uses L, W or #"),
    ("0 0 9 ? * 6#3", "uses L, W or #"),
    ("0 0 9 1 * FRI", "one of them must be ?"),
    ("0 61 9 ? * *", "outside 0-59"),
    ("0 0 25 ? * *", "outside 0-23"),
    ("0 0 9 ? * FUNDAY", "is not a valid day of week"),
    ("0 0 9 ? *", "has 5 fields"),
    ("0 0 0 1 JAN ? 2020", "does not fire"),
])
def test_cron_that_cannot_be_run_is_refused_with_a_sentence(cron, words):
    with pytest.raises(CronUnsupported, match=words.replace("?", r"\?").replace("(", r"\(")):
        QuartzCron(cron).next_after(sast(2026, 12, 2, 10, 0))


def evaluate(text: str) -> object:
    return RestrictedEnvironment().evaluate(text, {"wait": "P2D", "when": date(2026, 12, 24), "days": 3})


@pytest.mark.parametrize(("text", "expected"), [
    ("P5D", "P5D"), ("R3/PT10M", "R3/PT10M"), ("0 0 9 ? * FRI", "0 0 9 ? * FRI"), ('"PT72H"', "PT72H"),
    ("${wait}", "P2D"), ("#{wait}", "P2D"), ("${when}", "2026-12-24"), ("P${days}D", "P3D"), (" P5D ", "P5D"),
])
def test_timer_text_becomes_what_the_engine_expects(text, expected):
    assert text_value(text, evaluate) == expected


def test_a_due_date_is_a_date_time_a_duration_or_an_expression():
    start = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert due_at("P5D", evaluate, start) == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    assert due_at("PT10M", evaluate, start) == datetime(2026, 12, 2, 8, 10, tzinfo=UTC)
    assert due_at("2026-12-24T09:00:00", evaluate, start) == sast(2026, 12, 24, 9, 0)  # local time, no offset
    assert due_at("2026-12-24T09:00:00Z", evaluate, start) == datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    assert due_at("${wait}", evaluate, start) == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="neither a date-time nor a duration"):
        due_at("${days}", evaluate, start)


@pytest.mark.parametrize(("kind", "text"), [
    ("timeDuration", "P5D"), ("timeDuration", "PT10M"), ("timeCycle", "R3/PT10M"), ("timeCycle", "R/P1D"),
    ("timeDate", "2026-12-24T09:00:00"), ("timeCycle", "0 0 9 ? * FRI"), ("timeDuration", "${wait}"),
    ("timeDuration", '"PT72H"'), ("timeDate", "resolution_due"),
])
def test_the_lint_accepts_what_camunda_modeler_writes(kind, text):
    assert timer_problem(kind, text) is None


@pytest.mark.parametrize(("kind", "text", "words"), [
    ("timeDuration", "P5DT", "is not a valid ISO 8601 duration"),
    ("timeDate", "P5D", "is not a valid ISO 8601 date"),
    ("timeCycle", "PT10M", "is not a valid ISO 8601 cycle"),
    ("timeCycle", "0 0 9 L * ?", "its cron cycle cannot be used: the day of month 'L' uses L, W or #"),
    ("timeCycle", "0 0 9 1 * FRI", "one of them must be ?"),
    ("timeDuration", "${wait.plusDays(1)}", "is a method of Camunda's dateTime()"),
    ("timeDuration", "", "is empty"),
])
def test_the_lint_refuses_timer_text_with_a_sentence(kind, text, words):
    problem = timer_problem(kind, text)
    assert problem is not None and words in problem, problem
