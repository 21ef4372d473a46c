"""The Council report (monthly or yearly): standards and performance per department, deviations with reasons and
remedial actions, suggestion-box outcomes, satisfaction and trends against the previous period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..authz import Identity, may_monitor, may_see_insight
from ..composition import Batho
from ..errors import Forbidden
from ..models import Case, Deviation, SuggestionSlip
from .dimensions import Scope
from .figures import COMPARISON_QUERIES, PERIOD_QUERIES, RESOLUTION_QUERIES, Figures
from .period import Period, parse_period
from .series import Week, monthly, weekly
from .service import figures_for, scope_for, today
from .standards import Standard, standards_in_force
from .ward_figures import WardFigures, by_ward
from .ward_names import ward_map

TARGET_SHARE = 0.8  # the Presidential Hotline's minimum resolution target, used as the flag for Council


@dataclass(frozen=True)
class StandardLine:
    """A standard in force, and how the cases it covers did in the period."""

    standard: Standard
    now: Figures | None


@dataclass(frozen=True)
class DepartmentLine:
    key: str
    label: str
    now: Figures
    before: Figures | None
    standards: list[StandardLine]

    @property
    def below_target(self) -> bool:
        share = self.now.within_standard_share
        return share is not None and share < TARGET_SHARE

    @property
    def met(self) -> bool | None:
        """Whether the department met the target share of cases within the standard (None: nothing closed)."""
        share = self.now.within_standard_share
        return None if share is None else share >= TARGET_SHARE

    @property
    def met_before(self) -> bool | None:
        share = self.before.within_standard_share if self.before else None
        return None if share is None else share >= TARGET_SHARE


@dataclass(frozen=True)
class DeviationLine:
    """A missed standard and what the responsible manager recorded about it (no citizen details)."""

    reference: str
    case_type: str
    category: str | None
    department: str | None
    standard: str
    due_at: datetime | None
    detected_at: datetime
    reason: str | None
    remedial_action: str | None


@dataclass(frozen=True)
class SuggestionLine:
    service_area: str | None
    you_said: str
    we_did: str
    published_at: datetime | None


@dataclass
class CouncilReport:
    period: Period
    previous: Period
    total: Figures
    total_before: Figures
    departments: list[DepartmentLine]
    deviations: list[DeviationLine]
    suggestions: list[SuggestionLine]
    slips_received: int
    slips_handled: int
    trend: list[Week]
    trend_before: list[Week]
    generated_at: datetime
    wards: list[WardFigures] = field(default_factory=list)  # every ward of the ward file, then cases with none

    @property
    def yearly(self) -> bool:
        return self.period.kind in ("year", "financial_year")

    @property
    def deviations_without_reason(self) -> int:
        return sum(1 for d in self.deviations if not d.reason)


def _standards(session: Session, scope: Scope, standards: list[Standard]) -> dict[tuple[str, str], Figures]:
    """Figures per (case type, category) for every case type that has standards."""
    result: dict[tuple[str, str], Figures] = {}
    for case_type in sorted({s.case_type for s in standards}):
        narrowed = Scope(scope.start, scope.end, scope.now, scope.offset_minutes, "category",
                         {**scope.filters, "case_type": case_type})
        _, rows = figures_for(session, narrowed, RESOLUTION_QUERIES)
        for row in rows:
            result[(case_type, row.key)] = row
    return result


def _departments(session: Session, app: Batho, period: Period, standards: list[Standard]) -> list[DepartmentLine]:
    scope = scope_for(app, period, "department")
    _, now_rows = figures_for(session, scope, COMPARISON_QUERIES)
    _, before_rows = figures_for(session, scope_for(app, period.previous(), "department"), RESOLUTION_QUERIES)
    before = {r.key: r for r in before_rows}
    by_category = _standards(session, scope, standards)
    lines = []
    for row in now_rows:
        mine = [StandardLine(s, by_category.get((s.case_type, s.category))) for s in standards
                if s.department == row.key]
        lines.append(DepartmentLine(row.key, row.label, row, before.get(row.key), mine))
    unassigned = [StandardLine(s, by_category.get((s.case_type, s.category))) for s in standards
                  if s.department is None]
    if unassigned and lines:
        lines.append(DepartmentLine("", "Standards set per process (any department)", Figures(key=""), None,
                                    unassigned))
    return lines


def _deviations(session: Session, start: datetime, end: datetime) -> list[DeviationLine]:
    rows = session.execute(select(Deviation, Case.reference, Case.case_type, Case.category, Case.department_code)
                           .join(Case, Case.id == Deviation.case_id)
                           .where(Deviation.detected_at >= start, Deviation.detected_at < end)
                           .order_by(Case.department_code, Deviation.detected_at, Deviation.id))
    return [DeviationLine(ref, kind, category, dept, d.standard, d.due_at, d.detected_at, d.reason,
                          d.remedial_action) for d, ref, kind, category, dept in rows]


def _suggestions(session: Session, start: datetime, end: datetime) -> tuple[list[SuggestionLine], int, int]:
    published = session.execute(select(SuggestionSlip.service_area, SuggestionSlip.public_you_said,
                                       SuggestionSlip.public_we_did, SuggestionSlip.published_at)
                                .where(SuggestionSlip.published_at >= start, SuggestionSlip.published_at < end)
                                .order_by(SuggestionSlip.published_at))
    received = session.scalar(select(func.count()).select_from(SuggestionSlip).where(
        SuggestionSlip.received_at >= start, SuggestionSlip.received_at < end)) or 0
    handled = session.scalar(select(func.count()).select_from(SuggestionSlip).where(
        SuggestionSlip.handled_at >= start, SuggestionSlip.handled_at < end)) or 0
    lines = [SuggestionLine(area, said or "", did or "", at) for area, said, did, at in published]
    return lines, received, handled


def require_report_reader(who: Identity | None) -> Identity:
    """Monitoring roles read the report; so does the process owner, who reviews the policy against it."""
    if who is None or not (may_monitor(who) or may_see_insight(who)):
        raise Forbidden("Only supervisors, managers, process owners and administrators may see the Council report.")
    return who


def council_report(app: Batho, who: Identity | None, period_code: str | None) -> CouncilReport:
    """Everything the monthly or yearly report to Council shows, for one period and the one before it."""
    require_report_reader(who)
    period = parse_period(period_code, today(app))
    previous = period.previous()
    scope = scope_for(app, period)
    series = monthly if period.kind in ("year", "financial_year") else weekly
    with app.db.reading() as session:
        standards = standards_in_force(session)
        total, _ = figures_for(session, scope)
        total_before, _ = figures_for(session, scope_for(app, previous), PERIOD_QUERIES)
        departments = _departments(session, app, period, standards)
        deviations = _deviations(session, scope.start, scope.end)
        suggestions, received, handled = _suggestions(session, scope.start, scope.end)
        trend = series(session, scope, period.first, period.last)
        trend_before = series(session, scope_for(app, previous), previous.first, previous.last)
        wards = by_ward(session, scope, ward_map(app), COMPARISON_QUERIES)
    return CouncilReport(period, previous, total, total_before, departments, deviations, suggestions, received,
                         handled, trend, trend_before, app.now(), wards)
