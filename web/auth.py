"""Sign-in, sign-out and the login_required guard."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from engine.services import identity, signin

from .services import batho

bp = Blueprint("auth", __name__)


@bp.before_app_request
def load_signed_in_user() -> None:
    user_id = session.get("user_id")
    g.user = identity.load_identity(batho(), user_id) if user_id else None


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.path))
        return view(**kwargs)

    return wrapped


def _safe_next(target: str | None) -> str:
    if not target:
        return url_for("tasks.index")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/"):
        return url_for("tasks.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "POST":
        try:
            who = signin.sign_in(batho(), request.form.get("username", ""), request.form.get("password", ""),
                                 request.remote_addr)
        except signin.TooManyAttempts as exc:
            flash(str(exc), "error")
            return render_template("auth/login.html", username=request.form.get("username", "")), 429
        if who is None:
            flash("That username and password do not match. Try again.", "error")
            return render_template("auth/login.html", username=request.form.get("username", "")), 401
        session.clear()
        session["user_id"] = who.id
        session.permanent = True
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", username="")


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
