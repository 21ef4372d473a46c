"""Staff pages of issue 3: deviations awaiting reasons, and credit-control holds in force."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from engine.errors import ValidationFailed
from engine.services import credit_holds, deviations

from .auth import login_required
from .services import batho

bp = Blueprint("casework", __name__)


@bp.route("/deviations")
@login_required
def deviation_list() -> Any:
    return render_template("casework/deviations.html", rows=deviations.awaiting_reasons(batho(), g.user),
                           errors={}, failed=None, values={})


@bp.route("/deviations/<int:deviation_id>", methods=["POST"])
@login_required
def record_deviation(deviation_id: int) -> Any:
    reason, remedy = request.form.get("reason", ""), request.form.get("remedial_action", "")
    try:
        deviations.record_reason(batho(), g.user, deviation_id, reason, remedy)
    except ValidationFailed as exc:
        return render_template("casework/deviations.html", rows=deviations.awaiting_reasons(batho(), g.user),
                               errors=exc.errors, failed=deviation_id,
                               values={"reason": reason, "remedial_action": remedy}), 400
    flash("The deviation is recorded for the report to Council.", "info")
    return redirect(url_for("casework.deviation_list"))


@bp.route("/credit-holds")
@login_required
def holds() -> Any:
    account = request.args.get("account", "")
    return render_template("casework/holds.html", holds=credit_holds.holds_in_force(batho(), g.user, account),
                           account=account)
