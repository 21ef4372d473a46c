"""Process insight for process owners: the heat view of a process version, and failed instances to retry or cancel."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from engine.authz import is_admin
from engine.errors import ValidationFailed
from engine.metrics import insight
from engine.models.enums import InstanceStatus
from engine.services import incidents

from .auth import login_required
from .dashboard import explained
from .services import batho

bp = Blueprint("insight", __name__, url_prefix="/insight")


def _version_arg() -> int | None:
    value = request.args.get("version", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationFailed({"version": "Version: give a version number such as 3."})
    return int(value)


@bp.route("/")
@login_required
def index() -> Any:
    return redirect(url_for("insight.process", key=request.args.get("key", "complaint")))


@bp.route("/<key>")
@login_required
@explained
def process(key: str) -> Any:
    found = insight.process_insight(batho(), g.user, key, _version_arg(), request.args.get("period"))
    return render_template("insight/process.html", insight=found, processes=insight.processes(batho()),
                           is_admin=is_admin(g.user), errors={}, values={})


def _back(key: str) -> Any:
    return redirect(url_for("insight.process", key=key, version=request.form.get("version"),
                            period=request.form.get("period")))


@bp.route("/<key>/instances/<int:instance_id>/retry", methods=["POST"])
@login_required
def retry(key: str, instance_id: int) -> Any:
    try:
        status = incidents.retry(batho(), g.user, instance_id, incidents.parse_data(request.form.get("data", "")))
    except ValidationFailed as exc:
        flash(exc.errors.get("data", str(exc)), "error")
        return _back(key)
    if status == InstanceStatus.ERROR:
        flash(f"Instance {instance_id} was retried and stopped again; the new error is listed.", "error")
    else:
        flash(f"Instance {instance_id} was retried and runs again.", "info")
    return _back(key)


@bp.route("/<key>/instances/<int:instance_id>/cancel", methods=["POST"])
@login_required
def cancel(key: str, instance_id: int) -> Any:
    try:
        incidents.cancel(batho(), g.user, instance_id, request.form.get("reason", ""))
    except ValidationFailed as exc:
        flash(exc.errors.get("reason", str(exc)), "error")
        return _back(key)
    flash(f"Instance {instance_id} was cancelled and its case closed.", "info")
    return _back(key)
