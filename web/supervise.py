"""Supervisor views: approvals waiting for me, my team's workload, overdue cases."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template

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


@bp.route("/overdue")
@login_required
def overdue() -> Any:
    return render_template("supervise/overdue.html", cases=supervision.overdue_cases(batho(), g.user))


@bp.app_context_processor
def menu() -> dict[str, bool]:
    """Which staff menu entries the signed-in person has."""
    who = g.get("user")
    if who is None:
        return {"is_supervisor": False, "is_approver": False, "may_monitor": False, "may_change_processes": False}
    return {"is_supervisor": is_supervisor(who), "is_approver": is_approver(who), "may_monitor": may_monitor(who),
            "may_change_processes": may_change_processes(who)}
