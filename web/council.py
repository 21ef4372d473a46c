"""The report to Council (monthly or yearly, print-ready) and the public transparency page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template, request

from engine.metrics import report, transparency

from . import charts
from .auth import login_required
from .dashboard import explained
from .services import batho

bp = Blueprint("council", __name__)


def _trend_chart(found: report.CouncilReport) -> Any:
    fmt = "%b %Y" if found.yearly else "%d %b"
    labels = [w.start.strftime(fmt) for w in found.trend]
    before = [w.opened for w in found.trend_before][:len(labels)]
    before += [0] * (len(labels) - len(before))
    return charts.bars("Cases opened: this period against the previous one", labels,
                       {found.period.label.capitalize(): [w.opened for w in found.trend],
                        found.previous.label.capitalize(): before})


@bp.route("/reports/council")
@login_required
@explained
def council_report() -> Any:
    found = report.council_report(batho(), g.user, request.args.get("period"))
    return render_template("council/report.html", report=found, trend_chart=_trend_chart(found),
                           target=report.TARGET_SHARE)


@bp.route("/transparency")
def transparency_page() -> Any:
    return render_template("council/transparency.html", figures=transparency.public_figures(batho()))
