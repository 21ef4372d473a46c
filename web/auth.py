"""Sign-in, sign-out and the login_required guard; the cookie holds only a server-side session id."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from engine.services import directory, signin, user_sessions

from .services import batho

bp = Blueprint("auth", __name__)


@bp.before_app_request
def load_signed_in_user() -> None:
    token = session.get("sid")
    g.user = user_sessions.session_identity(batho(), token) if isinstance(token, str) else None
    if token and g.user is None:  # signed out elsewhere, password changed, or the account disabled
        session.clear()


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
            signed_in = user_sessions.sign_in_with_session(batho(), request.form.get("username", ""),
                                                           request.form.get("password", ""), request.remote_addr)
        except signin.TooManyAttempts as exc:
            flash(str(exc), "error")
            return render_template("auth/login.html", username=request.form.get("username", "")), 429
        except directory.DirectoryUnavailable as exc:  # local accounts still work; say why this one does not
            flash(str(exc), "error")
            return render_template("auth/login.html", username=request.form.get("username", "")), 503
        if signed_in is None:
            flash("That username and password do not match. Try again.", "error")
            return render_template("auth/login.html", username=request.form.get("username", "")), 401
        session.clear()  # a fresh cookie: nothing from before the sign-in carries over
        session["sid"] = signed_in.token
        session.permanent = True
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", username="")


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    token = session.get("sid")
    if isinstance(token, str):
        user_sessions.end_session(batho(), token)
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
