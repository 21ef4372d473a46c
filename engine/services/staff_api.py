"""What the staff API reads beyond tasks: a case with its events and tasks, case lists, deployed processes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ..authz import Identity, require_staff, sees_every_case
from ..composition import Batho
from ..errors import ValidationFailed
from ..models import Case, HumanTask, ProcessVersion, User
from . import search
from .bounds import clamped
from .casefile import checked_case
from .tasks import case_history

CASE_FILTERS = ("status", "type", "category", "department", "channel")
MAX_PAGE = 200


def _case_row(case: Case) -> dict[str, Any]:
    return {"reference": case.reference, "type": case.case_type, "status": case.status, "category": case.category,
            "department": case.department_code, "priority": case.priority, "channel": case.channel,
            "opened_at": case.opened_at, "due_at": case.due_at, "closed_at": case.closed_at}


def case_detail(app: Batho, who: Identity, reference: str) -> dict[str, Any]:
    """A case for staff: its facts, its audit trail and its open tasks (no contact details)."""
    require_staff(who)
    with app.db.reading() as session:
        case, _open_tasks = checked_case(session, who, reference)
        events = [{"at": e["at"], "kind": e["kind"], "title": e["title"], "message": e["message"],
                   "actor": e["actor"], "public": e["public"]} for e in case_history(session, case.id)]
        rows = session.execute(select(HumanTask, User.full_name).outerjoin(User, User.id == HumanTask.assignee_id)
                               .where(HumanTask.case_id == case.id).order_by(HumanTask.created_at))
        tasks = [{"id": t.id, "name": t.task_name, "title": t.title, "lane": t.lane, "assignee": name,
                  "due_at": t.due_at} for t, name in rows]
        return {**_case_row(case), "summary": case.summary, "location": case.location, "events": events,
                "tasks": tasks}


def _int(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw))
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ValidationFailed({name: f"{name} must be a whole number from {low} to {high}."})
    return value


def _date(raw: str | None, name: str) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed({name: f"{name} must be an ISO 8601 date-time with a zone."}) from None
    if value.tzinfo is None:
        raise ValidationFailed({name: f"{name} must be an ISO 8601 date-time with a zone."})
    return clamped(value)


@dataclass(frozen=True)
class CasePage:
    cases: list[dict[str, Any]]
    page: int
    per_page: int
    total: int


def case_list(app: Batho, who: Identity, args: dict[str, str]) -> CasePage:
    """Cases newest first, filtered by status, type, category, department, channel, opening time and a search `q`."""
    require_staff(who)
    page = _int(args.get("page"), "page", 1, 1, 1_000_000)
    per_page = _int(args.get("per_page"), "per_page", 50, 1, MAX_PAGE)
    columns = {"status": Case.status, "type": Case.case_type, "category": Case.category,
               "department": Case.department_code, "channel": Case.channel}
    query = select(Case)
    if not sees_every_case(who):  # a department's staff list their department's cases only
        query = query.where(Case.department_code.in_(who.departments))
    for name in CASE_FILTERS:
        if args.get(name):
            query = query.where(columns[name] == args[name])
    opened_from, opened_to = _date(args.get("opened_from"), "opened_from"), _date(args.get("opened_to"), "opened_to")
    if opened_from:
        query = query.where(Case.opened_at >= opened_from)
    if opened_to:
        query = query.where(Case.opened_at <= opened_to)
    with app.db.reading() as session:
        if args.get("q", "").strip():  # the case search's keys and limits (engine/services/search.py)
            query = query.where(search.condition(app, session, who, args["q"]))
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(Case.opened_at.desc(), Case.id.desc())
                               .offset((page - 1) * per_page).limit(per_page))
        return CasePage([_case_row(c) for c in rows], page, per_page, total)


def processes(app: Batho) -> list[dict[str, Any]]:
    """Each deployed process with its versions, newest first."""
    with app.db.reading() as session:
        rows = list(session.scalars(select(ProcessVersion).order_by(ProcessVersion.key,
                                                                    ProcessVersion.version.desc())))
    result: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = result.setdefault(row.key, {"key": row.key, "name": row.name, "latest_version": row.version,
                                            "versions": []})
        entry["versions"].append({"version": row.version, "deployed_at": row.deployed_at})
    return list(result.values())
