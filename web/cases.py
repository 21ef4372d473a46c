"""The staff case page: timeline, current tasks, notes and the process diagram; and writing notes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for

from engine.errors import ValidationFailed
from engine.models.enums import EventKind
from engine.services import casefile

from .auth import login_required
from .headers import attachment
from .services import batho

bp = Blueprint("cases", __name__, url_prefix="/cases")
VIEWER = Path(__file__).parent / "static" / "build" / "viewer.js"


def _page(reference: str, errors: dict[str, str], values: dict[str, str], status: int = 200) -> Any:
    found = casefile.case_file(batho(), g.user, reference)
    return render_template("cases/case.html", case=found, errors=errors, values=values,
                           has_viewer=VIEWER.exists()), status


@bp.route("/<reference>")
@login_required
def show(reference: str) -> Any:
    return _page(reference, {}, {})


@bp.route("/<reference>/diagram.bpmn")
@login_required
def diagram(reference: str) -> Any:
    xml = casefile.diagram_xml(batho(), g.user, reference)
    # The viewer fetches it; opened directly, it downloads rather than renders (a diagram is others' markup).
    return Response(xml, mimetype="application/octet-stream",
                    headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                             "Content-Disposition": attachment(f"{reference}.bpmn")})


@bp.route("/<reference>/notes", methods=["POST"])
@login_required
def add_note(reference: str) -> Any:
    kind = request.form.get("kind", "")
    body = request.form.get("body", "")
    try:
        casefile.add_note(batho(), g.user, reference, kind, body)
    except ValidationFailed as exc:
        return _page(reference, exc.errors, {f"{kind}_body": body}, 400)
    flash("Message sent: the citizen sees it on the status page." if kind == EventKind.MESSAGE
          else "Comment added for staff.", "info")
    return redirect(url_for("cases.show", reference=reference.upper()) + ("#messages" if kind == EventKind.MESSAGE
                                                                          else "#comments"))
