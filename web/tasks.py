"""Staff task lists, claiming and reassigning, and the task page with the diagram's form."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import OperationalError

from engine.errors import Conflict, ValidationFailed
from engine.services import submissions, supervision, tasks, worklist
from engine.services.taskforms import FormChanged, form_signature

from .auth import login_required
from .services import batho

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@bp.route("/")
@login_required
def index() -> Any:
    page = worklist.task_page(batho(), g.user, worklist.TaskQuery.parse(request.args.to_dict()))
    return render_template("tasks/list.html", page=page, q=page.query)


def _back_to_list(default: str | None = None) -> str:
    """The page the user came from (kept in a hidden field), or their own tasks."""
    target = request.form.get("back", "")
    safe = target.startswith(("/tasks/", "/cases/", "/supervise/")) and "//" not in target
    return target if safe else (default or url_for("tasks.index"))


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
    return redirect(_back_to_list())


@bp.route("/<task_id>/reassign", methods=["POST"])
@login_required
def reassign(task_id: str) -> Any:
    try:
        name = supervision.reassign(batho(), g.user, task_id, request.form.get("assignee", ""))
    except ValidationFailed as exc:
        flash(" ".join(exc.errors.values()), "error")
        return redirect(_back_to_list(url_for("tasks.show", task_id=task_id)))
    flash(f"The task now belongs to {name}.", "info")
    return redirect(_back_to_list(url_for("tasks.show", task_id=task_id)))


def _render(task_id: str, values: dict[str, Any] | None, errors: dict[str, str], status: int = 200,
            confirm: dict[str, str] | None = None) -> Any:
    view = tasks.task_view(batho(), g.user, task_id)
    candidates = supervision.reassign_candidates(batho(), g.user, task_id)
    return render_template("tasks/task.html", view=view, values=view.values if values is None else values,
                           errors=errors, signature=form_signature(view.fields), candidates=candidates,
                           confirm=confirm or {}, form_token=_token() or submissions.new_token()), status


def _token() -> str | None:
    """The one-time token the task form was shown with (kept when the page comes back with corrections)."""
    return submissions.form_token(request.form.get("form_token"))


@bp.route("/<task_id>", methods=["GET"])
@login_required
def show(task_id: str) -> Any:
    return _render(task_id, None, {})


@bp.route("/<task_id>", methods=["POST"])
@login_required
def complete(task_id: str) -> Any:
    submitted = {key: request.form.get(key) for key in request.form
                 if key not in ("csrf_token", "form_signature", "confirm_amount", "form_token")}
    try:
        done = tasks.complete(batho(), g.user, task_id, submitted, request.form.get("form_signature"), _token())
    except ValidationFailed as exc:  # the page lists each wrong answer above the form
        return _render(task_id, submitted, exc.errors, 400, exc.confirm)
    except FormChanged as exc:
        flash(str(exc), "error")
        return _render(task_id, submitted, {}, 409)
    except Conflict as exc:
        # Completed or taken by someone else meanwhile: say so, and give back what was typed.
        return render_template("tasks/conflict.html", message=str(exc), submitted=submitted), 409
    except OperationalError:  # disk full, database locked: the transaction rolled back, nothing was written
        current_app.logger.exception("completing task %s could not be saved", task_id)
        flash("Your answers were not saved because the system could not write to its database. Please try again "
              "in a few minutes; what you typed is still below.", "error")
        return _render(task_id, submitted, {}, 503)
    if done.already_done_at is not None:  # this same form was sent before (a double click, the back button)
        return render_template("tasks/already_done.html", done=done)
    if done.next_step_stopped:  # saved, but the diagram failed after it: say so instead of "moved on"
        flash(f"Your answers were saved, but case {done.reference} stopped at its next step with an error in "
              "its process diagram. An administrator can see it on the process insight page and retry it; "
              "you do not need to do this task again.", "error")
    else:
        flash(f"Done. Case {done.reference} moved on to its next step.", "info")
    return redirect(url_for("tasks.index"))
