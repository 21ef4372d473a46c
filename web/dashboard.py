"""The monitoring dashboard (MSA s95(h)) for supervisors, managers and administrators: figures, charts, CSV."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, current_app, g, render_template, request, url_for

from engine import formatting
from engine.errors import NotFound, ValidationFailed
from engine.metrics import service
from engine.metrics.dimensions import GROUP_NAMES, GROUPS
from engine.metrics.drill import CSV_COLUMNS, CaseLine, csv_row
from engine.metrics.tables import Table, all_tables
from engine.metrics.ward_names import ward_map

from . import dashboard_charts
from . import ward_map as ward_drawing
from .auth import login_required
from .i18n import current_language
from .services import batho

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def filters_from(args: Any) -> dict[str, str]:
    """The filters in the query string: one value per grouping dimension, empty ones ignored."""
    return {name: args[name] for name in GROUPS[1:] if args.get(name)}


def figure_text(value: Any, header: str = "", language: str = "en") -> str:
    """A figure as people read it: shares as percentages, days with one decimal, nothing as a dash; the decimal
    separator is the page language's (88.5% in English, 88,5 % in Sesotho and Afrikaans)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        if "share" in header.lower() or "rate" in header.lower():
            return formatting.percent_text(value, language, trim=False)
        return formatting.decimal_text(value, language, trim=False)
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if language == "en" else formatting.decimal_text(value, language, 2, trim=False)
    return str(value)


def explained(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrong query values answer 400 with the sentences saying what to change, and a way back."""

    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        try:
            return view(**kwargs)
        except ValidationFailed as exc:
            return render_template("dashboard/invalid.html", errors=exc.errors), 400

    return wrapped


@bp.app_template_filter("figure")
def _figure_filter(value: Any, header: str = "") -> str:
    return figure_text(value, header, current_language())


# The figures table's columns shown in every row; the others open under "All figures" (the CSV has them all).
KEY_COLUMNS = ("Group", "Opened", "Closed", "Open now", "Within standard share", "Resolve median (working days)",
               "Overdue now")


def key_columns(headers: list[str]) -> list[int]:
    """Positions of the key columns in a table's headers."""
    return [i for i, h in enumerate(headers) if h in KEY_COLUMNS]


@bp.route("/")
@login_required
@explained
def index() -> Any:
    board = service.dashboard(batho(), g.user, request.args.get("period"), request.args.get("group", "none"),
                              filters_from(request.args))
    tables = all_tables(board)
    wards = ward_map(batho())
    drawn = ward_drawing.ward_map(wards.geojson if wards else None, board.wards, lambda code: url_for(
        "dashboard.cases", figure="open_now", period=board.period.code, **{**board.filters, "ward": code}))
    return render_template("dashboard/index.html", board=board, tables=tables, groups=GROUP_NAMES, args=request.args,
                           charts=dashboard_charts.all_charts(board), wardmap=drawn,
                           key_columns=key_columns(tables["figures"].headers))


@bp.route("/cases")
@login_required
@explained
def cases() -> Any:
    found = service.drill(batho(), g.user, request.args.get("period"), request.args.get("figure", ""),
                          request.args.get("group", "none"), request.args.get("key") or None,
                          filters_from(request.args))
    return _drill_page(found, "dashboard.cases", "dashboard.cases_export")


def _drill_page(found: service.Drill, endpoint: str, export: str) -> str:
    asked: dict[str, Any] = request.args.to_dict()
    return render_template("dashboard/cases.html", drill=found, args=request.args, form_url=url_for(endpoint),
                           export_url=url_for(export, **asked),
                           case_pages="cases.show" in current_app.view_functions)


def lines_csv(lines: list[CaseLine]) -> str:
    """A list of cases as CSV: references, categories, departments, dates, holders; nothing about citizens."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(["" if v is None else v for v in csv_row(line)] for line in lines)
    return out.getvalue()


def csv_response(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/cases.csv")
@login_required
@explained
def cases_export() -> Response:
    found = service.drill(batho(), g.user, request.args.get("period"), request.args.get("figure", ""),
                          request.args.get("group", "none"), request.args.get("key") or None,
                          filters_from(request.args))
    name = f"{found.figure.replace(':', '-')}-{found.period.code.replace('/', '-').replace('..', '_to_')}"
    return csv_response(lines_csv(found.cases), f"batho-cases-{name}.csv")


@bp.route("/repeats")
@login_required
@explained
def repeats() -> Any:
    places = service.repeat_places(batho(), g.user, request.args.get("period"), filters_from(request.args))
    return render_template("dashboard/repeats.html", places=places)


def _repeat_cases() -> service.Drill:
    return service.repeat_cases(batho(), g.user, request.args.get("period"), request.args.get("place", ""),
                                filters_from(request.args))


@bp.route("/repeats/cases")
@login_required
@explained
def repeat_cases() -> Any:
    return _drill_page(_repeat_cases(), "dashboard.repeat_cases", "dashboard.repeat_cases_export")


@bp.route("/repeats/cases.csv")
@login_required
@explained
def repeat_cases_export() -> Response:
    found = _repeat_cases()
    return csv_response(lines_csv(found.cases), f"batho-repeats-{found.period.code.replace('/', '-')}.csv")


def csv_of(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


@bp.route("/<name>.csv")
@login_required
@explained
def export(name: str) -> Response:
    board = service.dashboard(batho(), g.user, request.args.get("period"), request.args.get("group", "none"),
                              filters_from(request.args))
    tables = all_tables(board)
    if name not in tables:
        raise NotFound("There is no such table. Choose one of the CSV links on the dashboard.")
    filename = f"batho-{name}-{board.period.code.replace('/', '-').replace('..', '_to_')}.csv"
    return Response(csv_of(tables[name]), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
