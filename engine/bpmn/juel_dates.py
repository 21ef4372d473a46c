"""Camunda's `dateTime()` in translated JUEL: a Joda DateTime of now and the fixed set of its methods that due dates,
timers and conditions use (plus/minus years to seconds, toDate(), start of day, the getters, isBefore/isAfter/isEqual).

Nothing here calls a method by the name a diagram gives: `call` looks the name up in METHODS, a table of functions
written below, and refuses any other. The value holds its moment in a private field, so a diagram can read nothing
else of it. Plus and minus work as in Joda: years, months, weeks and days move the local calendar date and keep the
local time (31 January plus one month is the last day of February); hours, minutes and seconds move the instant.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

MAX_AMOUNT = 10_000_000  # seconds in 4 months; days in 27,000 years: past this a date leaves the calendar anyway


class DateUnsupported(ValueError):
    """A date method was given something it cannot use; the message says what."""


@dataclass(frozen=True, order=True)
class JodaDateTime:
    """A moment with its time zone, as Joda's DateTime (what Camunda's dateTime() gives)."""

    _moment: datetime

    def __str__(self) -> str:
        return self._moment.isoformat()


def now_function(now: Callable[[], Any] | None, zone: str) -> Callable[[], JodaDateTime]:
    """The `juel_datetime` a translated dateTime() calls: the engine's clock (`now`, giving a datetime or ISO
    text; None: the system clock) in the municipality's zone."""
    where = ZoneInfo(zone)

    def date_time() -> JodaDateTime:
        moment = now() if now is not None else datetime.now(UTC)
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return JodaDateTime(moment.astimezone(where))

    return date_time


def _amount(value: Any, method: str) -> int:
    """Joda's int argument, coerced as EL does (a "3" from a form is 3); whole numbers only, within bounds."""
    if isinstance(value, bool) or value is None:
        raise DateUnsupported(f"{method}(…) needs a whole number, not {value!r}")
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise DateUnsupported(f"{method}(…) needs a whole number, not {value!r}") from None
    if isinstance(value, float):
        if not value.is_integer():
            raise DateUnsupported(f"{method}(…) needs a whole number, not {value!r}")
        value = int(value)
    if not isinstance(value, int):
        raise DateUnsupported(f"{method}(…) needs a whole number, not a {type(value).__name__}")
    if abs(value) > MAX_AMOUNT:
        raise DateUnsupported(f"{method}({value}) moves the date too far")
    return value


def _wall(moment: datetime, years: int = 0, months: int = 0, days: int = 0) -> datetime:
    """Move the local calendar date, keeping the local time; a day past the month's end becomes its last day."""
    zone = moment.tzinfo
    total = moment.year * 12 + (moment.month - 1) + years * 12 + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise DateUnsupported("the date would fall outside the years 1 to 9999")
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    try:
        moved = moment.replace(tzinfo=None, year=year, month=month + 1, day=day) + timedelta(days=days)
    except OverflowError:
        raise DateUnsupported("the date would fall outside the years 1 to 9999") from None
    return _localised(moved, zone)


def _localised(naive: datetime, zone: tzinfo | None) -> datetime:
    """A local wall-clock time in `zone` (a time skipped by a clock change comes out an hour later, as in Joda)."""
    local = naive.replace(tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone)


def _instant(moment: datetime, seconds: int) -> datetime:
    try:
        return (moment.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(moment.tzinfo)
    except OverflowError:
        raise DateUnsupported("the date would fall outside the years 1 to 9999") from None


def as_moment(value: Any, zone: tzinfo | None = None) -> datetime | None:
    """A JodaDateTime, a datetime or ISO 8601 text as an aware datetime (text without an offset is in `zone`, or
    UTC); None for anything else."""
    if isinstance(value, JodaDateTime):
        return value._moment
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone or UTC)
    return None


def _other(value: Any, method: str, zone: tzinfo | None) -> datetime:
    moment = as_moment(value, zone)
    if moment is None:
        raise DateUnsupported(f"{method}(…) compares with a date, not {value!r}")
    return moment


def _plus(unit: str, sign: int) -> Callable[[datetime, Any, str], Any]:
    def moved(moment: datetime, amount: Any, method: str) -> JodaDateTime:
        n = sign * _amount(amount, method)
        if unit in ("years", "months"):
            return JodaDateTime(_wall(moment, **{unit: n}))
        if unit in ("weeks", "days"):
            return JodaDateTime(_wall(moment, days=n * (7 if unit == "weeks" else 1)))
        return JodaDateTime(_instant(moment, n * {"hours": 3600, "minutes": 60, "seconds": 1}[unit]))

    return moved


Method = tuple[int, Callable[..., Any]]  # how many arguments, and the function (moment, *arguments, method name)
METHODS: dict[str, Method] = {
    **{f"plus{unit.capitalize()}": (1, _plus(unit, 1)) for unit in
       ("years", "months", "weeks", "days", "hours", "minutes", "seconds")},
    **{f"minus{unit.capitalize()}": (1, _plus(unit, -1)) for unit in
       ("years", "months", "weeks", "days", "hours", "minutes", "seconds")},
    "toDate": (0, lambda m, _method: m),
    "withTimeAtStartOfDay": (0, lambda m, _method: JodaDateTime(_localised(datetime(m.year, m.month, m.day),
                                                                           m.tzinfo))),
    "isBefore": (1, lambda m, other, method: m < _other(other, method, m.tzinfo)),
    "isAfter": (1, lambda m, other, method: m > _other(other, method, m.tzinfo)),
    "isEqual": (1, lambda m, other, method: m == _other(other, method, m.tzinfo)),
    "getYear": (0, lambda m, _method: m.year),
    "getMonthOfYear": (0, lambda m, _method: m.month),
    "getDayOfMonth": (0, lambda m, _method: m.day),
    "getDayOfWeek": (0, lambda m, _method: m.isoweekday()),  # Joda: Monday 1 ... Sunday 7
    "getHourOfDay": (0, lambda m, _method: m.hour),
    "getMinuteOfHour": (0, lambda m, _method: m.minute),
}
# Methods whose result is again a JodaDateTime (so another method may follow); toDate() gives a java.util.Date.
GIVES_DATE_TIME = frozenset(name for name in METHODS
                            if name.startswith(("plus", "minus")) or name == "withTimeAtStartOfDay")


def call(target: Any, method: str, *args: Any) -> Any:
    """`target.method(args)` for a JodaDateTime and a method of METHODS; anything else is refused."""
    if not isinstance(target, JodaDateTime):
        raise DateUnsupported(f"{method}(…) works on dateTime() only, not on {type(target).__name__}")
    found = METHODS.get(method)
    if found is None:
        raise DateUnsupported(f"dateTime() has no method {method}(…) in Batho")
    arity, function = found
    if len(args) != arity:
        raise DateUnsupported(f"{method}(…) takes {arity} value{'s' if arity != 1 else ''}, not {len(args)}")
    return function(target._moment, *args, method)
