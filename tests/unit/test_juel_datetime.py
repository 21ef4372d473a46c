"""Camunda's dateTime() in JUEL: the Joda methods due dates, timers and conditions use, run on a fixed whitelist."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.bpmn import juel, specs, timers
from engine.bpmn.juel_dates import DateUnsupported
from engine.bpmn.lint import lint
from engine.bpmn.scripting import RestrictedScriptEngine
from engine.bpmn.state import StateCodec
from engine.composition import script_functions
from tests.fixtures.make import process

SAST = ZoneInfo("Africa/Johannesburg")
NOW = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)  # 09:30 in Johannesburg, a Wednesday


def engine(now: datetime = NOW, zone: str = "Africa/Johannesburg") -> RestrictedScriptEngine:
    return RestrictedScriptEngine(script_functions(zone, lambda: now), timezone=zone)


def value(text: str, data: dict | None = None, now: datetime = NOW, zone: str = "Africa/Johannesburg"):
    return engine(now, zone).environment.evaluate(text, dict(data or {}))


def test_a_week_from_now_as_the_invoice_example_writes_it():
    due = value("${dateTime().plusWeeks(1).toDate()}")
    assert due == datetime(2026, 12, 9, 9, 30, tzinfo=SAST)
    assert due.utcoffset() == timedelta(hours=2), "in the municipality's zone, on the engine's clock"


@pytest.mark.parametrize(("text", "expected"), [
    ("${dateTime().plusDays(2).toDate()}", datetime(2026, 12, 4, 9, 30)),
    ("${dateTime().minusDays(2).toDate()}", datetime(2026, 11, 30, 9, 30)),
    ("${dateTime().plusHours(36).toDate()}", datetime(2026, 12, 3, 21, 30)),
    ("${dateTime().minusMinutes(45).toDate()}", datetime(2026, 12, 2, 8, 45)),
    ("${dateTime().plusSeconds(30).toDate()}", datetime(2026, 12, 2, 9, 30, 30)),
    ("${dateTime().plusMonths(3).toDate()}", datetime(2027, 3, 2, 9, 30)),
    ("${dateTime().minusYears(1).minusWeeks(1).toDate()}", datetime(2025, 11, 25, 9, 30)),
    ("${dateTime().withTimeAtStartOfDay().plusDays(1).plusHours(8).toDate()}", datetime(2026, 12, 3, 8, 0)),
    ("${dateTime().plusDays(days).toDate()}", datetime(2026, 12, 7, 9, 30)),  # "5" from a form counts as 5
])
def test_plus_and_minus_move_the_date_as_joda_does(text, expected):
    assert value(text, {"days": "5"}) == expected.replace(tzinfo=SAST)


def test_a_month_after_the_thirty_first_is_the_last_day_of_the_next_month():
    assert value("${dateTime().plusMonths(1).toDate()}", now=datetime(2027, 1, 31, 10, tzinfo=UTC)) == \
        datetime(2027, 2, 28, 12, 0, tzinfo=SAST)
    assert value("${dateTime().plusYears(1).toDate()}", now=datetime(2028, 2, 29, 10, tzinfo=UTC)) == \
        datetime(2029, 2, 28, 12, 0, tzinfo=SAST)


def test_days_keep_the_local_time_across_a_clock_change_and_hours_do_not():
    before = datetime(2026, 3, 28, 9, 0, tzinfo=UTC)  # Berlin: 10:00, the clocks go forward on 29 March
    day = value("${dateTime().plusDays(1).toDate()}", now=before, zone="Europe/Berlin")
    hours = value("${dateTime().plusHours(24).toDate()}", now=before, zone="Europe/Berlin")
    assert (day.hour, hours.hour) == (10, 11)


@pytest.mark.parametrize(("text", "expected"), [
    ("${dateTime().getDayOfWeek()}", 3),  # Joda: Monday is 1
    ("${dateTime().getHourOfDay() >= 9 && dateTime().getMinuteOfHour() == 30}", True),
    ("${dateTime().getYear() * 100 + dateTime().getMonthOfYear()}", 202612),
    ("${dateTime().isBefore(due)}", True),
    ("${dateTime().isAfter(due)}", False),
    ("${dateTime().plusDays(8).isAfter(due)}", True),
    ("${dateTime() < due}", True),
    ("${dateTime().plusWeeks(1).toDate() > '2026-12-09T09:00:00'}", True),  # text without offset: local time
    ("${dateTime().plusWeeks(1).toDate() == '2026-12-09T07:30:00+00:00'}", True),
    ("${dateTime().isEqual('2026-12-02T09:30:00')}", True),
    ("Due on ${dateTime().plusDays(1).toDate()}", "Due on 2026-12-03T09:30:00+02:00"),
])
def test_dates_answer_questions_and_compare_with_dates_and_iso_text(text, expected):
    assert value(text, {"due": "2026-12-09"}) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("${dateTime().getMillis()}", "dateTime().getMillis is not supported; dateTime() has these methods"),
    ("${dateTime().year}", "dateTime().year is not supported"),
    ("${dateTime().plusDays}", "dateTime().plusDays needs its brackets"),
    ("${dateTime().plusDays(1, 2)}", "plusDays(…) takes 1 value, not 2"),
    ("${dateTime(5)}", "dateTime() takes no values"),
    ("${due.plusDays(1)}", "plusDays(…) is a method of Camunda's dateTime(); Batho runs it on dateTime() only"),
    ("${dateTime().toDate().getTime()}", "calls a method on a Java bean"),
])
def test_what_dates_cannot_do_is_refused_at_deploy_with_the_part_named(text, words):
    message = juel.problem(text)
    assert message is not None and words in message, message


def test_spin_json_is_refused_with_what_to_write_instead():
    message = juel.problem('${customer.prop("age").numberValue() >= 21}')
    assert message == ('the expression ${customer.prop("age").numberValue() >= 21} cannot be translated: '
                       'customer.prop("age") reads JSON through Camunda Spin, which Batho does not support. Batho '
                       "keeps JSON as plain maps and lists, so write customer.age instead (no .prop(…), "
                       ".numberValue() or .stringValue() needed).")
    assert "write order['line items'] instead" in juel.problem("${order.prop('line items').elements()}")
    assert "S(…) is Camunda Spin" in juel.problem("${S(customer).prop('age')}")
    assert value("${customer.age >= 21}", {"customer": {"age": 34}}) is True  # what the sentence says to write


@pytest.mark.parametrize(("text", "words"), [
    ("${dateTime().plusDays('many')}", "plusDays(…) needs a whole number, not 'many'"),
    ("${dateTime().plusDays(1.5)}", "plusDays(…) needs a whole number, not 1.5"),
    ("${dateTime().plusYears(99999999)}", "moves the date too far"),
    ("${dateTime().plusYears(9000)}", "outside the years 1 to 9999"),
    ("${dateTime().isBefore('soon')}", "isBefore(…) compares with a date, not 'soon'"),
])
def test_bad_values_at_run_time_say_what_was_wrong(text, words):
    with pytest.raises(DateUnsupported, match=words.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        value(text)


def test_only_the_whitelist_runs_and_the_moment_cannot_be_reached():
    env = engine().environment
    with pytest.raises(DateUnsupported, match="works on dateTime"):
        env.evaluate("juel_date_call('text', 'upper')", {})  # a script cannot aim the helper at other objects
    with pytest.raises(DateUnsupported, match="has no method __class__"):
        env.evaluate("juel_date_call(juel_datetime(), '__class__')", {})
    assert env.evaluate("juel_datetime().toDate", {}) is None  # no method hangs off the value itself
    with pytest.raises(SyntaxError):
        env.evaluate("juel_datetime()._moment", {})


def test_a_due_date_from_datetime_is_set_when_the_task_is_created():
    due = timers.due_at("${dateTime().plusWeeks(1).toDate()}", lambda text: value(text), NOW)
    assert due == datetime(2026, 12, 9, 7, 30, tzinfo=UTC)


def test_the_invoice_examples_due_date_passes_the_lint():
    diagram = process("due", """
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="supervisor"
      camunda:dueDate="${dateTime().plusWeeks(1).toDate()}" camunda:followUpDate="${dateTime().plusDays(2).toDate()}" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
""")
    assert [p.message for p in lint({"due.bpmn": diagram}, [("supervisor", "Supervisor")])] == []
    broken = diagram.replace("plusWeeks(1)", "plusFortnights(1)")
    [problem] = [p.message for p in lint({"due.bpmn": broken}, [("supervisor", "Supervisor")])]
    assert "dateTime().plusFortnights is not supported" in problem


def test_a_timer_date_from_datetime_waits_until_then():
    diagram = process("wait", """
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="later" name="Wait">
      <bpmn:timerEventDefinition id="t"><bpmn:timeDate>${dateTime().plusMinutes(90).toDate()}</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="later" />
    <bpmn:sequenceFlow id="f2" sourceRef="later" targetRef="end" />
""")
    assert lint({"wait.bpmn": diagram}, []) == []
    workflow = StateCodec(engine()).new(specs.parse({"wait.bpmn": diagram}, {})["wait"])
    with time_machine.travel(NOW, tick=False):
        workflow.run(lambda step: None, lambda step: None)
    assert workflow.next_timer() == NOW + timedelta(minutes=90)
    with time_machine.travel(NOW + timedelta(minutes=91), tick=False):
        workflow.run(lambda step: None, lambda step: None, refresh_timers=True)
    assert workflow.completed
