"""The staff member's own roles and departments, and the first sign-in's password change that comes before all else."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from engine.services import staff

from .auth import login_required
from .services import batho

bp = Blueprint("profile", __name__)
# Where a temporary password still lets one go: the password page, signing out, and the files pages need.
OPEN_ENDPOINTS = {"account.password", "auth.logout", "auth.login", "static", "profile.index"}


@bp.before_app_request
def change_temporary_password_first() -> Any:
    """A temporary password from an administrator is changed before anything else is done with the account."""
    who = g.get("user")
    if who is None or not who.must_change_password or request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.path.startswith("/api/") or request.blueprint is None:
        return None
    flash("Your password was set by an administrator. Choose your own password before you go on.", "info")
    return redirect(url_for("account.password"))


@bp.route("/account")
@login_required
def index() -> Any:
    return render_template("profile/index.html", me=staff.own_account(batho(), g.user))
