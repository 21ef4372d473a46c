"""Staff task lists, claiming and the task page with the diagram's form."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from engine.errors import ValidationFailed
from engine.services import tasks

from .auth import login_required
from .services import batho

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@bp.route("/")
@login_required
def index() -> Any:
    return render_template("tasks/list.html", mine=tasks.my_tasks(batho(), g.user),
                           available=tasks.available_tasks(batho(), g.user))


@bp.route("/<task_id>/claim", methods=["POST"])
@login_required
def claim(task_id: str) -> Any:
    tasks.claim(batho(), g.user, task_id)
    flash("The task is yours now.", "info")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.route("/<task_id>/unclaim", methods=["POST"])
@login_required
def unclaim(task_id: str) -> Any:
    tasks.unclaim(batho(), g.user, task_id)
    flash("The task is back in the group's list.", "info")
    return redirect(url_for("tasks.index"))


@bp.route("/<task_id>", methods=["GET"])
@login_required
def show(task_id: str) -> Any:
    view = tasks.task_view(batho(), g.user, task_id)
    return render_template("tasks/task.html", view=view, values=view.values, errors={})


@bp.route("/<task_id>", methods=["POST"])
@login_required
def complete(task_id: str) -> Any:
    submitted = {key: request.form.get(key) for key in request.form if key != "csrf_token"}
    try:
        reference = tasks.complete(batho(), g.user, task_id, submitted)
    except ValidationFailed as exc:
        view = tasks.task_view(batho(), g.user, task_id)
        flash("Some answers need correcting; see the messages below.", "error")
        return render_template("tasks/task.html", view=view, values=submitted, errors=exc.errors), 400
    flash(f"Done. Case {reference} moved on to its next step.", "info")
    return redirect(url_for("tasks.index"))
