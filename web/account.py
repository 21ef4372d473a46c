"""The staff member's own account: changing their password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from engine.errors import ValidationFailed
from engine.services import account, signin

from .auth import login_required
from .services import batho

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> Any:
    if request.method == "GET":
        return render_template("account/password.html", errors={})
    form = request.form
    try:
        account.change_password(batho(), g.user, form.get("current", ""), form.get("new", ""), form.get("repeat", ""),
                                keep_session=session.get("sid", ""), address=request.remote_addr)
    except ValidationFailed as exc:
        return render_template("account/password.html", errors=exc.errors), 400
    except signin.TooManyAttempts as exc:
        return render_template("account/password.html", errors={"current": str(exc)}), 429
    flash("Your password is changed. Everywhere else you were signed in is signed out, and your API tokens are "
          "revoked.", "info")
    return redirect(url_for("account.password"))
