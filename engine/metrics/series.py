"""Time series for charts: weekly volume and within-standard share, the backlog per week and months a year apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.orm import Session

from ..models import Case
from ..models.rollups import DailyFigure
from . import rollups
from .calendar import local_day
from .dimensions import Scope
from .figures import RESOLVED


@dataclass
class Week:
    """One week (Monday to Sunday) or month of the period."""

    start: date
    opened: int = 0
    closed: int = 0
    within_standard: int = 0
    with_standard: int = 0

    @property
    def within_share(self) -> float | None:
        return self.within_standard / self.with_standard if self.with_standard else None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def weekly(session: Session, scope: Scope, first: date, last: date) -> list[Week]:
    """Opened and closed per week from `first` to `last`, with the within-standard share of the closed."""
    weeks: dict[date, Week] = {}
    day = _monday(first)
    while day <= last:
        weeks[day] = Week(day)
        day += timedelta(days=7)
    return _fill(session, scope, weeks, _monday)


def monthly(session: Session, scope: Scope, first: date, last: date) -> list[Week]:
    """The same per calendar month (`start` is the first of the month)."""
    months: dict[date, Week] = {}
    day = _first_of_month(first)
    while day <= last:
        months[day] = Week(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return _fill(session, scope, months, _first_of_month)


def _fill(session: Session, scope: Scope, weeks: dict[date, Week], bucket: Callable[[date], date]) -> list[Week]:
    if rollups.serves(session, scope):
        return _fill_from_rollups(session, scope, weeks, bucket)
    opened_day = local_day(Case.opened_at, scope.offset_minutes).label("day")
    opened = scope.filtered(select(opened_day, func.count()).select_from(Case)
                            .where(Case.opened_at >= scope.start, Case.opened_at < scope.end))
    for value, count in session.execute(opened.group_by(literal_column("day"))):
        weeks[bucket(_as_date(value))].opened += count
    closed_day = local_day(Case.closed_at, scope.offset_minutes).label("day")
    within = func.sum(case((and_(Case.due_at.is_not(None), Case.closed_at <= Case.due_at), 1), else_=0))
    closed = scope.filtered(select(closed_day, func.count(), within, func.count(Case.due_at)).select_from(Case)
                            .where(Case.closed_at >= scope.start, Case.closed_at < scope.end, RESOLVED))
    for value, count, inside, standard in session.execute(closed.group_by(literal_column("day"))):
        week = weeks[bucket(_as_date(value))]
        week.closed += count
        week.within_standard += inside or 0
        week.with_standard += standard
    return list(weeks.values())


def _fill_from_rollups(session: Session, scope: Scope, weeks: dict[date, Week], bucket: Callable[[date], date]
                       ) -> list[Week]:
    """The same from the daily roll-ups."""
    table = DailyFigure
    for value, opened, closed, inside, standard in rollups.per_day(session, scope, table.opened, table.resolved,
                                                                   table.within_standard, table.with_standard):
        week = weeks[bucket(_as_date(value))]
        week.opened += opened or 0
        week.closed += closed or 0
        week.within_standard += inside or 0
        week.with_standard += standard or 0
    return list(weeks.values())


@dataclass
class Backlog:
    """Open cases at the end of one week (Monday to Sunday), and at the end of the same week a year before."""

    start: date
    open_cases: int
    year_before: int


@dataclass
class MonthShare:
    """The share of one month's closed cases resolved within the standard, beside the same month a year before."""

    start: date
    now: Week
    year_before: Week


def _local_midnight(day: date, offset: int) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone(timedelta(minutes=offset))).astimezone(UTC)


def _open_at_each(session: Session, scope: Scope, ends: list[date]) -> list[int]:
    """Open cases at local midnight before each day of `ends` (opened before it, not closed before it).

    Cases opened minus cases closed up to the first day, then one pass over the days up to the last: a case's own
    open and closing times, so a reopened case counts as open from its opening to its final closing.
    """
    first, last = _local_midnight(ends[0], scope.offset_minutes), _local_midnight(ends[-1], scope.offset_minutes)
    whole = replace(scope, start=first, end=last)
    if rollups.serves(session, whole):
        return _open_from_rollups(session, whole, ends)
    opened_before = scope.filtered(select(func.count()).select_from(Case).where(Case.opened_at < first))
    closed_before = scope.filtered(select(func.count()).select_from(Case).where(Case.closed_at < first))
    base = (session.scalar(opened_before) or 0) - (session.scalar(closed_before) or 0)
    change: dict[date, int] = {}
    for column, sign in ((Case.opened_at, 1), (Case.closed_at, -1)):
        day_of = local_day(column, scope.offset_minutes).label("day")
        query = scope.filtered(select(day_of, func.count()).select_from(Case).where(column >= first, column < last))
        for value, count in session.execute(query.group_by(literal_column("day"))):
            change[_as_date(value)] = change.get(_as_date(value), 0) + sign * count
    result, running, day = [base], base, ends[0]
    for end in ends[1:]:
        while day < end:
            running += change.get(day, 0)
            day += timedelta(days=1)
        result.append(running)
    return result


def _open_from_rollups(session: Session, scope: Scope, ends: list[date]) -> list[int]:
    """The same from the daily roll-ups."""
    table = DailyFigure
    base = rollups.total_before(session, scope, ends[0])
    change = {_as_date(day): (opened or 0) - (closed or 0) - (repeats or 0)
              for day, opened, closed, repeats in rollups.per_day(session, scope, table.opened, table.resolved,
                                                                  table.duplicates)}
    result, running, day = [base], base, ends[0]
    for end in ends[1:]:
        while day < end:
            running += change.get(day, 0)
            day += timedelta(days=1)
        result.append(running)
    return result


def backlog(session: Session, scope: Scope, first: date, last: date) -> list[Backlog]:
    """Open cases at the end of each week of `first`..`last`, and 52 weeks (364 days, Monday to Monday) before."""
    starts = [_monday(first) + timedelta(days=7 * n) for n in range((last - _monday(first)).days // 7 + 1)]
    ends = [starts[0], *[s + timedelta(days=7) for s in starts]]
    now = _open_at_each(session, scope, ends)[1:]
    before = _open_at_each(session, scope, [e - timedelta(days=364) for e in ends])[1:]
    return [Backlog(s, n, b) for s, n, b in zip(starts, now, before, strict=True)]


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def monthly_against_year_before(session: Session, scope: Scope, first: date, last: date) -> list[MonthShare]:
    """Each month of `first`..`last` with its within-standard share, beside the same month of the year before."""
    def months_of(start: date, end: date) -> list[Week]:
        bounded = replace(scope, start=_local_midnight(_first_of_month(start), scope.offset_minutes),
                          end=_local_midnight(_next_month(end), scope.offset_minutes))
        return monthly(session, bounded, start, end)

    now = months_of(first, last)
    before = months_of(_year_before(first), _year_before(last))
    return [MonthShare(n.start, n, b) for n, b in zip(now, before, strict=True)]


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)
