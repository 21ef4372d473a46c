"""The worker's calendar: the weekly suggestion-box run and the yearly policy review, each started once.

A run is a NEW instance per period (ISO week, year), never a cycle timer inside one instance. The period's
row in `scheduled_runs` is inserted in the same transaction as the case, and its unique key makes a second
worker (or a second pass) insert nothing, so no period is ever started twice.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..composition import Batho
from ..db import insert_new
from ..lodging import latest_version
from ..models import ScheduledRun
from .cases import start_in
from .lookup import case_in

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _claim_period(session: Session, schedule: str, period: str, now: datetime) -> ScheduledRun | None:
    """Insert the period's row; None when another worker (or an earlier pass) has it already."""
    result = session.execute(insert_new(session, ScheduledRun).values(schedule=schedule, period=period, started_at=now)
                             .returning(ScheduledRun.id))
    run_id = result.scalar()
    return session.get(ScheduledRun, run_id) if run_id is not None else None


def weekly_moment(app: Batho, local: datetime) -> datetime:
    """This ISO week's configured day and time (e.g. Friday 09:00) in the municipality's time zone."""
    day = DAYS.index(app.config.suggestion_box_day)
    hour, minute = (int(part) for part in app.config.suggestion_box_time.split(":"))
    iso = local.isocalendar()
    moment_day = date.fromisocalendar(iso.year, iso.week, day + 1)
    return datetime.combine(moment_day, time(hour, minute), tzinfo=local.tzinfo)


def _start_once(app: Batho, schedule: str, key: str, period: str, data: dict[str, object]) -> str | None:
    with app.db.transaction() as session:
        if latest_version(session, key) is None:
            return None
        run = _claim_period(session, schedule, period, app.now())
        if run is None:
            return None
        reference = start_in(app, session, key, data, channel="suggestion_box" if key == "suggestion_box" else "api")
        case = case_in(session, reference)
        run.case_id = case.id if case else None
        return reference


def start_suggestion_box_run(app: Batho) -> str | None:
    """Start this week's suggestion-box run once its day and time have come; its reference, else None."""
    local = app.now().astimezone(ZoneInfo(app.config.timezone))
    if local < weekly_moment(app, local):
        return None
    iso = local.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    return _start_once(app, "suggestion_box", "suggestion_box", week,
                       {"week": week, "category": "weekly_run", "description": f"Suggestion box, week {week}"})


def start_policy_review(app: Batho) -> str | None:
    """Start this year's Customer Care Policy review once its date has come; its reference, else None."""
    local = app.now().astimezone(ZoneInfo(app.config.timezone))
    month, day = (int(part) for part in app.config.policy_review_date.split("-"))
    if local.date() < date(local.year, month, day):
        return None
    year = str(local.year)
    previous = str(local.year - 1)
    return _start_once(app, "policy_review", "policy_review", year,
                       {"year": year, "category": "annual", "report_link": f"/reports/council?period={previous}",
                        "description": f"Customer Care Policy review {year} (figures of {previous})"})


def run_due(app: Batho) -> list[str]:
    """Start whatever the calendar says is due now; the references of the cases started."""
    started = [start_suggestion_box_run(app), start_policy_review(app)]
    return [reference for reference in started if reference]
