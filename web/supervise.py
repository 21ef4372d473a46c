"""Supervisor views: approvals waiting for me, my team's workload, overdue cases."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, g, render_template, request

from engine.authz import is_approver, is_supervisor, may_change_processes, may_monitor
from engine.services import supervision

from .auth import login_required
from .services import batho

bp = Blueprint("supervise", __name__, url_prefix="/supervise")


@bp.route("/")
@login_required
def index() -> Any:
    return render_template("supervise/approvals.html", rows=supervision.approvals_waiting(batho(), g.user))


@bp.route("/team")
@login_required
def team() -> Any:
    people, unclaimed = supervision.team_workload(batho(), g.user)
    return render_template("supervise/team.html", people=people, unclaimed=unclaimed)


def _overdue_filters() -> dict[str, str]:
    return {name: request.args[name] for name in ("department", "category", "ward") if request.args.get(name)}


@bp.route("/overdue")
@login_required
def overdue() -> Any:
    return render_template("supervise/overdue.html", filters=_overdue_filters(),
                           cases=supervision.overdue_cases(batho(), g.user, _overdue_filters()))


@bp.route("/overdue.csv")
@login_required
def overdue_export() -> Response:
    """The overdue list as CSV: reference, type, category, department, status, due, escalation, holder, days."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("Reference", "Case type", "Category", "Department", "Status", "Due", "Escalated", "Holder",
                     "Working days overdue", "Ward"))
    for c in supervision.overdue_cases(batho(), g.user, _overdue_filters()):
        writer.writerow((c.reference, c.case_type, c.category or "", c.department or "", c.status,
                         c.due_at.isoformat() if c.due_at else "", c.escalation or "", c.holder,
                         "" if c.days_overdue is None else c.days_overdue, c.ward or ""))
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="batho-overdue-cases.csv"'})


@bp.app_context_processor
def menu() -> dict[str, bool]:
    """Which staff menu entries the signed-in person has."""
    who = g.get("user")
    if who is None:
        return {"is_supervisor": False, "is_approver": False, "may_monitor": False, "may_change_processes": False}
    return {"is_supervisor": is_supervisor(who), "is_approver": is_approver(who), "may_monitor": may_monitor(who),
            "may_change_processes": may_change_processes(who)}
