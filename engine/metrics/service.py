"""Monitoring services: the dashboard, the cases behind a figure and the figures as data, each one read."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..authz import Identity, monitored_departments, require_monitor
from ..composition import Batho
from ..errors import Forbidden
from ..models import Department
from .calendar import offset_minutes
from .dimensions import GROUPS, Scope, labels
from .drill import CaseLine, cases_behind
from .figures import COMPARISON_QUERIES, FIGURE_QUERIES, PERIOD_QUERIES, FigureQuery, Figures, compute, merged
from .period import Period, parse_period
from .repeats import Place, cases_at, hotspots, normalised, repeats
from .series import Backlog, MonthShare, Week, backlog, monthly_against_year_before, weekly
from .ward_figures import WardFigures, by_town, by_ward
from .ward_names import relabel, ward_map


def today(app: Batho) -> date:
    return app.now().astimezone(ZoneInfo(app.config.timezone)).date()


def scope_for(app: Batho, period: Period, group: str = "none", filters: dict[str, str] | None = None,
              departments: frozenset[str] | None = None) -> Scope:
    """The scope of a period; `departments` narrows it to those (None: all, as the Council report sees)."""
    start, end = period.bounds(app.config.timezone)
    return Scope(start, end, app.now(), offset_minutes(app.config.timezone), group, dict(filters or {}),
                 departments)


def watched(who: Identity | None, filters: dict[str, str] | None, group: str | None = None,
            key: str | None = None) -> frozenset[str] | None:
    """The departments `who` may monitor; asking by filter or group value for another one is refused."""
    departments = monitored_departments(require_monitor(who))
    asked = [v for v in ((filters or {}).get("department"), key if group == "department" else None) if v]
    if departments is not None and any(a not in departments for a in asked):
        raise Forbidden("You see the figures of your own department only "
                        f"({', '.join(sorted(departments)) or 'none'}): remove the department filter.")
    return departments


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
        total_scope = replace(scope, group="none")
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
    places: Places | None = None  # repeat complaints and hotspots (engine/metrics/repeats.py)
    wards: list[WardFigures] = field(default_factory=list)  # every ward of the ward file, for the map
    towns: list[Figures] = field(default_factory=list)


def dashboard(app: Batho, who: Identity | None, period_code: str | None, group: str = "none",
              filters: dict[str, str] | None = None) -> Dashboard:
    """Figures, per-group rows, the department comparison and the weekly series for a period."""
    seen = watched(who, filters)
    period = parse_period(period_code, today(app))
    scope = scope_for(app, period, group or "none", filters, seen)
    with app.db.reading() as session:
        if scope.group in ("none", "department"):
            total, departments = figures_for(session, scope_for(app, period, "department", filters, seen))
            rows = departments if scope.group == "department" else []
        else:
            total, rows = figures_for(session, scope)
            compared = scope_for(app, period, "department", filters, seen)
            _, departments = figures_for(session, compared, COMPARISON_QUERIES)
        previous, _ = figures_for(session, scope_for(app, period.previous(), "none", filters, seen), PERIOD_QUERIES)
        weeks = weekly(session, scope, period.first, period.last)
        open_weekly = backlog(session, scope, period.first, period.last)
        months = monthly_against_year_before(session, scope, period.first, period.last)
        places = Places(period, repeats(session, scope, 5), hotspots(session, scope, 1), scope.filters)
        wards, towns = by_ward(session, scope, ward_map(app)), by_town(session, scope)
    if scope.group == "ward":
        rows = relabel(app, rows)
    return Dashboard(period, previous, scope.group, total, rows, departments, weeks, scope.filters, app.now(),
                     open_weekly, months, places=places, wards=wards, towns=towns)


def _choices(session: Session, seen: frozenset[str] | None) -> list[str]:
    """The departments a viewer may filter a list by."""
    if seen is not None:
        return sorted(seen)
    return list(session.scalars(select(Department.code).order_by(Department.code)))


@dataclass
class Drill:
    period: Period
    figure: str
    group: str
    key: str | None
    total: int
    cases: list[CaseLine]
    filters: dict[str, str] = field(default_factory=dict)
    departments: list[str] = field(default_factory=list)  # those the viewer may filter by


def drill(app: Batho, who: Identity | None, period_code: str | None, figure: str, group: str = "none",
          key: str | None = None, filters: dict[str, str] | None = None) -> Drill:
    """The cases counted in one figure (for one group value, when given)."""
    seen = watched(who, filters, group, key)
    period = parse_period(period_code, today(app))
    scope = scope_for(app, period, group or "none", filters, seen).with_group_value(key)
    with app.db.reading() as session:
        total, lines = cases_behind(session, scope, figure, app.config.timezone)
        choices = _choices(session, seen)
    return Drill(period, figure, group or "none", key, total, lines, scope.filters, choices)


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
    seen = watched(who, filters)
    period = parse_period(period_code, today(app))
    scope = scope_for(app, period, group or "none", filters, seen)
    with app.db.reading() as session:
        total, rows = figures_for(session, scope)
    if scope.group == "ward":
        rows = relabel(app, rows)
    start, end = period.bounds(app.config.timezone)
    return {"period": {"code": period.code, "first_day": period.first.isoformat(),
                       "last_day": period.last.isoformat(), "start": start.isoformat(), "end": end.isoformat()},
            "group": scope.group, "groups_available": list(GROUPS), "filters": scope.filters,
            "generated_at": app.now().isoformat(), "total": as_data(total), "groups": [as_data(r) for r in rows]}


@dataclass
class Places:
    """Repeat complaints at one place and each category's hotspots, for one period."""

    period: Period
    repeats: list[Place]
    hotspots: list[Place]
    filters: dict[str, str]


def repeat_places(app: Batho, who: Identity | None, period_code: str | None,
                  filters: dict[str, str] | None = None) -> Places:
    """Places with more than one case opened in the period, and the top places of each category."""
    seen = watched(who, filters)
    period = parse_period(period_code, today(app))
    scope = scope_for(app, period, "none", filters, seen)
    with app.db.reading() as session:
        return Places(period, repeats(session, scope), hotspots(session, scope), scope.filters)


def repeat_cases(app: Batho, who: Identity | None, period_code: str | None, place: str,
                 filters: dict[str, str] | None = None) -> Drill:
    """The cases opened in the period at one place (of one category when filtered), as a drill-down list."""
    seen = watched(who, filters)
    period = parse_period(period_code, today(app))
    scope = scope_for(app, period, "none", filters, seen)
    with app.db.reading() as session:
        lines = cases_at(session, scope, place, app.config.timezone)
        choices = _choices(session, seen)
    return Drill(period, "repeats", "place", normalised(place), len(lines), lines, scope.filters, choices)
