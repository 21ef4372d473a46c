"""Monitoring services: the dashboard, the cases behind a figure and the figures as data, each one read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..authz import Identity, require_monitor
from ..composition import Batho
from .calendar import offset_minutes
from .dimensions import GROUPS, Scope, labels
from .drill import CaseLine, cases_behind
from .figures import COMPARISON_QUERIES, FIGURE_QUERIES, PERIOD_QUERIES, FigureQuery, Figures, compute, merged
from .period import Period, parse_period
from .series import Backlog, MonthShare, Week, backlog, monthly_against_year_before, weekly


def today(app: Batho) -> date:
    return app.now().astimezone(ZoneInfo(app.config.timezone)).date()


def scope_for(app: Batho, period: Period, group: str = "none", filters: dict[str, str] | None = None) -> Scope:
    start, end = period.bounds(app.config.timezone)
    return Scope(start, end, app.now(), offset_minutes(app.config.timezone), group, dict(filters or {}))


def figures_for(session: Session, scope: Scope, queries: tuple[FigureQuery, ...] = FIGURE_QUERIES
                ) -> tuple[Figures, list[Figures]]:
    """The total and, when grouped, one row per group with its label.

    Groups other than officers split the cases into disjoint sets, so the total is merged from the rows
    instead of being queried again (histograms merge exactly).
    """
    if scope.group == "none":
        total = compute(session, scope, queries).get("all") or Figures(key="all")
        total.label = "All cases"
        return total, []
    rows = compute(session, scope, queries)
    names = labels(session, scope.group, list(rows))
    for key, row in rows.items():
        row.label = names.get(key, key)
    if scope.group == "officer":
        total_scope = Scope(scope.start, scope.end, scope.now, scope.offset_minutes, "none", scope.filters)
        total = compute(session, total_scope, queries).get("all") or Figures(key="all")
    else:
        total = merged(list(rows.values()))
    total.label = "All cases"
    return total, sorted(rows.values(), key=lambda r: r.label.lower())


@dataclass
class Dashboard:
    """What the dashboard page shows for one period and grouping."""

    period: Period
    previous: Figures
    group: str
    total: Figures
    rows: list[Figures]
    departments: list[Figures]
    weeks: list[Week]
    filters: dict[str, str]
    generated_at: datetime
    backlog: list[Backlog] = field(default_factory=list)
    months: list[MonthShare] = field(default_factory=list)


def dashboard(app: Batho, who: Identity | None, period_code: str | None, group: str = "none",
              filters: dict[str, str] | None = None) -> Dashboard:
    """Figures, per-group rows, the department comparison and the weekly series for a period."""
    require_monitor(who)
    period = parse_period(period_code, today(app))
    scope = scope_for(app, period, group or "none", filters)
    with app.db.reading() as session:
        if scope.group in ("none", "department"):
            total, departments = figures_for(session, scope_for(app, period, "department", filters))
            rows = departments if scope.group == "department" else []
        else:
            total, rows = figures_for(session, scope)
            _, departments = figures_for(session, scope_for(app, period, "department", filters), COMPARISON_QUERIES)
        previous, _ = figures_for(session, scope_for(app, period.previous(), "none", filters), PERIOD_QUERIES)
        weeks = weekly(session, scope, period.first, period.last)
        open_weekly = backlog(session, scope, period.first, period.last)
        months = monthly_against_year_before(session, scope, period.first, period.last)
    return Dashboard(period, previous, scope.group, total, rows, departments, weeks, scope.filters, app.now(),
                     open_weekly, months)


@dataclass
class Drill:
    period: Period
    figure: str
    group: str
    key: str | None
    total: int
    cases: list[CaseLine]


def drill(app: Batho, who: Identity | None, period_code: str | None, figure: str, group: str = "none",
          key: str | None = None, filters: dict[str, str] | None = None) -> Drill:
    """The cases counted in one figure (for one group value, when given)."""
    require_monitor(who)
    period = parse_period(period_code, today(app))
    scope = scope_for(app, period, group or "none", filters).with_group_value(key)
    with app.db.reading() as session:
        total, lines = cases_behind(session, scope, figure)
    return Drill(period, figure, group or "none", key, total, lines)


def as_data(row: Figures) -> dict[str, Any]:
    """One group's figures as plain JSON-ready values (durations in working days)."""
    return {
        "key": row.key, "label": row.label, "opened": row.opened, "closed": row.closed,
        "closed_duplicates": row.closed_duplicates, "open_now": row.open_now,
        "acknowledged": row.acknowledged, "acknowledged_in_time": row.acknowledged_in_time,
        "ack_median_working_days": row.ack_median, "ack_p90_working_days": row.ack_p90,
        "resolve_median_working_days": row.resolve_median, "resolve_p90_working_days": row.resolve_p90,
        "closed_with_standard": row.with_standard, "closed_within_standard": row.within_standard,
        "within_standard_share": row.within_standard_share,
        "overdue_now": row.overdue_now, "overdue_by_working_days": dict(row.overdue_bands),
        "open_by_age_working_days": dict(row.age_bands),
        "escalations": row.escalations, "escalated_cases": row.escalated_cases, "reopened": row.reopened,
        "survey": dict(row.survey), "share_satisfied": row.share_satisfied,
        "survey_response_rate": row.survey_response_rate, "rated": row.rated,
        "average_rating": row.average_rating, "rating_response_rate": row.rating_response_rate,
        **row.extras,
    }


def metrics_data(app: Batho, who: Identity | None, period_code: str | None, group: str = "none",
                 filters: dict[str, str] | None = None) -> dict[str, Any]:
    """The dashboard's figures as data for the municipality's own reporting tools."""
    require_monitor(who)
    period = parse_period(period_code, today(app))
    scope = scope_for(app, period, group or "none", filters)
    with app.db.reading() as session:
        total, rows = figures_for(session, scope)
    start, end = period.bounds(app.config.timezone)
    return {"period": {"code": period.code, "first_day": period.first.isoformat(),
                       "last_day": period.last.isoformat(), "start": start.isoformat(), "end": end.isoformat()},
            "group": scope.group, "groups_available": list(GROUPS), "filters": scope.filters,
            "generated_at": app.now().isoformat(), "total": as_data(total), "groups": [as_data(r) for r in rows]}
