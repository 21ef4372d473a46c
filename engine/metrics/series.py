"""Time series for charts: weekly volume and the share resolved within the standard, week by week."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.orm import Session

from ..models import Case
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
