"""The numbers behind every chart and figure as named tables: one source for the HTML tables and the CSV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .figures import AGE_BANDS, OVERDUE_BANDS, Figures
from .service import Dashboard

FIGURE_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    # (heading, attribute, drill-down figure)
    ("Opened", "opened", "opened"), ("Closed", "closed", "closed"),
    ("Closed as duplicates", "closed_duplicates", "closed_duplicates"), ("Reopened", "reopened", "reopened"),
    ("Open now", "open_now", "open_now"),
    ("Acknowledged", "acknowledged", "acknowledged"),
    ("Acknowledge median (working days)", "ack_median", None), ("Acknowledge 90th pct", "ack_p90", None),
    ("Resolve median (working days)", "resolve_median", None), ("Resolve 90th pct", "resolve_p90", None),
    ("Within standard", "within_standard", "within_standard"), ("Within standard share", "within_standard_share",
                                                                 None),
    ("Overdue now", "overdue_now", "overdue"), ("Escalations", "escalations", "escalated"),
    ("Share satisfied", "share_satisfied", None),
    ("Survey response rate", "survey_response_rate", None), ("Average rating (1-5)", "average_rating", None),
    ("Rating response rate", "rating_response_rate", None),
)
EXTRA_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Adjustments", "adjustments"), ("Adjusted amount (R)", "adjusted_amount"),
    ("Credit-control holds open", "holds_open"),
)


@dataclass(frozen=True)
class Table:
    """A titled table; `links` holds, per cell, the drill-down figure and group key (or None)."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    links: list[list[tuple[str, str | None] | None]]


def _figure_row(row: Figures, extras: bool) -> tuple[list[Any], list[tuple[str, str | None] | None]]:
    key = None if row.key == "all" else row.key
    values: list[Any] = [row.label]
    links: list[tuple[str, str | None] | None] = [None]
    for _, attribute, figure in FIGURE_COLUMNS:
        values.append(getattr(row, attribute))
        links.append((figure, key) if figure else None)
    if extras:
        for _, name in EXTRA_COLUMNS:
            values.append(row.extras.get(name))
            links.append(None)
    return values, links


def figures_table(board: Dashboard) -> Table:
    extras = bool(board.total.extras)
    headers = ["Group"] + [h for h, _, _ in FIGURE_COLUMNS] + ([h for h, _ in EXTRA_COLUMNS] if extras else [])
    rows, links = [], []
    for row in [*board.rows, board.total]:
        values, cell_links = _figure_row(row, extras)
        rows.append(values)
        links.append(cell_links)
    return Table("figures", "Figures for the period", headers, rows, links)


def weekly_table(board: Dashboard) -> Table:
    rows: list[list[Any]] = [[w.start.isoformat(), w.opened, w.closed, w.within_standard, w.within_share]
                             for w in board.weeks]
    return Table("weekly", "Cases per week, and the share of closed cases resolved within the standard",
                 ["Week starting", "Opened", "Closed", "Closed within standard", "Within standard share"], rows,
                 [[None] * 5 for _ in rows])


def age_table(board: Dashboard) -> Table:
    rows: list[list[Any]] = [[name, board.total.age_bands[name]] for name, _, _ in AGE_BANDS]
    links: list[list[tuple[str, str | None] | None]] = [[None, (f"age:{name}", None)] for name, _, _ in AGE_BANDS]
    return Table("age", "Open cases by age (working days since opened)", ["Age band", "Open cases"], rows, links)


def overdue_table(board: Dashboard) -> Table:
    rows: list[list[Any]] = [[name, board.total.overdue_bands[name]] for name, _, _ in OVERDUE_BANDS]
    links: list[list[tuple[str, str | None] | None]] = [
        [None, (f"overdue:{name}", None)] for name, _, _ in OVERDUE_BANDS]
    return Table("overdue", "Overdue open cases by how long (working days past the target)",
                 ["Overdue by", "Open cases"], rows, links)


def departments_table(board: Dashboard) -> Table:
    rows: list[list[Any]] = [[d.label, d.opened, d.closed, d.within_standard_share, d.resolve_median, d.overdue_now]
                             for d in board.departments]
    links: list[list[tuple[str, str | None] | None]] = [
        [None, ("opened", d.key), ("closed", d.key), ("within_standard", d.key), None, ("overdue", d.key)]
        for d in board.departments]
    return Table("departments", "Departments compared",
                 ["Department", "Opened", "Closed", "Within standard share", "Resolve median (working days)",
                  "Overdue now"], rows, links)


def all_tables(board: Dashboard) -> dict[str, Table]:
    """Every table of the dashboard, by name."""
    made = [figures_table(board), weekly_table(board), age_table(board), overdue_table(board),
            departments_table(board)]
    return {t.name: t for t in made}
