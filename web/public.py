"""Citizen pages: the start page, lodging a case and the status page by reference, in three languages."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from sqlalchemy.exc import OperationalError

from engine import formatting
from engine.errors import NotFound, ValidationFailed
from engine.services import cases, catalog, slip_routing, submissions, tracking

from . import places
from .i18n import current_language
from .photos import sent_files
from .services import batho

bp = Blueprint("public", __name__)

# The suggestion box is not a process citizens start (slips wait for the Friday run): its line is the page's own.
TOO_LONG = re.compile(r"at most (?P<limit>\d+) characters; you typed (?P<count>\d+)\.")
SUGGESTION_INTRODUCTION = lazy_gettext("A suggestion, comment or compliment about our services.")


def _contact_from(form: Any) -> cases.Contact:
    return cases.Contact(name=form.get("name", ""), email=form.get("email", ""), phone=form.get("phone", ""),
                         language=form.get("language", "en"))


def _long_date(value: Any) -> str | None:
    if value is None:
        return None
    return formatting.long_date(value, current_language(), batho().config.timezone)


@bp.app_template_global()
def status_words(code: str, sentence: str) -> str:
    """The case status in plain words of the page's language: its diagram's sentence, translated where the
    catalogs have it, else as the diagram writes it."""
    return gettext(sentence) if sentence else code


@bp.app_template_global()
def update_text(update: tracking.CitizenUpdate) -> str:
    """A public update in the page's language when its diagram note has a translation, else as written."""
    if update.note:
        translated = gettext(update.note)
        if translated != update.note:
            values = {**update.values, "due_date": _long_date(update.due_at) or ""}
            return formatting.fill_note(translated, values)
    return update.message


@bp.app_template_global()
def long_date(value: Any) -> str | None:
    """A date as citizens read it, in the page's language."""
    return _long_date(value)


def _translated(errors: dict[str, str], fields: Any, confirm: dict[str, str] | None = None) -> dict[str, str]:
    """The engine's sentences in the page's language ("<label> is required." with the label translated too, the
    length limit and the amount to confirm with their figures)."""
    labels = {f.id: f.label for f in fields}
    out = {}
    for key, text in errors.items():
        label = labels.get(key)
        too_long = TOO_LONG.fullmatch(text.removeprefix(f"{label}: ")) if label else None
        if label and text == f"{label} is required.":
            out[key] = gettext("%(label)s is required.", label=gettext(label))
        elif label and confirm and key in confirm:
            out[key] = gettext("%(label)s: %(amount)s — is this right?", label=gettext(label),
                               amount=formatting.money(confirm[key]))
        elif label and too_long:
            out[key] = gettext("%(label)s: at most %(limit)s characters; you typed %(count)s.", label=gettext(label),
                               limit=too_long["limit"], count=too_long["count"])
        else:
            out[key] = gettext(text)
    return out


@bp.route("/")
def index() -> Any:
    return render_template("public/index.html", processes=catalog.lodgeable(batho()),
                           suggestion_introduction=SUGGESTION_INTRODUCTION, url_endpoints=current_app.view_functions)


@bp.route("/lodge/<process_key>", methods=["GET", "POST"])
def lodge(process_key: str) -> Any:
    try:
        process = catalog.process(batho(), process_key)
    except NotFound:
        process = None
    if process is None or not process.citizens_lodge:
        raise NotFound(gettext("There is no such form."))
    fields = process.start_form
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    confirm: dict[str, str] = {}
    unsaved = False
    # One token per form as shown, sent back with it: a second sending of the same form makes no second case.
    token = submissions.form_token(request.form.get("form_token")) or submissions.new_token()
    if request.method == "GET":  # words carried over from the suggestion form (an account query) fill its fields
        values = {f.id: request.args[f.id][:4000] for f in fields if f.id in request.args}
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k not in ("csrf_token", "form_token")}
        try:
            lodged = submissions.lodge_for_citizen(batho(), token, process_key, values, _contact_from(request.form),
                                                   "web", sent_files())
        except ValidationFailed as exc:
            errors, confirm = _translated(exc.errors, fields, exc.confirm), exc.confirm
        except OperationalError:  # disk full, database locked: the transaction rolled back, nothing was written
            current_app.logger.exception("lodging a %s case could not be saved", process_key)
            flash(gettext("Your case was not saved because the system could not write to its database. Please try "
                          "again in a few minutes; what you typed is still below."), "error")
            unsaved = True
        else:
            if lodged.repeated:  # the back button, a double click or a retry: the case the first sending made
                flash(gettext("You sent this form already; this is the case it made."), "info")
            return redirect(url_for("public.lodged", reference=lodged.reference, code=lodged.access_code))
    status = 503 if unsaved else 400 if errors else 200
    # The point (map pin or "use my location") goes with the address field: processes that ask where (issue 15).
    place_map = places.map_settings() if any(f.id == "location" for f in fields) else None
    page = render_template("public/lodge.html", fields=fields, values=values, errors=errors, confirm=confirm,
                           form_token=token, title=process.title, process_key=process_key,
                           published=process.public_details, language=current_language(), place_map=place_map)
    return page, status, {"Content-Security-Policy": places.map_csp()} if place_map else {}


@bp.route("/lodged/<reference>")
def lodged(reference: str) -> Any:
    return render_template("public/lodged.html",
                           status=tracking.citizen_status(batho(), reference, request.args.get("code")))


@bp.route("/track")
def track() -> Any:
    reference = request.args.get("reference", "").strip()
    code = request.args.get("code", "").strip() or None
    if reference:
        return redirect(url_for("public.status", reference=reference.upper(), code=code))
    return render_template("public/track.html")


@bp.route("/status/<reference>")
def status(reference: str) -> Any:
    if slip_routing.is_slip_reference(reference):  # a suggestion, comment or compliment from the suggestion form
        return render_template("suggestions/slip_status.html", slip=slip_routing.slip_status(batho(), reference))
    status = tracking.citizen_status(batho(), reference, request.args.get("code"))
    return render_template("public/status.html", status=status, errors={})


@bp.route("/status/<reference>/rate", methods=["POST"])
def rate(reference: str) -> Any:
    code = request.form.get("code")
    try:
        rating = int(request.form.get("rating", "0"))
    except ValueError:
        rating = 0
    try:
        cases.rate(batho(), reference, rating, request.form.get("comment", ""), code)
    except ValidationFailed as exc:
        errors = {key: gettext(text) for key, text in exc.errors.items()}
        return render_template("public/status.html", status=tracking.citizen_status(batho(), reference, code),
                               errors=errors), 400
    return redirect(url_for("public.status", reference=reference, code=code, rated=1))
