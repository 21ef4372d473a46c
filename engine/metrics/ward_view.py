"""A ward councillor's read-only view of their ward: its cases without personal information, and its figures."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, or_, select

from ..authz import Identity, require_councillor
from ..composition import Batho
from ..models import Case, Open311Request
from ..services import catalog
from ..services.open311 import TOLD_CHANNELS
from ..workdays import working_days_between
from .figures import COMPARISON_QUERIES, Figures
from .period import Period, parse_period
from .service import figures_for, scope_for, today
from .transparency import financial_year_to_date
from .ward_names import ward_map

LIST_LIMIT = 300


@dataclass(frozen=True)
class WardCase:
    """One case of the ward as its councillor sees it: never who lodged it, how to reach them or what they wrote."""

    reference: str
    case_type: str
    category: str | None
    status: str
    opened_at: datetime
    closed_at: datetime | None
    age_days: int  # working days open, to closure for a closed case
    overdue: bool
    town: str | None
    address: str | None  # the address as typed, only where the process makes its cases' details public


@dataclass(frozen=True)
class WardView:
    code: str
    name: str
    town: str
    period: Period
    total: Figures
    categories: list[Figures]
    cases: list[WardCase]
    listed_of: int  # how many cases the list would hold without its limit
    generated_at: datetime


def _case(case: Case, public: bool, now: datetime, tz: str) -> WardCase:
    age = working_days_between(case.opened_at, case.closed_at or now, tz)
    overdue = case.closed_at is None and case.due_at is not None and case.due_at < now
    return WardCase(case.reference, case.case_type, case.category, case.status, case.opened_at, case.closed_at,
                    age, overdue, case.town, case.location if public else None)


def ward_view(app: Batho, who: Identity | None, period_code: str | None = None) -> WardView:
    """The councillor's ward: its cases open now or opened or closed in the period, and the period's figures."""
    code = require_councillor(who)
    period = parse_period(period_code, today(app)) if period_code else financial_year_to_date(today(app))
    scope = scope_for(app, period, "none", {"ward": code})
    now, tz = app.now(), app.config.timezone
    listed = (Case.ward == code, Case.opened_at < scope.end,
              or_(Case.closed_at.is_(None), Case.closed_at >= scope.start, Case.opened_at >= scope.start))
    with app.db.reading() as session:
        total, _ = figures_for(session, scope)
        _, categories = figures_for(session, replace(scope, group="category"), COMPARISON_QUERIES)
        public = {p.key for p in catalog.processes(app, session) if p.public_details}
        count = session.scalar(select(func.count()).select_from(Case).where(*listed)) or 0
        found = list(session.scalars(select(Case).where(*listed).order_by(Case.closed_at.is_not(None),
                                                                          Case.opened_at.desc()).limit(LIST_LIMIT)))
        # Open311's rule (open311.published): the address only where the citizen was told before sending that the
        # process publishes it (our web form, an Open311 client), never for a WhatsApp, USSD, SMS or counter case.
        told = set(session.scalars(select(Open311Request.case_id)
                                   .where(Open311Request.case_id.in_([c.id for c in found])))) if found else set()
        cases = [_case(c, c.case_type in public and (c.channel in TOLD_CHANNELS or c.id in told), now, tz)
                 for c in found]
    ward = (wards := ward_map(app)) and wards.get(code)
    return WardView(code, ward.name if ward else code, ward.town if ward else "", period, total, categories, cases,
                    count, now)
