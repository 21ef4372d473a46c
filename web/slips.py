"""The acknowledgement slip for the counter, printed on A6 or an 80 mm receipt printer, in the citizen's language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template, request
from flask_babel import force_locale

from engine.services import slips

from .auth import login_required
from .services import batho

bp = Blueprint("slips", __name__)
SIZES = ("a6", "80mm")


@bp.route("/cases/<reference>/slip")
@login_required
def slip(reference: str) -> Any:
    size = request.args.get("size", "a6")
    if size not in SIZES:
        size = "a6"
    shown = slips.slip(batho(), g.user, reference)
    language = request.args.get("lang") or shown.language
    with force_locale(language if language in ("en", "st", "af") else "en"):
        return render_template("slips/slip.html", slip=shown, size=size, language=language)
