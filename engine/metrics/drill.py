"""The cases behind a figure: the same conditions as the figure, as a list without personal information."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from ..errors import ValidationFailed
from ..models import Case, CaseEvent, WorkDay
from ..models.enums import EventKind
from ..models.metrics import SurveyAnswer
from ..services.supervision import days_overdue, holders
from .calendar import local_day
from .dimensions import Scope
from .figures import AGE_BANDS, OVERDUE_BANDS, RESOLVED

DRILL_LIMIT = 500


@dataclass(frozen=True)
class CaseLine:
    """One case in a drill-down list: what it is and where it stands, never who lodged it."""

    reference: str
    case_type: str
    category: str | None
    department: str | None
    channel: str
    status: str
    opened_at: datetime
    due_at: datetime | None
    closed_at: datetime | None
    holder: str = ""  # who holds its open tasks now, or "group: <role>"; staff names only
    days_overdue: int | None = None  # working days past due_at while open
    ward: str | None = None  # the ward code and town of the case's place (issue 15)
    town: str | None = None


CSV_COLUMNS = ("Reference", "Case type", "Category", "Department", "Channel", "Status", "Opened", "Due", "Closed",
               "Holder", "Working days overdue", "Ward", "Town")
# Which officer an officer filter means, per figure (engine/metrics/credit.py); others: whoever worked the case.
FIGURE_CREDIT = {"closed": "resolve", "within_standard": "resolve", "missed_standard": "resolve", "rated": "resolve",
                 "opened": "acknowledge", "acknowledged": "acknowledge", "not_acknowledged": "acknowledge",
                 "dissatisfied": "answer"}


def csv_row(line: CaseLine) -> list[Any]:
    """One line of a drill-down or overdue export, in CSV_COLUMNS order (dates as ISO 8601, UTC)."""
    return [line.reference, line.case_type, line.category, line.department, line.channel, line.status,
            *(d.isoformat() if d else "" for d in (line.opened_at, line.due_at, line.closed_at)),
            line.holder, "" if line.days_overdue is None else line.days_overdue, line.ward or "", line.town or ""]


def lines_of(session: Session, cases: list[Case], now: datetime, tz: str) -> list[CaseLine]:
    """Drill-down lines for `cases`, with their holders and days overdue."""
    held = holders(session, [c.id for c in cases])
    return [CaseLine(c.reference, c.case_type, c.category, c.department_code, c.channel, c.status, c.opened_at,
                     c.due_at, c.closed_at, held.get(c.id, ""), days_overdue(c.due_at, c.closed_at, now, tz),
                     c.ward, c.town)
            for c in cases]


def _in_period(column: Any, scope: Scope) -> Any:
    return and_(column >= scope.start, column < scope.end)


def _event(scope: Scope, *conditions: Any) -> Any:
    return exists().where(CaseEvent.case_id == Case.id, _in_period(CaseEvent.at, scope), *conditions)


def _working_days_since(scope: Scope, column: Any) -> Any:
    """Working days from the local day of `column` to today (a scalar subquery pair)."""
    then, today = aliased(WorkDay), aliased(WorkDay)
    now_day = (scope.now + timedelta(minutes=scope.offset_minutes)).date()
    return (select(today.seq).where(today.day == now_day).scalar_subquery()
            - select(then.seq).where(then.day == local_day(column, scope.offset_minutes)).scalar_subquery())


def _band(bands: tuple[tuple[str, int, int | None], ...], name: str, days: Any) -> Any:
    for band, low, high in bands:
        if band == name:
            return and_(days >= low, days <= high) if high is not None else days >= low
    raise ValidationFailed({"figure": f"There is no band called {name!r}."})


def _simple() -> dict[str, Callable[[Scope], Any]]:
    return {
        "opened": lambda s: _in_period(Case.opened_at, s),
        "closed": lambda s: and_(_in_period(Case.closed_at, s), RESOLVED),
        "closed_duplicates": lambda s: and_(_in_period(Case.closed_at, s), ~RESOLVED),
        "open_now": lambda s: Case.closed_at.is_(None),
        "overdue": lambda s: and_(Case.closed_at.is_(None), Case.due_at < s.now),
        "within_standard": lambda s: and_(_in_period(Case.closed_at, s), RESOLVED, Case.closed_at <= Case.due_at),
        "missed_standard": lambda s: and_(_in_period(Case.closed_at, s), RESOLVED, Case.closed_at > Case.due_at),
        "acknowledged": lambda s: and_(_in_period(Case.opened_at, s), Case.acknowledged_at.is_not(None)),
        "not_acknowledged": lambda s: and_(_in_period(Case.opened_at, s), Case.acknowledged_at.is_(None)),
        "escalated": lambda s: _event(s, CaseEvent.kind == EventKind.ESCALATION),
        "reopened": lambda s: _event(s, CaseEvent.kind == EventKind.STATUS, CaseEvent.message == "reopened"),
        "dissatisfied": lambda s: exists().where(SurveyAnswer.case_id == Case.id, SurveyAnswer.answer == "dissatisfied",
                                                 _in_period(SurveyAnswer.answered_at, s)),
        "rated": lambda s: and_(_in_period(Case.closed_at, s), RESOLVED, Case.satisfaction_rating.is_not(None)),
    }


FIGURES = tuple(_simple()) + tuple(f"age:{b[0]}" for b in AGE_BANDS) + tuple(f"overdue:{b[0]}" for b in OVERDUE_BANDS)


def condition(figure: str, scope: Scope) -> Any:
    """The SQL condition selecting the cases counted in `figure`."""
    simple = _simple()
    if figure in simple:
        return simple[figure](scope)
    kind, _, band = figure.partition(":")
    if kind == "age":
        return and_(Case.closed_at.is_(None), _band(AGE_BANDS, band, _working_days_since(scope, Case.opened_at)))
    if kind == "overdue":
        return and_(Case.closed_at.is_(None), Case.due_at < scope.now,
                    _band(OVERDUE_BANDS, band, _working_days_since(scope, Case.due_at)))
    raise ValidationFailed({"figure": f"There is no figure called {figure!r}."})


def cases_behind(session: Session, scope: Scope, figure: str, tz: str = "Africa/Johannesburg",
                 limit: int = DRILL_LIMIT) -> tuple[int, list[CaseLine]]:
    """How many cases make up `figure`, and the first `limit` of them (most overdue or newest first)."""
    where, credit = condition(figure, scope), FIGURE_CREDIT.get(figure, "worked")
    total = session.scalar(scope.filtered(select(func.count()).select_from(Case).where(where), credit)) or 0
    query = scope.filtered(select(Case).where(where), credit).order_by(Case.due_at.is_(None), Case.due_at,
                                                                         Case.opened_at.desc()).limit(limit)
    return total, lines_of(session, list(session.scalars(query)), scope.now, tz)
