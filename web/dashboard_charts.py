"""The dashboard's charts, each with the sentence that reads it: the worst and the best, in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from engine.metrics.report import TARGET_SHARE
from engine.metrics.service import Dashboard

from . import charts


@dataclass(frozen=True)
class Chart:
    """An SVG chart and its one-sentence reading."""

    svg: Markup
    reading: str


def percent(share: float | None) -> str:
    """A share as a percentage with one decimal, or none when it is whole: 80%, 66.7%."""
    return "—" if share is None else f"{share * 100:.1f}".removesuffix(".0") + "%"


def _week(day: date) -> str:
    return f"the week of {day:%d %b}"


def extremes(named: Sequence[tuple[str, float | None]]) -> tuple[tuple[str, float], tuple[str, float]] | None:
    """The lowest and the highest of the values that exist (first one on ties), or None."""
    known = [(name, value) for name, value in named if value is not None]
    if not known:
        return None
    return min(known, key=lambda item: item[1]), max(known, key=lambda item: item[1])


def share_reading(named: Sequence[tuple[str, float | None]], nothing: str) -> str:
    """'Finance: 0% within standard, the lowest; Technical Services: 66.7%, the highest; target 80%.'"""
    found = extremes(named)
    target = f"target {percent(TARGET_SHARE)}"
    if found is None:
        return f"{nothing}; {target}."
    (worst, low), (best, high) = found
    meeting = sum(1 for _, value in named if value is not None and value >= TARGET_SHARE)
    if worst == best:
        return f"{worst}: {percent(low)} within standard, {target}."
    known = sum(1 for _, value in named if value is not None)
    return (f"{worst}: {percent(low)} within standard, the lowest; {best}: {percent(high)}, the highest; "
            f"{target} ({meeting} of {known} met it).")


def weekly(board: Dashboard) -> Chart:
    labels = [w.start.strftime("%d %b") for w in board.weeks]
    svg = charts.bars("Cases opened and closed per week", labels,
                      {"Opened": [w.opened for w in board.weeks], "Closed": [w.closed for w in board.weeks]})
    busiest = max(board.weeks, key=lambda w: w.opened, default=None)
    opened, closed = sum(w.opened for w in board.weeks), sum(w.closed for w in board.weeks)
    reading = f"{opened} cases opened and {closed} closed in {board.period.label}"
    if busiest is not None and busiest.opened:
        reading += f"; the most opened in {_week(busiest.start)} ({busiest.opened})"
    return Chart(svg, reading + ".")


def within(board: Dashboard) -> Chart:
    labels = [w.start.strftime("%d %b") for w in board.weeks]
    svg = charts.share_line("Share of closed cases resolved within the standard, per week", labels,
                            [w.within_share for w in board.weeks], target=TARGET_SHARE)
    named = [(f"Week of {w.start:%d %b}", w.within_share) for w in board.weeks]
    return Chart(svg, share_reading(named, "No case with a standard was closed in the period"))


def age(board: Dashboard) -> Chart:
    bands = board.total.age_bands
    svg = charts.horizontal("Open cases by age in working days", [f"{b} working days" for b in bands],
                            list(bands.values()))
    total = sum(bands.values())
    if not total:
        return Chart(svg, "No case is open now.")
    most = max(bands, key=lambda b: bands[b])
    old = sum(count for band, count in bands.items() if band in ("21-60", "over 60"))
    return Chart(svg, f"{total} cases are open now: the most ({bands[most]}) {most} working days old, "
                      f"{old} older than 20 working days.")


def departments(board: Dashboard) -> Chart:
    rows = board.departments
    svg = charts.horizontal("Share resolved within the standard, per department", [d.label for d in rows],
                            [d.within_standard_share for d in rows], percent=True, target=TARGET_SHARE)
    named = [(d.label, d.within_standard_share) for d in rows]
    return Chart(svg, share_reading(named, "No department closed a case with a standard in the period"))


def backlog(board: Dashboard) -> Chart:
    weeks = board.backlog
    svg = charts.lines("Open cases at the end of each week, against the same week a year before",
                       [w.start.strftime("%d %b") for w in weeks],
                       {"This year": [w.open_cases for w in weeks], "A year before": [w.year_before for w in weeks]})
    if not weeks:
        return Chart(svg, "No weeks in the period.")
    last, most = weeks[-1], max(weeks, key=lambda w: w.open_cases)
    return Chart(svg, f"At the end of {_week(last.start)}, {last.open_cases} cases were open, against "
                      f"{last.year_before} a year before; the most was {most.open_cases}, in {_week(most.start)}.")


def months(board: Dashboard) -> Chart:
    rows = board.months
    svg = charts.lines("Share resolved within the standard per month, against the same month a year before",
                       [m.start.strftime("%b %Y") for m in rows],
                       {"This year": [m.now.within_share for m in rows],
                        "A year before": [m.year_before.within_share for m in rows]},
                       percent=True, target=TARGET_SHARE)
    reading = share_reading([(f"{m.start:%B %Y}", m.now.within_share) for m in rows],
                            "No case with a standard was closed in these months")
    before = [m.year_before.within_share for m in rows if m.year_before.within_share is not None]
    if before:
        reading = reading[:-1] + (f"; a year before {percent(before[0])}." if len(rows) == 1 else
                                  f"; a year before, {percent(min(before))} to {percent(max(before))}.")
    else:
        reading = reading[:-1] + "; a year before, no such case was closed."
    return Chart(svg, reading)


def all_charts(board: Dashboard) -> dict[str, Chart]:
    """Every chart of the dashboard, by name."""
    return {"weekly": weekly(board), "within": within(board), "age": age(board),
            "departments": departments(board), "backlog": backlog(board), "months": months(board)}
