"""The report to Council (monthly or yearly, print-ready) and the public transparency page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.dates import format_date
from flask import Blueprint, Response, current_app, g, render_template, request

from engine.metrics import report, review, transparency

from . import charts
from .auth import login_required
from .dashboard import explained
from .i18n import current_language
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


@bp.route("/reports/council.pdf")
@login_required
@explained
def council_pdf() -> Any:
    """The same report as a PDF made on the server (WeasyPrint): A4, page numbers, the date, signature lines."""
    found = report.council_report(batho(), g.user, request.args.get("period"))
    css = Path(current_app.static_folder or "", "metrics.css").read_text(encoding="utf-8")
    html = render_template("council/report_pdf.html", report=found, trend_chart=_trend_chart(found),
                           target=report.TARGET_SHARE, css=css)
    pdf = _pdf(html)
    name = f"council-report-{found.period.code.replace('/', '-')}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported on use: loading Pango takes a moment and only this page needs it

    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


@bp.app_template_global("policy_review")
def policy_review(period_code: str) -> review.PolicyReview:
    """For the yearly review task's page: the year's report and what its figures suggest changing."""
    return review.policy_review(batho(), g.user, period_code)


@bp.route("/transparency")
def transparency_page() -> Any:
    figures = transparency.public_figures(batho())
    # The month as each language names it ("September 2026", "Lwetse 2026"); other dates use the `day` filter.
    month_name = format_date(figures.month.first, "LLLL y", locale=current_language())
    return render_template("council/transparency.html", figures=figures, month_name=month_name)
