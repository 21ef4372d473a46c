"""The public transparency page (Batho Pele: openness): headline figures per department, nothing personal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..composition import Batho
from ..services import catalog
from .figures import PUBLIC_QUERIES, Figures
from .period import Period, month
from .service import figures_for, scope_for, today
from .standards import Standard, standards_in_force
from .ward_figures import WardFigures, by_ward
from .ward_names import ward_map


@dataclass(frozen=True)
class PublicFigures:
    """Per-department aggregates for the last full month and for the financial year so far."""

    month: Period
    year: Period
    month_rows: list[Figures]
    year_rows: list[Figures]
    month_total: Figures
    year_total: Figures
    standards: list[Standard]
    year_wards: list[WardFigures] = field(default_factory=list)  # the wards of the ward file, counts only


def financial_year_to_date(day: date) -> Period:
    start = date(day.year if day.month >= 7 else day.year - 1, 7, 1)
    return Period(start, day, "range")


def public_figures(app: Batho) -> PublicFigures:
    """Counts, shares and medians only: no references, names or officers."""
    now = today(app)
    last_month_end = now.replace(day=1) - timedelta(days=1)
    last_month = month(last_month_end.year, last_month_end.month)
    year = financial_year_to_date(now)
    with app.db.reading() as session:
        citizens = {p.key for p in catalog.processes(app, session) if p.citizens_lodge}
        month_total, month_rows = figures_for(session, scope_for(app, last_month, "department"), PUBLIC_QUERIES)
        year_total, year_rows = figures_for(session, scope_for(app, year, "department"), PUBLIC_QUERIES)
        standards = [s for s in standards_in_force(session) if s.case_type in citizens]
        wards = [w for w in by_ward(session, scope_for(app, year), ward_map(app), PUBLIC_QUERIES) if w.known]
    return PublicFigures(last_month, year, month_rows, year_rows, month_total, year_total, standards, wards)
