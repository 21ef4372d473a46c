"""Administrators: the notification outbox, and Open311 api keys (issue and revoke)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from engine.authz import is_admin
from engine.errors import ValidationFailed
from engine.notify import admin
from engine.services import api_tokens

from .auth import login_required
from .services import batho

bp = Blueprint("integration", __name__, url_prefix="/admin")


def _admin_only() -> None:
    if not is_admin(g.user):
        abort(403, "Only an administrator can open this page.")


@bp.route("/outbox")
@login_required
def outbox() -> Any:
    _admin_only()
    status = request.args.get("status") or None
    return render_template("integration/outbox.html", rows=admin.outbox(batho(), g.user, status),
                           statuses=admin.STATUSES, status=status)


@bp.route("/api-keys", methods=["GET", "POST"])
@login_required
def api_keys() -> Any:
    _admin_only()
    issued, errors = None, {}
    if request.method == "POST":
        try:
            issued = api_tokens.issue_api_key(batho(), g.user, request.form.get("name", ""))
        except ValidationFailed as exc:
            errors = exc.errors
    status = 400 if errors else 200
    return render_template("integration/api_keys.html", keys=api_tokens.api_keys(batho()), issued=issued,
                           errors=errors), status


@bp.route("/api-keys/<int:key_id>/revoke", methods=["POST"])
@login_required
def revoke_key(key_id: int) -> Any:
    api_tokens.revoke_api_key(batho(), g.user, key_id)
    flash("The api key is revoked: requests with it are refused from now on.", "info")
    return redirect(url_for("integration.api_keys"))
