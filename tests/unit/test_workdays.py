"""Working days skip weekends and South African public holidays, in the municipality's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from engine.workdays import add_working_days, is_working_day, working_days_between

SAST = ZoneInfo("Africa/Johannesburg")


def sast(*args: int) -> datetime:
    return datetime(*args, tzinfo=SAST)


@pytest.mark.parametrize("start, days, due", [
    (sast(2026, 3, 19, 10), 1, sast(2026, 3, 20, 23, 59, 59)),   # Thursday -> Friday
    (sast(2026, 3, 20, 10), 1, sast(2026, 3, 23, 23, 59, 59)),   # Friday -> Monday (21 March is a Saturday)
    (sast(2026, 6, 15, 10), 1, sast(2026, 6, 17, 23, 59, 59)),   # 16 June, Youth Day, skipped
    (sast(2026, 9, 23, 10), 1, sast(2026, 9, 25, 23, 59, 59)),   # 24 September, Heritage Day, skipped
    (sast(2026, 12, 15, 10), 2, sast(2026, 12, 18, 23, 59, 59)),  # 16 December skipped
    (sast(2027, 3, 19, 10), 1, sast(2027, 3, 23, 23, 59, 59)),   # 2027: 21 March is a Sunday, Monday observed
    (sast(2026, 3, 21, 10), 0, sast(2026, 3, 23, 23, 59, 59)),   # zero days from a holiday: next working day
])
def test_due_dates_skip_weekends_and_holidays(start, days, due):
    assert add_working_days(start, days) == due.astimezone(UTC)


def test_the_day_is_taken_in_the_municipality_s_time_zone():
    # 23:30 UTC on Thursday is already Friday in Johannesburg.
    late = datetime(2026, 3, 19, 23, 30, tzinfo=UTC)
    assert add_working_days(late, 1) == sast(2026, 3, 23, 23, 59, 59).astimezone(UTC)


def test_holidays_are_not_working_days():
    assert not is_working_day(sast(2026, 4, 27).date())  # Freedom Day
    assert is_working_day(sast(2026, 4, 28).date())


def test_working_days_between_counts_the_days_after_the_start():
    assert working_days_between(sast(2026, 3, 19, 9), sast(2026, 3, 24, 9)) == 3


def test_naive_times_and_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 19), 1)
    with pytest.raises(ValueError):
        add_working_days(sast(2026, 3, 19), -1)
