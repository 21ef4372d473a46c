"""The period figures read from the daily roll-ups (engine/models/rollups.py) instead of the cases, where they can be.

They can be when the roll-ups hold local days for the scope's offset (a mark says so), the period runs from local
midnight to local midnight, and the grouping and filters are case dimensions (not officers, whose credit rules read
the audit trail). Each function fills the same figures as its twin over `cases` in figures.py and series.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, cast, func, literal_column, select, true
from sqlalchemy.orm import Session

from ..composition import Batho
from ..models.metrics import CALENDAR_END, CALENDAR_START
from ..models.rollups import DailyFigure, RollupMark, offset_of, rebuild
from .dimensions import NONE_KEY, Scope, group_key

COLUMNS: dict[str, Any] = {"case_type": DailyFigure.case_type, "category": DailyFigure.category,
                           "department": DailyFigure.department_code, "channel": DailyFigure.channel,
                           "ward": DailyFigure.ward, "town": DailyFigure.town}
GROUP_KEY: Any = literal_column("group_key")
MARK = "rollup_offsets"


def _day(moment: datetime, offset: int) -> tuple[date, bool]:
    """The local day of `moment`, and whether it is local midnight."""
    local = moment.astimezone(UTC) + timedelta(minutes=offset)
    return local.date(), (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


def days_of(scope: Scope) -> tuple[date, date]:
    """[first, end) local days of the scope's period."""
    return _day(scope.start, scope.offset_minutes)[0], _day(scope.end, scope.offset_minutes)[0]


def serves(session: Session, scope: Scope) -> bool:
    """Whether the roll-ups answer `scope` exactly (see the module's docstring)."""
    if scope.group == "officer" or "officer" in scope.filters:
        return False
    (first, at_midnight), (end, end_midnight) = (_day(scope.start, scope.offset_minutes),
                                                 _day(scope.end, scope.offset_minutes))
    if not (at_midnight and end_midnight and first >= CALENDAR_START and end <= CALENDAR_END):
        return False
    if MARK not in session.info:
        session.info[MARK] = set(session.scalars(select(RollupMark.offset_minutes)))
    return scope.offset_minutes in session.info[MARK]


def filtered(scope: Scope, query: Any) -> Any:
    """`query` (over daily_figures) narrowed to the scope's filters and the departments the viewer may monitor."""
    if scope.departments is not None:
        query = query.where(DailyFigure.department_code.in_(sorted(scope.departments)))
    for name, value in scope.filters.items():
        column = COLUMNS[name]
        query = query.where(column.is_(None) if value == NONE_KEY else column == value)
    return query


def _in_period(scope: Scope, *columns: Any) -> Any:
    first, end = days_of(scope)
    key = literal_column("'all'") if scope.group == "none" else COLUMNS[scope.group]
    query = select(*columns, key.label("group_key")).where(DailyFigure.day >= first, DailyFigure.day < end)
    return filtered(scope, query)


def _summed(session: Session, scope: Scope, column: Any) -> Iterator[tuple[int, Any]]:
    query = _in_period(scope, func.sum(column)).group_by(GROUP_KEY)
    for total, key in session.execute(query):
        if total:
            yield int(total), key


def opened(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    for total, key in _summed(session, scope, DailyFigure.opened):
        out[group_key(key)].opened += total


def survey(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    table = DailyFigure.__table__.c
    names = ("satisfied", "dissatisfied", "no_response")
    query = _in_period(scope, *(func.sum(table[f"survey_{n}"]) for n in names)).group_by(GROUP_KEY)
    for row in session.execute(query):
        for name, total in zip(names, row[:3], strict=True):
            if total:
                out[group_key(row.group_key)].survey[name] += int(total)


def duplicates(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    for total, key in _summed(session, scope, DailyFigure.duplicates):
        out[group_key(key)].closed_duplicates += total


def _entries(session: Session, histogram: Any) -> Any:
    """The histogram column's entries as rows (key: working days as text, value: cases), for the SQL to add up."""
    each = func.json_each_text if session.get_bind().dialect.name == "postgresql" else func.json_each
    return each(histogram).table_valued("key", "value").alias("entry")


def _histograms(session: Session, scope: Scope, names: tuple[str, ...], histogram: str
                ) -> dict[str, tuple[list[int], dict[int, int]]]:
    """Per group: the sums of the count columns `names` and the merged histogram (zero entries dropped).

    Both are added up by the database (the histogram through json_each), so a year reads a few rows per group."""
    table = DailyFigure.__table__.c
    found: dict[str, tuple[list[int], dict[int, int]]] = {}
    for row in session.execute(_in_period(scope, *(func.sum(table[n]) for n in names)).group_by(GROUP_KEY)):
        sums = [int(v or 0) for v in row[:len(names)]]
        if sums[0]:
            found[group_key(row.group_key)] = (sums, {})
    entry = _entries(session, table[histogram])
    days = cast(entry.c.key, Integer)
    query = (_in_period(scope, days.label("wd"), func.sum(cast(entry.c.value, Integer))).select_from(DailyFigure)
             .join(entry, true()).group_by(GROUP_KEY, literal_column("wd")))
    for wd, count, key in session.execute(query):
        if count and group_key(key) in found:
            found[group_key(key)][1][int(wd)] = int(count)
    return {k: (sums, dict(sorted(hist.items()))) for k, (sums, hist) in found.items()}


def acknowledged(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    for key, (sums, histogram) in _histograms(session, scope, ("acknowledged", "acknowledged_in_time"),
                                              "ack_histogram").items():
        row = out[key]
        row.acknowledged += sums[0]
        row.acknowledged_in_time += sums[1]
        _merge_into(row.ack_histogram, histogram)


def closed(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    names = ("resolved", "within_standard", "with_standard", "rated", "rating_total")
    for key, (sums, histogram) in _histograms(session, scope, names, "resolve_histogram").items():
        row = out[key]
        row.closed += sums[0]
        row.within_standard += sums[1]
        row.with_standard += sums[2]
        row.rated += sums[3]
        row.rating_total += sums[4]
        _merge_into(row.resolve_histogram, histogram)


def _merge_into(into: dict[int, int], histogram: dict[int, int]) -> None:
    for days, count in histogram.items():
        into[days] = into.get(days, 0) + count


def per_day(session: Session, scope: Scope, *columns: Any) -> list[Any]:
    """Sums of `columns` per local day of the scope's period (days with nothing left out)."""
    first, end = days_of(scope)
    query = filtered(scope, select(DailyFigure.day, *(func.sum(c) for c in columns))
                     .where(DailyFigure.day >= first, DailyFigure.day < end))
    return [row for row in session.execute(query.group_by(DailyFigure.day)) if any(row[1:])]


def total_before(session: Session, scope: Scope, day: date) -> int:
    """Cases opened before local `day` minus cases closed (resolved or as duplicates) before it."""
    query = filtered(scope, select(func.sum(DailyFigure.opened - DailyFigure.resolved - DailyFigure.duplicates))
                     .where(DailyFigure.day < day))
    return int(session.scalar(query) or 0)


def rebuild_all(app: Batho) -> int:
    """Write the daily roll-ups again from every case, for the configured zone; returns how many cases counted.

    For after a bulk load that bypassed the unit of work, a change of BATHO_TIMEZONE or of the public holidays."""
    with app.db.transaction() as session:
        return rebuild(session.connection(), offset_of(app.config.timezone))
