"""The period figures read from the daily roll-ups (engine/models/rollups.py) instead of the cases, where they can be.

They can be when the roll-ups hold local days for the scope's offset (a mark says so), the period runs from local
midnight to local midnight, and the grouping and filters are case dimensions (not officers, whose credit rules read
the audit trail). Each function fills the same figures as its twin over `cases` in figures.py and series.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, cast, func, literal_column, select, text, true, union_all
from sqlalchemy.orm import Session

from ..composition import Batho
from ..models.metrics import CALENDAR_END, CALENDAR_START
from ..models.rollups import DailyFigure, MonthlyFigure, RollupMark, offset_of, rebuild
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


WORK_MEM = "32MB"
RANDOM_PAGE_COST = 1.1  # the pages these reads visit are in memory (or on SSD): a random read costs about a scan's


def plan_quickly(session: Session) -> None:
    """No JIT compilation for the monitoring reads on PostgreSQL: json_each's estimate of 100 entries a row makes a
    year's histograms look costly enough to compile, which took 60 to 130 ms of each such query and saved nothing.

    And room to group in memory (`work_mem`, for this reading transaction only): the open snapshot groups every open
    case by six dimensions, age and lateness; with the default 4 MB PostgreSQL sorted 100 000 of them on disk
    (external merge, ~540 ms at load 6) where a hash table of its ~10 000 groups takes ~300 ms.

    And `random_page_cost` 1.1 instead of 4 (the pages are in memory): with 4, a year's escalations grouped by a
    dimension (25 000 events) were joined to the cases by reading all million of them (343 ms, `EXPLAIN ANALYZE`)
    instead of 25 000 primary-key probes (89 ms), and the open snapshot read the heap row of every open case instead
    of scanning its covering index alone (ix_cases_open_opened, migration 0028)."""
    if "quick_plans" not in session.info and session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL jit = off; SET LOCAL work_mem = '{WORK_MEM}'; "
                             f"SET LOCAL random_page_cost = {RANDOM_PAGE_COST}"))
    session.info["quick_plans"] = True


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


def filtered(scope: Scope, query: Any, table: Any = DailyFigure) -> Any:
    """`query` (over daily_figures, or `table` with its columns) narrowed to the scope's filters and the departments
    the viewer may monitor."""
    if scope.departments is not None:
        query = query.where(table.department_code.in_(sorted(scope.departments)))
    for name, value in scope.filters.items():
        column = getattr(table, COLUMNS[name].key)
        query = query.where(column.is_(None) if value == NONE_KEY else column == value)
    return query


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def spans(first: date, end: date) -> list[tuple[Any, date, date]]:
    """[first, end) as (table, from, to) pieces: the whole months from monthly_figures, the days at either edge
    from daily_figures (a year is twelve months; a week or a range within a month is days only)."""
    start = first if first.day == 1 else _next_month(first)
    stop = end.replace(day=1)
    if start >= stop:
        return [(DailyFigure, first, end)]
    return [(table, a, b) for table, a, b in ((DailyFigure, first, start), (MonthlyFigure, start, stop),
                                              (DailyFigure, stop, end)) if a < b]


SUMS = ("opened", "acknowledged", "acknowledged_in_time", "resolved", "within_standard", "with_standard", "rated",
        "rating_total", "duplicates", "survey_satisfied", "survey_dissatisfied", "survey_no_response")
DIMENSIONS: tuple[Any, ...] = tuple(COLUMNS[name] for name in ("case_type", "category", "department", "channel",
                                                                "ward", "town"))
PERIODS = "rollup_periods"


@dataclass
class Sums:
    """What the roll-up rows of one set of case dimensions add up to over a period."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMS, 0))
    ack: dict[int, int] = field(default_factory=dict)
    resolve: dict[int, int] = field(default_factory=dict)

    def add(self, other: Sums) -> None:
        for name, value in other.counts.items():
            self.counts[name] += value
        _merge_into(self.ack, other.ack)
        _merge_into(self.resolve, other.resolve)


def _period_rows(session: Session, scope: Scope) -> dict[tuple[Any, ...], Sums]:
    """The period's roll-ups added up per combination of case dimensions, histograms merged by the database: three
    reads per period (and departments seen), kept for the session, that every grouping and every filter on case
    dimensions of the dashboard and the report adds up (where each grouping read the rows again, with two json_each
    passes of its own). A filter keeps the combinations with its value, as the SQL's WHERE did."""
    first, end = days_of(scope)
    key = (first, end, scope.departments)
    cache: dict[Any, dict[tuple[Any, ...], Sums]] = session.info.setdefault(PERIODS, {})
    if key not in cache:
        cache[key] = _read_period(session, scope, first, end)
    wanted = [(DIMENSIONS.index(COLUMNS[name]), None if value == NONE_KEY else value)
              for name, value in scope.filters.items()]
    return {dims: sums for dims, sums in cache[key].items() if all(dims[i] == v for i, v in wanted)}


def _read_period(session: Session, scope: Scope, first: date, end: date) -> dict[tuple[Any, ...], Sums]:
    combos: dict[tuple[Any, ...], Sums] = {}
    for table, since, until in spans(first, end):
        for dims, found in _read_span(session, scope, table, since, until).items():
            if dims in combos:
                combos[dims].add(found)
            else:
                combos[dims] = found
    return combos


def _read_span(session: Session, scope: Scope, model: Any, first: date, end: date) -> dict[tuple[Any, ...], Sums]:
    table = model.__table__.c
    dimensions = [table[c.key] for c in DIMENSIONS]
    in_period = (table.day >= first, table.day < end)
    unfiltered = replace(scope, filters={})
    combos: dict[tuple[Any, ...], Sums] = {}
    sums = filtered(unfiltered, select(*dimensions, *(func.sum(table[n]) for n in SUMS)).where(*in_period), model)
    for row in session.execute(sums.group_by(*dimensions)):
        combos[tuple(row[:6])] = Sums(dict(zip(SUMS, (int(v or 0) for v in row[6:]), strict=True)))
    for column, into in (("ack_histogram", "ack"), ("resolve_histogram", "resolve")):
        entry = _entries(session, table[column])
        days = cast(entry.c.key, Integer)
        query = filtered(unfiltered, select(*dimensions, days.label("wd"), func.sum(cast(entry.c.value, Integer)))
                         .select_from(model).join(entry, true()).where(*in_period), model)
        for row in session.execute(query.group_by(*dimensions, literal_column("wd"))):
            combo = combos.get(tuple(row[:6]))
            if combo is not None and row[7]:
                getattr(combo, into)[int(row[6])] = int(row[7])
    return combos


def _by_group(session: Session, scope: Scope) -> dict[str, Sums]:
    """The period's sums per group of the scope (zero histogram entries dropped, as the database's sums did)."""
    index = None if scope.group == "none" else DIMENSIONS.index(COLUMNS[scope.group])
    groups: dict[str, Sums] = {}
    for dims, combo in _period_rows(session, scope).items():
        groups.setdefault("all" if index is None else group_key(dims[index]), Sums()).add(combo)
    for found in groups.values():
        found.ack = dict(sorted((k, v) for k, v in found.ack.items() if v))
        found.resolve = dict(sorted((k, v) for k, v in found.resolve.items() if v))
    return groups


def opened(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    for key, found in _by_group(session, scope).items():
        if found.counts["opened"]:
            out[key].opened += found.counts["opened"]


def survey(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    for key, found in _by_group(session, scope).items():
        for name in ("satisfied", "dissatisfied", "no_response"):
            if found.counts[f"survey_{name}"]:
                out[key].survey[name] += found.counts[f"survey_{name}"]


def duplicates(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    for key, found in _by_group(session, scope).items():
        if found.counts["duplicates"]:
            out[key].closed_duplicates += found.counts["duplicates"]


def _entries(session: Session, histogram: Any) -> Any:
    """The histogram column's entries as rows (key: working days as text, value: cases), for the SQL to add up."""
    each = func.json_each_text if session.get_bind().dialect.name == "postgresql" else func.json_each
    return each(histogram).table_valued("key", "value").alias("entry")


def acknowledged(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    for key, found in _by_group(session, scope).items():
        if found.counts["acknowledged"]:
            row = out[key]
            row.acknowledged += found.counts["acknowledged"]
            row.acknowledged_in_time += found.counts["acknowledged_in_time"]
            _merge_into(row.ack_histogram, found.ack)


def closed(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    for key, found in _by_group(session, scope).items():
        if found.counts["resolved"]:
            row, counts = out[key], found.counts
            row.closed += counts["resolved"]
            row.within_standard += counts["within_standard"]
            row.with_standard += counts["with_standard"]
            row.rated += counts["rated"]
            row.rating_total += counts["rating_total"]
            _merge_into(row.resolve_histogram, found.resolve)


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
    """Cases opened before local `day` minus cases closed (resolved or as duplicates) before it: the whole months
    before `day`'s month from monthly_figures, that month's days before `day` from daily_figures."""
    month = day.replace(day=1)
    parts: list[tuple[Any, Any]] = [(MonthlyFigure, MonthlyFigure.day < month)]
    if day > month:
        parts.append((DailyFigure, (DailyFigure.day >= month) & (DailyFigure.day < day)))
    sums = [filtered(scope, select(func.sum(table.opened - table.resolved - table.duplicates).label("n"))
                     .where(condition), table) for table, condition in parts]
    both = union_all(*sums).subquery() if len(sums) > 1 else sums[0].subquery()
    return int(session.scalar(select(func.sum(both.c.n))) or 0)


def rebuild_all(app: Batho) -> int:
    """Write the daily roll-ups again from every case, for the configured zone; returns how many cases counted.

    For after a bulk load that bypassed the unit of work, a change of BATHO_TIMEZONE or of the public holidays."""
    with app.db.transaction() as session:
        return rebuild(session.connection(), offset_of(app.config.timezone))
