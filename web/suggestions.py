"""Suggestion slips: the public slip form, staff capture of paper slips, and "you said, we did"."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, g, redirect, render_template, request, url_for

from engine.authz import require_capturer
from engine.errors import ValidationFailed
from engine.services import cases, slip_routing, submissions, suggestions

from .auth import login_required
from .services import batho

bp = Blueprint("suggestions", __name__)


def _contact(form: Any) -> cases.Contact:
    return cases.Contact(name=form.get("name", ""), email=form.get("email", ""), phone=form.get("phone", ""))


def _routed(sent: slip_routing.SlipSent, values: dict[str, Any]) -> Any:
    if sent.lodged is not None:
        return redirect(url_for("public.lodged", reference=sent.lodged.reference, code=sent.lodged.access_code))
    if sent.form is not None:  # the account query's own form asks for the account number; the words go along
        return redirect(url_for("public.lodge", process_key=sent.form, description=values.get("text", "")))
    return redirect(url_for("suggestions.thanks", number=int((sent.slip or "0").removeprefix(slip_routing.PREFIX)),
                            reference=sent.slip))


def _slip_page(channel: str) -> Any:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    # One token per slip form as shown: the same slip sent twice is one slip in the box.
    token = submissions.form_token(request.form.get("form_token")) or submissions.new_token()
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k not in ("csrf_token", "form_token")}
        try:
            if channel == "web":  # a complaint or query is not left in the box until Friday
                return _routed(slip_routing.send_slip(batho(), token, values, _contact(request.form)), values)
            number, _ = submissions.drop_slip(batho(), token, values, _contact(request.form), channel,
                                              g.user if channel == "paper" else None)
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            return redirect(url_for("suggestions.thanks", number=number, paper=1 if channel == "paper" else None))
    waiting = suggestions.waiting_slips(batho()) if channel == "paper" else None
    return render_template("suggestions/slip.html", fields=suggestions.slip_form(), values=values, errors=errors,
                           paper=channel == "paper", waiting=waiting, form_token=token), 400 if errors else 200


@bp.route("/suggestions/new", methods=["GET", "POST"])
def new() -> Any:
    return _slip_page("web")


@bp.route("/suggestions/capture", methods=["GET", "POST"])
@login_required
def capture() -> Any:
    require_capturer(g.user)
    return _slip_page("paper")


@bp.route("/suggestions/thanks/<int:number>")
def thanks(number: int) -> Any:
    return render_template("suggestions/thanks.html", number=number, paper=request.args.get("paper") == "1")


def _published_day(written: str) -> date | str:
    """The outcome's date back as a date, so the page writes it the reader's way (`day` filter): the service gives it
    in English words ('Friday 18 September 2026'); anything else shows as given."""
    try:
        return datetime.strptime(written, "%A %d %B %Y").date()
    except ValueError:
        return written


@bp.route("/you-said-we-did")
def outcomes() -> Any:
    found = [(_published_day(o.published_on), o) for o in suggestions.published_outcomes(batho())]
    return render_template("suggestions/outcomes.html", outcomes=found)
