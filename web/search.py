"""The staff case search page (/cases/search) and the menu entries of finding and capturing cases."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template, request

from engine.authz import is_staff, may_capture_cases, may_see_holds
from engine.services import search

from .auth import login_required
from .services import batho

bp = Blueprint("search", __name__)


@bp.route("/cases/search")
@login_required
def index() -> Any:
    page = search.search_cases(batho(), g.user, search.CaseSearch.parse(request.args.to_dict()))
    return render_template("search/results.html", page=page, q=page.query)


@bp.app_context_processor
def menu() -> dict[str, bool]:
    """Which of these staff menu entries the signed-in person has."""
    who = g.get("user")
    return {"may_search_cases": who is not None and is_staff(who), "may_capture_cases": may_capture_cases(who),
            "may_see_holds": may_see_holds(who)}
