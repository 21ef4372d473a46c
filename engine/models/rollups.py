"""Daily roll-ups of the monitoring figures (issue 14): one row per local day and case dimensions, kept current.

A row holds what the cases of one (case type, category, department, channel, ward, town) did on one local day:
opened that day (and, of those, how soon they were acknowledged, as a histogram of working days), resolved or
closed as a duplicate that day (with a histogram of working days from opening to closing, within-standard counts
and ratings). Period figures add rows up and merge histograms, so medians and percentiles stay exact.

The rows of one key (day and dimensions) add up to the contributions of its cases, and a case's contribution is a
function of its row in `cases` and the working-day calendar. `MonitoringRollups` (a handler of the unit of work,
listed in the composition root) notes each case a transaction touches, with its contribution before the first
change, and just before the commit appends the difference to its contribution after as new rows (`apply`: counts
may be negative): the roll-ups change in the same transaction as the cases, and no two transactions wait on one
roll-up row. Readers add a key's rows up; the worker folds them into one row per key (`fold`). `rebuild` writes
them all from the cases (migration 0018, `batho metrics rebuild`, after bulk loads that bypass the unit of work).

Monthly rows (`MonthlyFigure`, the same figures per local calendar month, `day` its first day) are kept beside the
daily ones by the same changes in the same transaction, so a year's views add up about 12 rows per set of dimensions
instead of 365 (issue 14: 660 rows instead of 18 313 for a year at a million cases). They are always the daily rows
summed per month; migration 0025 and `rebuild` write them from the daily rows / the cases.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Connection, Date, Index, String, Table, delete, func, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.util import identity_key

from .base import Base, utcnow
from .case import Case
from .enums import DUPLICATE_STATUS
from .metrics import ANSWERS_ADDED, SURVEY_ANSWERS, SurveyAnswer, WorkDay
from .scale_indexes import SCALE_INDEXES  # noqa: F401 - on the tables' metadata with the roll-ups

DIMENSIONS = ("case_type", "category", "department_code", "channel", "ward", "town")
COUNTS = ("opened", "acknowledged", "acknowledged_in_time", "resolved", "within_standard", "with_standard", "rated",
          "rating_total", "duplicates", "survey_satisfied", "survey_dissatisfied", "survey_no_response")
HISTOGRAMS = ("ack_histogram", "resolve_histogram")
CASE_STATE = (Case.id, Case.case_type, Case.category, Case.department_code, Case.channel, Case.ward, Case.town,
              Case.status, Case.opened_at, Case.ack_due_at, Case.due_at, Case.closed_at, Case.acknowledged_at,
              Case.satisfaction_rating)
BATCH = 5000


class _Figures:
    """The columns of a roll-up row: its period (`day`), its dimensions and the figures of its cases."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # the local day; a monthly row: the month's first day
    case_type: Mapped[str] = mapped_column(String(60))
    category: Mapped[str | None] = mapped_column(String(60))
    department_code: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(30))
    ward: Mapped[str | None] = mapped_column(String(20))
    town: Mapped[str | None] = mapped_column(String(60))
    opened: Mapped[int] = mapped_column(default=0)
    acknowledged: Mapped[int] = mapped_column(default=0)  # of the cases opened that day
    acknowledged_in_time: Mapped[int] = mapped_column(default=0)
    ack_histogram: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # working days -> cases
    resolved: Mapped[int] = mapped_column(default=0)  # closed that day, not as a duplicate
    within_standard: Mapped[int] = mapped_column(default=0)
    with_standard: Mapped[int] = mapped_column(default=0)
    rated: Mapped[int] = mapped_column(default=0)
    rating_total: Mapped[int] = mapped_column(default=0)
    resolve_histogram: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    duplicates: Mapped[int] = mapped_column(default=0)  # closed that day as a repeat of another case
    survey_satisfied: Mapped[int] = mapped_column(default=0)  # satisfaction answers given that day
    survey_dissatisfied: Mapped[int] = mapped_column(default=0)
    survey_no_response: Mapped[int] = mapped_column(default=0)


class DailyFigure(_Figures, Base):
    """What the cases of one set of dimensions did on one local day (see the module's docstring)."""

    __tablename__ = "daily_figures"
    __table_args__ = (Index("ix_daily_figures_day_department", "day", "department_code"),)


class MonthlyFigure(_Figures, Base):
    """The daily rows of one local calendar month added up (`day` is the month's first day), kept with them."""

    __tablename__ = "monthly_figures"
    __table_args__ = (Index("ix_monthly_figures_day_department", "day", "department_code"),)


class RollupMark(Base):
    """For which UTC offset (minutes) the roll-ups hold local days, and when they were last built in full."""

    __tablename__ = "rollup_marks"

    offset_minutes: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    built_at: Mapped[datetime] = mapped_column(default=utcnow)


FIGURES, MARKS = cast(Table, DailyFigure.__table__), cast(Table, RollupMark.__table__)
MONTHS = cast(Table, MonthlyFigure.__table__)
Key = tuple[date, tuple[Any, ...]]


@dataclass
class Change:
    """A difference to one roll-up row: counts and histogram entries to add (negative to take away)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    ack_histogram: dict[int, int] = field(default_factory=dict)
    resolve_histogram: dict[int, int] = field(default_factory=dict)

    def add(self, other: Change, sign: int) -> None:
        for name in COUNTS:
            self.counts[name] += sign * other.counts[name]
        for name in HISTOGRAMS:
            into = getattr(self, name)
            for k, v in getattr(other, name).items():
                into[k] = into.get(k, 0) + sign * v

    def __bool__(self) -> bool:
        return any(self.counts.values()) or any(self.ack_histogram.values()) or any(self.resolve_histogram.values())


def offset_of(tz: str) -> int:
    """The zone's offset from UTC now, in minutes (South Africa keeps one all year)."""
    offset = datetime.now(UTC).astimezone(ZoneInfo(tz)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _local(moment: datetime, offset: int) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment.astimezone(UTC) + timedelta(minutes=offset)).date()


def contributions(rows: Iterable[Any], seq: dict[date, int], offset: int,
                  answers: dict[int, list[tuple[datetime, str]]] | None = None) -> dict[int, dict[Key, Change]]:
    """Each case's contribution (case id -> row key -> change), as the period queries over `cases` would count it.

    Durations need both days in the calendar (the period queries join it); a case outside it counts only as opened
    or closed as a duplicate."""
    result: dict[int, dict[Key, Change]] = {}
    for row in rows:
        mine: dict[Key, Change] = defaultdict(Change)
        dims = tuple(getattr(row, d) for d in DIMENSIONS)
        opened = _local(row.opened_at, offset)
        here = mine[(opened, dims)]
        here.counts["opened"] += 1
        if row.acknowledged_at is not None and opened in seq and _local(row.acknowledged_at, offset) in seq:
            here.counts["acknowledged"] += 1
            here.counts["acknowledged_in_time"] += int(row.ack_due_at is not None
                                                       and row.acknowledged_at <= row.ack_due_at)
            wd = seq[_local(row.acknowledged_at, offset)] - seq[opened]
            here.ack_histogram[wd] = here.ack_histogram.get(wd, 0) + 1
        if row.closed_at is not None:
            closed_day = _local(row.closed_at, offset)
            there = mine[(closed_day, dims)]
            if row.status == DUPLICATE_STATUS:
                there.counts["duplicates"] += 1
            elif opened in seq and closed_day in seq:
                there.counts["resolved"] += 1
                there.counts["within_standard"] += int(row.due_at is not None and row.closed_at <= row.due_at)
                there.counts["with_standard"] += int(row.due_at is not None)
                there.counts["rated"] += int(row.satisfaction_rating is not None)
                there.counts["rating_total"] += row.satisfaction_rating or 0
                wd = seq[closed_day] - seq[opened]
                there.resolve_histogram[wd] = there.resolve_histogram.get(wd, 0) + 1
        for answered_at, answer in (answers or {}).get(row.id, ()):
            if answer in SURVEY_ANSWERS:
                mine[(_local(answered_at, offset), dims)].counts[f"survey_{answer}"] += 1
        result[row.id] = dict(mine)
    return result


def survey_of(conn: Connection, condition: Any) -> dict[int, list[tuple[datetime, str]]]:
    """The satisfaction answers of the cases `condition` selects (over survey_answers), per case."""
    found: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for case_id, at, answer in conn.execute(select(SurveyAnswer.case_id, SurveyAnswer.answered_at,
                                                   SurveyAnswer.answer).where(condition)):
        found[case_id].append((at, answer))
    return found


def case_states(conn: Connection, ids: Iterable[int]) -> list[Any]:
    """The columns a contribution is made of, for the cases `ids` (those still there)."""
    wanted, found = sorted(set(ids)), list[Any]()
    for start in range(0, len(wanted), BATCH):
        found += conn.execute(select(*CASE_STATE).where(Case.id.in_(wanted[start:start + BATCH]))).all()
    return found


# The working-day calendar as read by this process, per database: (read until, first day, last day, day -> seq).
# work_days is written by the migrations alone (a change of the holidays needs `batho metrics rebuild` anyway), so
# a completion reads it only when it needs days outside what it holds, or after CALENDAR_SECONDS.
_CALENDARS: dict[str, tuple[float, date, date, dict[date, int]]] = {}
CALENDAR_SECONDS, CALENDAR_MARGIN = 300.0, timedelta(days=400)


def calendar_of(conn: Connection, rows: list[Any], offset: int) -> dict[date, int]:
    """The calendar's `seq` of every local day the rows' durations need (and of the days around them)."""
    days = {_local(at, offset) for r in rows for at in (r.opened_at, r.acknowledged_at, r.closed_at) if at}
    if not days:
        return {}
    first, last, now = min(days), max(days), time.monotonic()
    where = conn.engine.url.render_as_string(hide_password=True)
    held = _CALENDARS.get(where)
    if held is None or now > held[0] or first < held[1] or last > held[2]:
        first, last = first - CALENDAR_MARGIN, last + CALENDAR_MARGIN
        seq = dict(conn.execute(select(WorkDay.day, WorkDay.seq).where(WorkDay.day.between(first, last))).all())
        held = _CALENDARS[where] = (now + CALENDAR_SECONDS, first, last, seq)
    return held[3]


def of_cases(conn: Connection, ids: Iterable[int], offset: int) -> dict[int, dict[Key, Change]]:
    """The contributions of the cases `ids` as they stand in the database now."""
    rows = case_states(conn, ids)
    answers = survey_of(conn, SurveyAnswer.case_id.in_(sorted({r.id for r in rows}))) if rows else {}
    return contributions(rows, calendar_of(conn, rows, offset), offset, answers)


Snapshot = tuple[tuple[Any, ...], tuple[tuple[datetime, str], ...]]  # a case's CASE_STATE and its survey answers
STATE_KEYS = tuple(c.key for c in CASE_STATE)


def _answers_of(conn: Connection, ids: Iterable[int], leave_out: set[int] | frozenset[int] = frozenset()
                ) -> dict[int, tuple[tuple[datetime, str], ...]]:
    """The survey answers of the cases `ids`, sorted, without the answers whose ids are in `leave_out`."""
    found: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for case_id, answer_id, at, answer in conn.execute(
            select(SurveyAnswer.case_id, SurveyAnswer.id, SurveyAnswer.answered_at, SurveyAnswer.answer)
            .where(SurveyAnswer.case_id.in_(sorted(set(ids))))):
        if answer_id not in leave_out:
            found[case_id].append((at, answer))
    return {i: tuple(sorted(v)) for i, v in found.items()}


def snapshots(conn: Connection, ids: Iterable[int], leave_out: set[int] | frozenset[int] = frozenset()
              ) -> tuple[dict[int, tuple[Any, Snapshot]], dict[int, tuple[tuple[datetime, str], ...]]]:
    """What each case's contribution is made of, in one read (the case and its survey answers joined): the row for
    `contributions` and a value to compare. A transaction whose cases end as they began needs nothing else.
    Second: each case's answers without those whose ids are in `leave_out` (this transaction's own)."""
    wanted, found = sorted(set(ids)), dict[int, tuple[Any, Snapshot]]()
    answers: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    earlier: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for start in range(0, len(wanted), BATCH):
        query = (select(*CASE_STATE, SurveyAnswer.id.label("answer_id"), SurveyAnswer.answered_at,
                        SurveyAnswer.answer)
                 .outerjoin(SurveyAnswer, SurveyAnswer.case_id == Case.id)
                 .where(Case.id.in_(wanted[start:start + BATCH])))
        for row in conn.execute(query):
            if row.id not in found:
                found[row.id] = (row, (tuple(row[:len(CASE_STATE)]), ()))
            if row.answer is not None:
                answers[row.id].append((row.answered_at, row.answer))
                if row.answer_id not in leave_out:
                    earlier[row.id].append((row.answered_at, row.answer))
    return ({i: (row, (state, tuple(sorted(answers.get(i, []))))) for i, (row, (state, _)) in found.items()},
            {i: tuple(sorted(earlier.get(i, []))) for i in found})


def as_loaded(session: Session, case_id: int) -> tuple[Any, tuple[tuple[Any, ...], None]] | None:
    """The case's CASE_STATE as this transaction loaded it (before its own changes, from the attributes' history),
    with its answers still to read (None); None when the case is not loaded whole in the session (read it then)."""
    case = session.identity_map.get(identity_key(Case, case_id))
    if not isinstance(case, Case) or case in session.deleted:
        return None
    attrs, values = inspect(case).attrs, []
    for key in STATE_KEYS:
        history = attrs[key].history  # unchanged: the value loaded; changed: the value loaded is in `deleted`
        if history.deleted:
            values.append(history.deleted[0])
        elif history.unchanged and not history.added:
            values.append(history.unchanged[0])
        else:  # not loaded, or set with the value loaded unknown
            return None
    return SimpleNamespace(**dict(zip(STATE_KEYS, values, strict=True))), (tuple(values), None)


def contributions_of(conn: Connection, states: dict[int, tuple[Any, Snapshot]], offset: int,
                     seq: dict[date, int]) -> dict[int, dict[Key, Change]]:
    """The contributions of cases read by `snapshots`, with the calendar days `seq` (see calendar_of)."""
    rows = [row for row, _ in states.values()]
    answers = {i: list(snapshot[1]) for i, (_, snapshot) in states.items()}
    return contributions(rows, seq, offset, answers)


def _merged(histogram: dict[str, int] | None, change: dict[int, int]) -> dict[str, int]:
    result = {str(k): v for k, v in (histogram or {}).items()}
    for k, v in change.items():
        result[str(k)] = result.get(str(k), 0) + v
    return {k: v for k, v in sorted(result.items(), key=lambda item: int(item[0])) if v}


def by_month(changes: dict[Key, Change]) -> dict[Key, Change]:
    """The daily `changes` added up per month (keyed by the month's first day)."""
    months: dict[Key, Change] = defaultdict(Change)
    for (day, dims), change in changes.items():
        months[(day.replace(day=1), dims)].add(change, 1)
    return dict(months)


def apply(conn: Connection, changes: dict[Key, Change]) -> None:
    """Add `changes` to the roll-ups: one new row per changed day and dimensions in daily_figures, one per month in
    monthly_figures (a row may hold negative figures: a case that moved or reopened takes its old contribution
    away). Two INSERTs and no row locks, so concurrent completions of one day and category never wait for each
    other; the readers add a key's rows up, and `fold` folds them into one row per key later (the worker)."""
    _insert(conn, FIGURES, changes)
    _insert(conn, MONTHS, by_month(changes))


def _key_of(row: Any) -> Key:
    return row.day, tuple(getattr(row, d) for d in DIMENSIONS)


def _change_of(row: Any) -> Change:
    return Change({n: getattr(row, n) for n in COUNTS},
                  {int(k): v for k, v in (row.ack_histogram or {}).items()},
                  {int(k): v for k, v in (row.resolve_histogram or {}).items()})


def fold(conn: Connection, since: dict[str, int] | None = None) -> tuple[int, dict[str, int]]:
    """Fold each key's rows into one (none when its figures add up to nothing) in daily_figures and
    monthly_figures; returns (rows taken away, marks). With `since` (the marks of an earlier fold: each table's
    highest id after it) only the days that have newer rows are looked at.

    Safe beside writers and other folders: the rows are taken with DELETE … RETURNING and only what this
    statement deleted is added back up, so a row inserted meanwhile stays for the next fold, and a row another
    folder took is not counted twice; readers see the rows before or after, never half (one transaction). A row
    committed late with a lower id than a mark is left to the next fold without marks."""
    removed, marks = 0, {}
    for table in (FIGURES, MONTHS):
        last = (since or {}).get(table.name, 0)
        top = conn.scalar(select(func.max(table.c.id))) or 0
        query = select(table.c.id, table.c.day, *(table.c[d] for d in DIMENSIONS))
        if last:
            days = select(table.c.day).where(table.c.id > last, table.c.id <= top).distinct()
            query = query.where(table.c.day.in_(days))
        per_key: dict[Key, list[int]] = defaultdict(list)
        for row in conn.execute(query):
            per_key[_key_of(row)].append(row.id)
        ids = sorted(i for found in per_key.values() if len(found) > 1 for i in found)
        total: dict[Key, Change] = defaultdict(Change)
        for start in range(0, len(ids), BATCH):
            for row in conn.execute(delete(table).where(table.c.id.in_(ids[start:start + BATCH]))
                                    .returning(*table.c)):
                total[_key_of(row)].add(_change_of(row), 1)
                removed += 1
        _insert(conn, table, total)
        # The highest id after the fold's own rows: SQLite gives a new row the highest id plus one, so the ids a
        # fold freed at the top come again, above this mark (PostgreSQL's sequence only climbs).
        marks[table.name] = conn.scalar(select(func.max(table.c.id))) or 0
    return removed, marks


def difference(before: dict[int, dict[Key, Change]], after: dict[int, dict[Key, Change]]) -> dict[Key, Change]:
    """What the roll-ups must gain (after) and lose (before) for the cases in either."""
    total: dict[Key, Change] = defaultdict(Change)
    for sign, side in ((-1, before), (1, after)):
        for mine in side.values():
            for key, change in mine.items():
                total[key].add(change, sign)
    return dict(total)


def rebuild(conn: Connection, offset: int, batch: int = 50_000, months: bool = True) -> int:
    """Write every roll-up row again from the cases (for `offset`); returns how many cases were counted.

    `months=False` leaves the monthly rows alone (migration 0018, before their table exists)."""
    conn.execute(delete(FIGURES))
    conn.execute(delete(MARKS))
    seq = dict(conn.execute(select(WorkDay.day, WorkDay.seq)).all())
    total: dict[Key, Change] = defaultdict(Change)
    counted, last = 0, 0
    while True:
        rows = conn.execute(select(*CASE_STATE).where(Case.id > last).order_by(Case.id).limit(batch)).all()
        if not rows:
            break
        answers = survey_of(conn, SurveyAnswer.case_id.between(rows[0].id, rows[-1].id))
        for mine in contributions(rows, seq, offset, answers).values():
            for key, change in mine.items():
                total[key].add(change, 1)
        counted, last = counted + len(rows), rows[-1].id
    _insert(conn, FIGURES, total)
    if months:
        conn.execute(delete(MONTHS))
        _insert(conn, MONTHS, by_month(total))
    conn.execute(insert(MARKS).values(offset_minutes=offset, built_at=utcnow()))
    return counted


def _insert(conn: Connection, table: Table, total: dict[Key, Change]) -> None:
    rows_out = [{"day": k[0], **dict(zip(DIMENSIONS, k[1], strict=True)), **c.counts,
                 "ack_histogram": _merged({}, c.ack_histogram), "resolve_histogram": _merged({}, c.resolve_histogram)}
                for k, c in total.items() if c]
    for start in range(0, len(rows_out), BATCH):
        conn.execute(insert(table), rows_out[start:start + BATCH])


def rebuild_months(conn: Connection) -> int:
    """Write the monthly rows again from the daily rows (migration 0025); returns how many monthly rows."""
    conn.execute(delete(MONTHS))
    total: dict[Key, Change] = defaultdict(Change)
    for row in conn.execute(select(FIGURES)):
        total[(row.day.replace(day=1), _key_of(row)[1])].add(_change_of(row), 1)
    _insert(conn, MONTHS, total)
    return sum(1 for c in total.values() if c)


TOUCHED, BEFORE = "rollups_touched", "rollups_before"
Noted = tuple[Any, Snapshot] | tuple[Any, tuple[tuple[Any, ...], None]] | None  # None: the case was not there


class MonitoringRollups:
    """The handler keeping the roll-ups in the writing transaction (see the module's docstring)."""

    def __init__(self, offset_minutes: int) -> None:
        self.offset = offset_minutes

    def __call__(self, session: Session, new: Any) -> None:
        """Before a flush writes: note the cases it changes, as they stood before."""
        touched: list[Case] = session.info.setdefault(TOUCHED, [])
        before: dict[int, Noted] = session.info.setdefault(BEFORE, {})
        for case in touched:  # created by an earlier flush of this transaction: nothing counted before it
            if case.id is not None:
                before.setdefault(case.id, None)
        ids = {e.case_id for e in new.events if e.case_id is not None}
        deleting = set()
        for case in new.cases:
            if case in session.new:
                touched.append(case)
            elif case.id is not None:
                ids.add(case.id)
                if case in session.deleted:
                    deleting.add(case.id)
        self._note(session, ids, deleting)

    def _note(self, session: Session, ids: set[int], going: set[int] | None = None) -> None:
        """Note the cases `ids` as they stood before this transaction: from the rows it loaded where it has them
        (their answers are read at the commit), else read. The answers of a case noted that way are read now if
        it is about to be deleted (`going`: None for every one), while they are still there."""
        before: dict[int, Noted] = session.info.setdefault(BEFORE, {})
        fresh = ids - set(before)
        loaded = {i: found for i in fresh if going is not None and (found := as_loaded(session, i)) is not None}
        rest = fresh - set(loaded)
        before.update(loaded)
        if rest:
            known, _ = snapshots(session.connection(), rest)
            before.update({i: known.get(i) for i in rest})
        unread = {i for i in (ids if going is None else going) if (b := before.get(i)) is not None and b[1][1] is None}
        if unread:
            answers = _answers_of(session.connection(), unread, session.info.get(ANSWERS_ADDED, set()))
            for i in unread:
                row, (state, _) = cast(tuple[Any, tuple[tuple[Any, ...], None]], before[i])
                before[i] = (row, (state, answers.get(i, ())))

    def before_statement(self, session: Session, statement: Any) -> None:
        """Before an ORM UPDATE or DELETE of cases: note the cases it will change, as they stand."""
        table = getattr(statement, "table", None)
        if table is not None and getattr(table, "name", None) == Case.__tablename__:
            where = statement.whereclause
            query = select(Case.id) if where is None else select(Case.id).where(where)
            with session.no_autoflush:
                self._note(session, set(session.connection().scalars(query)), None)

    def settle(self, session: Session) -> None:
        """Just before the commit: the roll-ups take the difference of the contributions of the noted cases whose
        state changed (most transactions change none: an event's case read once, nothing more)."""
        session.flush()
        before: dict[int, Noted] = session.info.pop(BEFORE, {})
        touched: list[Case] = session.info.pop(TOUCHED, [])
        added: set[int] = session.info.pop(ANSWERS_ADDED, set())
        ids = set(before) | {c.id for c in touched if c.id is not None}
        if not ids:
            return
        conn = session.connection()
        after, earlier = snapshots(conn, ids, added)
        was_there = {i: _with_answers(noted, earlier.get(i, ())) for i, noted in before.items()}
        changed = {i for i in ids if _compared(was_there.get(i)) != _compared(after.get(i))}
        if not changed:
            return
        old = {i: found for i in changed if (found := was_there.get(i)) is not None}
        new = {i: after[i] for i in changed if i in after}
        seq = calendar_of(conn, [row for row, _ in (*old.values(), *new.values())], self.offset)
        was, now = contributions_of(conn, old, self.offset, seq), contributions_of(conn, new, self.offset, seq)
        apply(conn, difference({i: was.get(i, {}) for i in changed}, {i: now.get(i, {}) for i in changed}))


def _with_answers(noted: Noted, answers: tuple[tuple[datetime, str], ...]) -> tuple[Any, Snapshot] | None:
    """A noted case with its answers: those read when noted, else `answers` (the ones there before)."""
    if noted is None:
        return None
    row, (state, known) = noted
    return row, (state, answers if known is None else known)


def _compared(found: tuple[Any, Snapshot] | None) -> Snapshot | None:
    return None if found is None else found[1]
