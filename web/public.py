"""Citizen pages: the start page, lodging a complaint and the status page by reference."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from engine.errors import NotFound, ValidationFailed
from engine.services import cases

from .services import batho

bp = Blueprint("public", __name__)

LODGEABLE = {"complaint": "Report a problem or complain"}


def _contact_from(form: Any) -> cases.Contact:
    return cases.Contact(name=form.get("name", ""), email=form.get("email", ""), phone=form.get("phone", ""),
                         language=form.get("language", "en"))


@bp.route("/")
def index() -> Any:
    return render_template("public/index.html", processes=LODGEABLE)


@bp.route("/lodge/<process_key>", methods=["GET", "POST"])
def lodge(process_key: str) -> Any:
    if process_key not in LODGEABLE:
        raise NotFound("There is no such form.")
    fields = cases.start_form(batho(), process_key)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        try:
            reference = cases.lodge(batho(), process_key, values, _contact_from(request.form), "web")
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            return redirect(url_for("public.lodged", reference=reference))
    status = 400 if errors else 200
    return render_template("public/lodge.html", fields=fields, values=values, errors=errors,
                           title=LODGEABLE[process_key], process_key=process_key), status


@bp.route("/lodged/<reference>")
def lodged(reference: str) -> Any:
    return render_template("public/lodged.html", status=cases.public_status(batho(), reference))


@bp.route("/track")
def track() -> Any:
    reference = request.args.get("reference", "").strip()
    if reference:
        return redirect(url_for("public.status", reference=reference.upper()))
    return render_template("public/track.html")


@bp.route("/status/<reference>")
def status(reference: str) -> Any:
    return render_template("public/status.html", status=cases.public_status(batho(), reference), errors={})


@bp.route("/status/<reference>/rate", methods=["POST"])
def rate(reference: str) -> Any:
    try:
        rating = int(request.form.get("rating", "0"))
    except ValueError:
        rating = 0
    try:
        cases.rate(batho(), reference, rating, request.form.get("comment", ""))
    except ValidationFailed as exc:
        return render_template("public/status.html", status=cases.public_status(batho(), reference),
                               errors=exc.errors), 400
    return redirect(url_for("public.status", reference=reference, rated=1))
