"""Staff capture of a citizen's case (phone, walk-in, counter) on the diagram's start form."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, request, url_for

from engine.errors import ValidationFailed
from engine.services import capture, cases

from .auth import login_required
from .photos import sent_files
from .services import batho

bp = Blueprint("capture", __name__, url_prefix="/capture")
CONTACT = ("name", "email", "phone", "language")


@bp.route("/")
@login_required
def index() -> Any:
    return render_template("capture/choose.html", forms=capture.capturable(batho(), g.user))


@bp.route("/<key>", methods=["GET", "POST"])
@login_required
def form(key: str) -> Any:
    shown = capture.capture_form(batho(), g.user, key)
    values: dict[str, Any] = {"channel": request.args.get("channel", "phone"), "language": "en"}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        submitted = {f.id: values[f.id] for f in shown.fields if f.id in values}
        contact = cases.Contact(name=values.get("name", ""), email=values.get("email", ""),
                                phone=values.get("phone", ""), language=values.get("language") or "en")
        try:
            reference = capture.capture(batho(), g.user, key, submitted, contact, values.get("channel", ""),
                                        sent_files())
        except ValidationFailed as exc:  # the page keeps what was typed and names each wrong answer
            errors = exc.errors
        else:
            return redirect(url_for("capture.done", reference=reference))
    return render_template("capture/form.html", form=shown, values=values, errors=errors,
                           contact_fields=CONTACT), 400 if errors else 200


@bp.route("/done/<reference>")
@login_required
def done(reference: str) -> Any:
    return render_template("capture/done.html", captured=capture.captured(batho(), g.user, reference))
