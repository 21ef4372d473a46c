"""The monitoring figures for one period, per group: SQL aggregates, medians from working-day histograms."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, literal_column, select
from sqlalchemy.orm import Session, aliased

from ..models import Case, CaseEvent, WorkDay
from ..models.enums import DUPLICATE_STATUS, EventKind
from ..models.metrics import SURVEY_ANSWERS, SurveyAnswer
from . import extras, rollups
from .calendar import local_day
from .dimensions import CASE_COLUMNS, Scope, group_key
from .distribution import median, percentile

AGE_BANDS = (("0-5", 0, 5), ("6-10", 6, 10), ("11-20", 11, 20), ("21-60", 21, 60), ("over 60", 61, None))
OVERDUE_BANDS = (("1-5", 1, 5), ("6-10", 6, 10), ("11-20", 11, 20), ("over 20", 21, None))
GROUP_KEY: Any = literal_column("group_key")
# A case closed as a duplicate was answered by its original: counting it resolved (within standard, in days)
# would flatter every figure of resolution.
RESOLVED: Any = Case.status != DUPLICATE_STATUS


def band_of(days: int, bands: tuple[tuple[str, int, int | None], ...]) -> str:
    """The name of the band `days` falls in (working days)."""
    for name, low, high in bands:
        if days >= low and (high is None or days <= high):
            return name
    return bands[0][0]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Figures:
    """Every figure of one group (or of all cases) for one period; durations in working days."""

    key: str
    label: str = ""
    opened: int = 0
    closed: int = 0  # resolved: closed, and not as a duplicate of another case
    closed_duplicates: int = 0  # closed as a repeat of another case: neither resolved nor within any standard
    open_now: int = 0
    acknowledged: int = 0
    acknowledged_in_time: int = 0
    ack_histogram: dict[int, int] = field(default_factory=dict)
    resolve_histogram: dict[int, int] = field(default_factory=dict)
    with_standard: int = 0
    within_standard: int = 0
    overdue_now: int = 0
    overdue_bands: dict[str, int] = field(default_factory=lambda: {b[0]: 0 for b in OVERDUE_BANDS})
    age_bands: dict[str, int] = field(default_factory=lambda: {b[0]: 0 for b in AGE_BANDS})
    escalations: int = 0
    escalated_cases: int = 0
    reopened: int = 0
    survey: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SURVEY_ANSWERS, 0))
    rated: int = 0
    rating_total: int = 0
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def ack_median(self) -> float | None:
        return median(self.ack_histogram)

    @property
    def ack_p90(self) -> float | None:
        return percentile(self.ack_histogram, 0.9)

    @property
    def resolve_median(self) -> float | None:
        return median(self.resolve_histogram)

    @property
    def resolve_p90(self) -> float | None:
        return percentile(self.resolve_histogram, 0.9)

    @property
    def within_standard_share(self) -> float | None:
        return _share(self.within_standard, self.with_standard)

    @property
    def share_satisfied(self) -> float | None:
        return _share(self.survey["satisfied"], self.survey["satisfied"] + self.survey["dissatisfied"])

    @property
    def survey_response_rate(self) -> float | None:
        answered = self.survey["satisfied"] + self.survey["dissatisfied"]
        return _share(answered, answered + self.survey["no_response"])

    @property
    def average_rating(self) -> float | None:
        return self.rating_total / self.rated if self.rated else None

    @property
    def rating_response_rate(self) -> float | None:
        return _share(self.rated, self.closed)


COUNTS = ("opened", "closed", "closed_duplicates", "open_now", "acknowledged", "acknowledged_in_time",
          "with_standard", "within_standard",
          "overdue_now", "escalations", "escalated_cases", "reopened", "rated", "rating_total")
MAPS = ("ack_histogram", "resolve_histogram", "overdue_bands", "age_bands", "survey", "extras")


def merged(rows: list[Figures], key: str = "all") -> Figures:
    """The figures of the union of disjoint groups: counts add up and histograms merge, so medians stay exact."""
    total = Figures(key=key)
    for row in rows:
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for name in MAPS:
            into = getattr(total, name)
            for k, v in getattr(row, name).items():
                into[k] = into.get(k, 0) + v
    return total


def _days(scope: Scope, column: Any, name: str) -> tuple[Any, Any]:
    """An alias of the calendar joined on the local day of `column`, and its seq."""
    day = aliased(WorkDay, name=name)
    return day, day.day == local_day(column, scope.offset_minutes)


def _opened(session: Session, scope: Scope, out: dict[str, Figures]) -> None:
    query = scope.grouped(select(func.count()).select_from(Case)
                          .where(Case.opened_at >= scope.start, Case.opened_at < scope.end), "acknowledge")
    for count, key in session.execute(query.group_by(GROUP_KEY)):
        out[group_key(key)].opened += count


def _acknowledged(session: Session, scope: Scope, out: dict[str, Figures]) -> None:
    opened, on_open = _days(scope, Case.opened_at, "opened_day")
    acked, on_ack = _days(scope, Case.acknowledged_at, "ack_day")
    days = (acked.seq - opened.seq).label("wd")
    in_time = func.sum(case((and_(Case.ack_due_at.is_not(None), Case.acknowledged_at <= Case.ack_due_at), 1),
                            else_=0))
    query = scope.grouped(select(days, func.count(), in_time).select_from(Case).join(opened, on_open)
                          .join(acked, on_ack)
                          .where(Case.opened_at >= scope.start, Case.opened_at < scope.end,
                                 Case.acknowledged_at.is_not(None)), "acknowledge")
    for wd, count, timely, key in session.execute(query.group_by(GROUP_KEY, literal_column("wd"))):
        row = out[group_key(key)]
        row.acknowledged += count
        row.acknowledged_in_time += timely or 0
        row.ack_histogram[wd] = row.ack_histogram.get(wd, 0) + count


def _closed(session: Session, scope: Scope, out: dict[str, Figures]) -> None:
    opened, on_open = _days(scope, Case.opened_at, "opened_day")
    closed, on_close = _days(scope, Case.closed_at, "closed_day")
    days = (closed.seq - opened.seq).label("wd")
    within = func.sum(case((and_(Case.due_at.is_not(None), Case.closed_at <= Case.due_at), 1), else_=0))
    query = scope.grouped(select(days, func.count(), within, func.count(Case.due_at),
                                 func.count(Case.satisfaction_rating), func.sum(Case.satisfaction_rating))
                          .select_from(Case).join(opened, on_open).join(closed, on_close)
                          .where(Case.closed_at >= scope.start, Case.closed_at < scope.end, RESOLVED), "resolve")
    for wd, count, inside, standard, rated, rating, key in session.execute(
            query.group_by(GROUP_KEY, literal_column("wd"))):
        row = out[group_key(key)]
        row.closed += count
        row.resolve_histogram[wd] = row.resolve_histogram.get(wd, 0) + count
        row.within_standard += inside or 0
        row.with_standard += standard
        row.rated += rated
        row.rating_total += rating or 0


def _duplicates(session: Session, scope: Scope, out: dict[str, Figures]) -> None:
    query = scope.grouped(select(func.count()).select_from(Case)
                          .where(Case.closed_at >= scope.start, Case.closed_at < scope.end, ~RESOLVED))
    for count, key in session.execute(query.group_by(GROUP_KEY)):
        out[group_key(key)].closed_duplicates += count


def _open_now(session: Session, scope: Scope, out: dict[str, Figures]) -> None:
    if scope.group == "officer" or "officer" in scope.filters:
        _open_now_by_officer(session, scope, out)
        return
    index = OPEN_DIMENSIONS.index(CASE_COLUMNS[scope.group]) if scope.group != "none" else None
    for row in _open_snapshot(session, scope):
        age_band, late_band, count = row[-3:]
        figures = out[group_key(row[index]) if index is not None else "all"]
        figures.open_now += count
        figures.age_bands[age_band] += count
        if late_band is not None:
            figures.overdue_now += count
            figures.overdue_bands[late_band] += count


OPEN_DIMENSIONS: tuple[Any, ...] = tuple(CASE_COLUMNS[name] for name in ("case_type", "category", "department",
                                                                          "channel", "ward", "town"))
SNAPSHOTS = "open_snapshots"


def _open_columns(scope: Scope) -> tuple[Any, Any, Any]:
    """What one open case counts as: its working days open, days overdue (None: not overdue), and the joins."""
    today = (scope.now + timedelta(minutes=scope.offset_minutes)).date()
    now_day = aliased(WorkDay, name="today")
    opened, on_open = _days(scope, Case.opened_at, "opened_day")
    due, on_due = _days(scope, Case.due_at, "due_day")
    age = (now_day.seq - opened.seq).label("age")
    late = case((Case.due_at < scope.now, now_day.seq - due.seq), else_=None).label("late")
    joined = (select(func.count()).select_from(Case).join(now_day, now_day.day == today).join(opened, on_open)
              .outerjoin(due, on_due).where(Case.closed_at.is_(None)))
    return age, late, joined


def band_case(days: Any, bands: tuple[tuple[str, int, int | None], ...]) -> Any:
    """`band_of` in SQL: the name of the band `days` falls in (the first band below them all, as band_of)."""
    return case(*((days >= low, literal(name)) for name, low, _ in reversed(bands[1:])), else_=literal(bands[0][0]))


def _open_snapshot(session: Session, scope: Scope) -> list[Any]:
    """The open cases counted by every case dimension, age band and lateness band (None: not overdue): one read
    (over ix_cases_open_opened) that every grouping of the same filters adds up, where the dashboard read the open
    cases once per table. The tables of one page take their scopes microseconds apart: the first one's moment serves
    them all (within its minute).

    The open cases are first counted per dimensions, local day opened and (when past due) local day due, without
    the calendar (100 000 open cases: ~10 000 such groups); the calendar then gives those groups their working
    days, and the database puts them in their bands, so a few hundred rows come back, not one per case."""
    moment = scope.now.replace(second=0, microsecond=0)
    key = (moment, scope.offset_minutes, tuple(sorted(scope.filters.items())), scope.departments)
    cache: dict[Any, list[Any]] = session.info.setdefault(SNAPSHOTS, {})
    if key not in cache:
        opened_day = local_day(Case.opened_at, scope.offset_minutes).label("opened_day")
        due_day = case((Case.due_at < scope.now, local_day(Case.due_at, scope.offset_minutes)),
                       else_=None).label("due_day")
        per_day = scope.filtered(select(func.count().label("n"), *OPEN_DIMENSIONS, opened_day, due_day)
                                 .select_from(Case).where(Case.closed_at.is_(None)))
        counted = per_day.group_by(*OPEN_DIMENSIONS, literal_column("opened_day"),
                                   literal_column("due_day")).subquery("open_days")
        today = (scope.now + timedelta(minutes=scope.offset_minutes)).date()
        now_day, opened, due = (aliased(WorkDay, name=n) for n in ("today", "opened_day", "due_day"))
        dims = [counted.c[c.key] for c in OPEN_DIMENSIONS]
        age = band_case(now_day.seq - opened.seq, AGE_BANDS).label("age_band")
        late = case((due.seq.is_(None), None), else_=band_case(now_day.seq - due.seq, OVERDUE_BANDS)).label(
            "late_band")
        banded = (select(*dims, age, late, func.sum(counted.c.n)).select_from(counted)
                  .join(now_day, now_day.day == today).join(opened, opened.day == counted.c.opened_day)
                  .outerjoin(due, due.day == counted.c.due_day)
                  .group_by(*dims, literal_column("age_band"), literal_column("late_band")))
        cache[key] = [(*row[:-1], int(row[-1])) for row in session.execute(banded)]
    return cache[key]


def _open_now_by_officer(session: Session, scope: Scope, out: dict[str, Figures]) -> None:
    age, late, joined = _open_columns(scope)
    query = scope.grouped(joined.add_columns(age, late))
    for count, age_days, late_days, key in session.execute(
            query.group_by(GROUP_KEY, literal_column("age"), literal_column("late"))):
        row = out[group_key(key)]
        row.open_now += count
        row.age_bands[band_of(age_days, AGE_BANDS)] += count
        if late_days is not None:
            row.overdue_now += count
            row.overdue_bands[band_of(late_days, OVERDUE_BANDS)] += count


def _event_query(scope: Scope, *columns: Any) -> Any:
    """Events of the period with their case; figures of all cases with nothing to narrow by need no case (the
    events' partial index alone answers them, where the join read every case at a million)."""
    query = select(*columns).select_from(CaseEvent)
    if scope.group != "none" or scope.filters or scope.departments is not None:
        query = query.join(Case, Case.id == CaseEvent.case_id)
    else:
        query = query.where(CaseEvent.case_id.is_not(None))
    return query.where(CaseEvent.at >= scope.start, CaseEvent.at < scope.end)


def _escalations(session: Session, scope: Scope, out: dict[str, Figures]) -> None:
    query = scope.grouped(_event_query(scope, func.count(), func.count(CaseEvent.case_id.distinct()))
                          .where(CaseEvent.kind == EventKind.ESCALATION))
    for count, cases, key in session.execute(query.group_by(GROUP_KEY)):
        out[group_key(key)].escalations += count
        out[group_key(key)].escalated_cases += cases


def _reopened(session: Session, scope: Scope, out: dict[str, Figures]) -> None:
    query = scope.grouped(_event_query(scope, func.count(CaseEvent.case_id.distinct()))
                          .where(CaseEvent.kind == EventKind.STATUS, CaseEvent.message == "reopened"))
    for cases, key in session.execute(query.group_by(GROUP_KEY)):
        out[group_key(key)].reopened += cases


def _survey(session: Session, scope: Scope, out: dict[str, Figures]) -> None:
    query = scope.grouped(select(SurveyAnswer.answer, func.count()).select_from(SurveyAnswer)
                          .join(Case, Case.id == SurveyAnswer.case_id)
                          .where(SurveyAnswer.answered_at >= scope.start, SurveyAnswer.answered_at < scope.end),
                          "answer")
    for value, count, key in session.execute(query.group_by(GROUP_KEY, SurveyAnswer.answer)):
        out[group_key(key)].survey[value] += count


FigureQuery = Callable[[Session, Scope, dict[str, Figures]], None]
FIGURE_QUERIES: tuple[FigureQuery, ...] = (_opened, _acknowledged, _closed, _duplicates, _open_now, _escalations,
                                           _reopened, _survey, extras.adjustments, extras.holds)
# Subsets for views that show only some figures: a previous period needs no snapshot of what is open now.
PERIOD_QUERIES: tuple[FigureQuery, ...] = (_opened, _acknowledged, _closed, _duplicates, _escalations, _reopened,
                                           _survey, extras.adjustments)
COMPARISON_QUERIES: tuple[FigureQuery, ...] = (_opened, _closed, _open_now)
RESOLUTION_QUERIES: tuple[FigureQuery, ...] = (_closed,)
PUBLIC_QUERIES: tuple[FigureQuery, ...] = (_opened, _closed, _survey)


# The figures the daily roll-ups keep (survey answers by the day given), and the roll-up query filling each the
# same way (engine/metrics/rollups.py).
FROM_ROLLUPS: dict[FigureQuery, FigureQuery] = {_opened: rollups.opened, _acknowledged: rollups.acknowledged,
                                                _closed: rollups.closed, _duplicates: rollups.duplicates,
                                                _survey: rollups.survey}


def compute(session: Session, scope: Scope, queries: tuple[FigureQuery, ...] = FIGURE_QUERIES,
            use_rollups: bool = True) -> dict[str, Figures]:
    """The figures of `scope` (all of them, or those `queries` fill), keyed by group value ('all' when not grouped).

    Opened, acknowledged and closed come from the daily roll-ups when they serve the scope, else from the cases."""
    out: dict[str, Figures] = defaultdict(lambda: Figures(key=""))
    rollups.plan_quickly(session)
    rolled = use_rollups and rollups.serves(session, scope)
    for figure in queries:
        (FROM_ROLLUPS.get(figure, figure) if rolled else figure)(session, scope, out)
    extras.fill_zeroes(out)
    for key, row in out.items():
        row.key = key
    return dict(out)
