"""Ward councillors: the read-only "My ward" page, and the admin page that gives a councillor their ward."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from engine.authz import confined_to_ward, is_councillor
from engine.errors import Forbidden, ValidationFailed
from engine.metrics import ward_view
from engine.metrics.ward_names import known_wards, ward_label, ward_map
from engine.services import councillors

from .auth import login_required
from .services import batho

bp = Blueprint("councillor", __name__)
# What a councillor with no other role may open: their ward, their account, signing in and out, the public pages.
OPEN_TO_COUNCILLORS = {"auth", "account", "profile", "public", "councillor"}
OPEN_ENDPOINTS = {"static", "council.transparency_page", "suggestions.new", "suggestions.thanks",
                  "suggestions.outcomes", "places.wards_geojson", "places.nearby"}


@bp.before_app_request
def keep_councillors_in_their_ward() -> Any:
    """A councillor reads their ward's cases and figures, nothing else: other staff pages answer 403."""
    who = g.get("user")
    if not confined_to_ward(who) or request.blueprint in OPEN_TO_COUNCILLORS or request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.endpoint is None:
        return None  # not a page: 404 as for anyone
    if request.endpoint == "tasks.index":  # where signing in lands
        return redirect(url_for("councillor.ward"))
    raise Forbidden("Ward councillors see their own ward's cases and figures only: open My ward.")


@bp.route("/ward")
@login_required
def ward() -> Any:
    try:
        view = ward_view.ward_view(batho(), g.user, request.args.get("period"))
    except ValidationFailed as exc:
        return render_template("councillor/invalid.html", errors=exc.errors), 400
    return render_template("councillor/ward.html", view=view)


@bp.route("/admin/staff/<username>/ward", methods=["GET", "POST"])
@login_required
def set_ward(username: str) -> Any:
    app, errors = batho(), {}
    if request.method == "POST":
        try:
            councillors.set_ward(app, g.user, username, request.form.get("ward", ""))
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            flash("The councillor's ward is saved.", "info")
            return redirect(url_for("councillor.set_ward", username=username))
    member = councillors.councillor_ward(app, g.user, username)
    return render_template("councillor/set_ward.html", member=member, errors=errors), 400 if errors else 200


@bp.app_template_filter("ward_name")
def _ward_name(code: str | None) -> str:
    """A ward code as people read it (`Ward 1: Frankfort town`); a dash for none."""
    if not code:
        return "—"
    return ward_label(ward_map(batho()), code)


@bp.app_context_processor
def councillor_menu() -> dict[str, Any]:
    """`is_councillor` for the menu; `ward_choices()`: the wards of the ward file, for ward filters."""
    who = g.get("user")
    return {"is_councillor": is_councillor(who), "ward_only": confined_to_ward(who),
            "ward_choices": lambda: known_wards(batho())}
