"""The citizen's follow-up on the status page: add information, "still not fixed", and "send me my code again"."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext

from engine.errors import ValidationFailed
from engine.services import followup, tracking

from .photos import sent_files
from .services import batho

bp = Blueprint("followup", __name__)


@bp.app_template_global()
def follow_up_of(reference: str) -> followup.FollowUp:
    """What the status page offers for the case now (add information, reopen, or lodge a new case)."""
    return followup.follow_up(batho(), reference)


def _again(reference: str, code: str | None, errors: dict[str, str], typed: dict[str, str]) -> Any:
    """The status page with what was wrong beside the form, and what the citizen typed kept."""
    status = tracking.citizen_status(batho(), reference, code)
    translated = {key: gettext(text) for key, text in errors.items()}
    return render_template("public/status.html", status=status, errors=translated, typed=typed), 400


@bp.route("/status/<reference>/reopen", methods=["POST"])
def reopen(reference: str) -> Any:
    code, words = request.form.get("code"), request.form.get("words", "")
    try:
        followup.reopen(batho(), reference, code, words)
    except ValidationFailed as exc:
        return _again(reference, code, exc.errors, {"words": words})
    return redirect(url_for("public.status", reference=reference, code=code, reopened=1))


@bp.route("/status/<reference>/information", methods=["POST"])
def information(reference: str) -> Any:
    code, text = request.form.get("code"), request.form.get("information", "")
    try:
        followup.add_information(batho(), reference, code, text, sent_files())
    except ValidationFailed as exc:
        return _again(reference, code, exc.errors, {"information": text})
    return redirect(url_for("public.status", reference=reference, code=code, added=1))


@bp.route("/status/<reference>/code", methods=["GET", "POST"])
def resend_code(reference: str) -> Any:
    """The same answer whether or not the contact is the one on file: it tells nobody whose it is."""
    tracking.citizen_status(batho(), reference)  # an unknown reference is a 404, as on the status page
    errors: dict[str, str] = {}
    sent, status = False, 200
    if request.method == "POST":
        try:
            followup.resend_code(batho(), reference, request.form.get("contact", ""))
        except ValidationFailed as exc:
            errors = {key: gettext(text) for key, text in exc.errors.items()}
            status = 429 if isinstance(exc, followup.TooManyResends) else 400
        else:
            current_app.logger.info("access code resend asked for case %s", reference)
            sent = True
    return render_template("public/resend_code.html", reference=reference, errors=errors, sent=sent), status
