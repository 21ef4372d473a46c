"""Working days in the municipality's time zone: weekends and South African public holidays skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ZA", years=year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a South African public holiday (observed days included)."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime, days: int, tz: str = "Africa/Johannesburg") -> datetime:
    """The end (23:59:59 local) of the `days`-th working day after the day of `start`, in UTC.

    Zero days means the end of the start day if it is a working day, else of the next one.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if days < 0:
        raise ValueError("days must not be negative")
    zone = ZoneInfo(tz)
    day = start.astimezone(zone).date()
    if days == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    end = datetime.combine(day, time(23, 59, 59), tzinfo=zone)
    return end.astimezone(UTC)


def working_days_between(start: datetime, end: datetime, tz: str = "Africa/Johannesburg") -> int:
    """How many working days lie after the day of `start` up to and including the day of `end`."""
    zone = ZoneInfo(tz)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
