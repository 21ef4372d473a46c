"""Administrators: staff accounts (add, change, disable, enable, reset passwords), the staff audit, acting deputies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from engine.authz import require_admin
from engine.errors import ValidationFailed
from engine.services import acting, organisation, staff, staff_audit

from .auth import login_required
from .services import batho

bp = Blueprint("admin_staff", __name__, url_prefix="/admin")


@bp.before_request
def admins_only() -> None:
    if g.user is not None:  # not signed in: login_required sends them to the sign-in page
        require_admin(g.user, "Only an administrator may manage staff accounts.")


def _form_values() -> dict[str, Any]:
    form = request.form
    return {"username": form.get("username", ""), "full_name": form.get("full_name", ""),
            "email": form.get("email", ""), "phone": form.get("phone", ""), "roles": form.getlist("roles"),
            "departments": form.getlist("departments")}


def _staff_page(errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> Any:
    app = batho()
    return render_template("admin/staff.html", staff=staff.list_staff(app, g.user), roles=organisation.roles(app),
                           departments=organisation.departments(app), audit=staff_audit.audit_lines(app, g.user, 100),
                           errors=errors or {}, values=values or {}), 400 if errors else 200


@bp.route("/staff")
@login_required
def index() -> Any:
    return _staff_page()


@bp.route("/staff", methods=["POST"])
@login_required
def add() -> Any:
    values = _form_values()
    try:
        changed = staff.add_staff(batho(), g.user, values)
    except ValidationFailed as exc:
        return _staff_page(exc.errors, values)
    # Shown on this page only, never put in the cookie (flash messages travel in it).
    return render_template("admin/temporary_password.html", staff=changed.staff,
                           password=changed.temporary_password, added=True), 201


@bp.route("/staff/<username>", methods=["GET", "POST"])
@login_required
def edit(username: str) -> Any:
    app, errors = batho(), {}
    if request.method == "POST":
        values = _form_values()
        values.pop("username")
        try:
            staff.change_staff(app, g.user, username, values)
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash("The changes are saved.", "info")
            return redirect(url_for("admin_staff.edit", username=username))
    return render_template("admin/staff_edit.html", member=staff.staff_member(app, g.user, username),
                           roles=organisation.roles(app), departments=organisation.departments(app),
                           audit=staff_audit.audit_lines(app, g.user, 50, username), errors=errors), \
        400 if errors else 200


@bp.route("/staff/<username>/disable", methods=["POST"])
@login_required
def disable(username: str) -> Any:
    staff.change_staff(batho(), g.user, username, {"active": False})
    flash("The account is disabled: they are signed out everywhere, their API tokens no longer work and the tasks "
          "they held are back with their groups.", "info")
    return redirect(url_for("admin_staff.edit", username=username))


@bp.route("/staff/<username>/enable", methods=["POST"])
@login_required
def enable(username: str) -> Any:
    staff.change_staff(batho(), g.user, username, {"active": True})
    flash("The account is enabled: they can sign in again.", "info")
    return redirect(url_for("admin_staff.edit", username=username))


@bp.route("/staff/<username>/reset-password", methods=["POST"])
@login_required
def reset_password(username: str) -> Any:
    changed = staff.reset_password(batho(), g.user, username)
    return render_template("admin/temporary_password.html", staff=changed.staff,
                           password=changed.temporary_password, added=False)


@bp.route("/roles", methods=["GET", "POST"])
@login_required
def roles() -> Any:
    app, errors = batho(), {}
    if request.method == "POST":
        form = request.form
        try:
            organisation.save_role(app, g.user, form.get("key", ""), form.get("name", ""), form.get("description", ""))
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash("The role is saved. Diagrams can name it in a lane now.", "info")
            return redirect(url_for("admin_staff.roles"))
    return render_template("admin/roles.html", roles=organisation.roles(app), errors=errors,
                           values=request.form), 400 if errors else 200


@bp.route("/departments", methods=["GET", "POST"])
@login_required
def departments() -> Any:
    app, errors = batho(), {}
    if request.method == "POST":
        form = request.form
        try:
            organisation.save_department(app, g.user, form.get("code", ""), form.get("name", ""),
                                         form.get("description", ""), form.get("categories", "").split(","),
                                         form.get("supervisor", ""))
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash("The department is saved.", "info")
            return redirect(url_for("admin_staff.departments"))
    return render_template("admin/departments.html", departments=organisation.departments(app),
                           staff=staff.list_staff(app, g.user), errors=errors, values=request.form), \
        400 if errors else 200


def _local(text: str) -> datetime | None:
    """A date and time typed in the municipality's time zone, in UTC; None when it is not one."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    zone = ZoneInfo(batho().config.timezone)
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)


@bp.route("/acting", methods=["GET", "POST"])
@login_required
def acting_page() -> Any:
    app, errors = batho(), {}
    if request.method == "POST":
        form = request.form
        try:
            acting.appoint(app, g.user, form.get("absent", ""), form.get("deputy", ""),
                           _local(form.get("starts_at", "")), _local(form.get("ends_at", "")))
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash("The acting appointment is made.", "info")
            return redirect(url_for("admin_staff.acting_page"))
    return render_template("admin/acting.html", appointments=acting.appointments(app),
                           staff=staff.list_staff(app, g.user), errors=errors, values=request.form,
                           now=app.now()), 400 if errors else 200


@bp.route("/acting/<int:appointment_id>/end", methods=["POST"])
@login_required
def end_acting(appointment_id: int) -> Any:
    acting.end_appointment(batho(), g.user, appointment_id)
    flash("The acting appointment has ended.", "info")
    return redirect(url_for("admin_staff.acting_page"))
