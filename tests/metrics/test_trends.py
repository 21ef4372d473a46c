"""Trends on the hand-built month: open cases at the end of each week and monthly shares, each beside a year before."""

from __future__ import annotations

from datetime import date

from engine.metrics import service
from engine.metrics.period import parse_period
from engine.metrics.series import backlog, monthly_against_year_before
from engine.models import Case
from tests.metrics.dataset import due, local


def _a_year_before(app) -> None:
    """September 2025: one case answered within its standard, one opened and still open (it counts in both years)."""
    with app.db.transaction() as session:
        session.add(Case(reference="MAF-2025-000001", case_type="complaint", summary="Old, in time", category="water",
                         department_code="technical", channel="web", opened_at=local(9, 1, 9).replace(year=2025),
                         due_at=due(9, 10).replace(year=2025), closed_at=local(9, 9, 9).replace(year=2025),
                         status="closed"))
        session.add(Case(reference="MAF-2025-000002", case_type="complaint", summary="Old, open", category="roads",
                         department_code="technical", channel="web", opened_at=local(9, 16, 9).replace(year=2025),
                         due_at=due(10, 10).replace(year=2025), status="investigating"))


def _scope(app, code: str):
    return service.scope_for(app, parse_period(code, date(2026, 10, 5)))


def test_open_cases_at_the_end_of_each_week_of_september_beside_the_same_weeks_a_year_before(month):
    app, _ = month
    _a_year_before(app)
    with app.db.reading() as session:
        weeks = backlog(session, _scope(app, "2026-09"), date(2026, 9, 1), date(2026, 9, 30))
    # The 2025 case still open, and: week of 31 Aug: D, E, A, H opened, none closed. 7 Sep: A closed.
    # 14 Sep: C opened, H closed. 21 Sep: B opened. 28 Sep: F opened (30 Sep), G (1 Oct); B and E closed.
    assert [(w.start, w.open_cases) for w in weeks] == [
        (date(2026, 8, 31), 5), (date(2026, 9, 7), 4), (date(2026, 9, 14), 4), (date(2026, 9, 21), 5),
        (date(2026, 9, 28), 5)]
    # 52 weeks before: weeks of 1, 8, 15, 22, 29 Sep 2025. The old case opened 1 Sep, closed 9 Sep; the other 16 Sep.
    assert [w.year_before for w in weeks] == [1, 0, 1, 1, 1]


def test_the_share_within_standard_per_month_of_the_year_beside_the_year_before(month):
    app, _ = month
    _a_year_before(app)
    with app.db.reading() as session:
        months = monthly_against_year_before(session, _scope(app, "2026"), date(2026, 1, 1), date(2026, 12, 31))
    assert [m.start for m in months] == [date(2026, n, 1) for n in range(1, 13)]
    september = months[8]
    # A and B in time, E and H missed; September 2025: the one closed case was in time.
    assert (september.now.within_standard, september.now.with_standard, september.now.within_share) == (2, 4, 0.5)
    assert september.year_before.start == date(2025, 9, 1) and september.year_before.within_share == 1.0
    assert [m.now.within_share for m in months if m.start != date(2026, 9, 1)] == [None] * 11
    assert [m.year_before.within_share for m in months if m.start != date(2026, 9, 1)] == [None] * 11


def test_the_dashboard_carries_both_trends(month, people):
    app, _ = month
    board = service.dashboard(app, people["manager"], "2026-09")
    assert [w.open_cases for w in board.backlog] == [4, 3, 3, 4, 4]
    assert [m.now.within_share for m in board.months] == [0.5]


def test_a_financial_year_by_officer_has_every_week_and_month_beside_the_year_before(month, people):
    app, _ = month
    board = service.dashboard(app, people["manager"], "2026/27", "officer")
    assert [m.start for m in board.months][0] == date(2026, 7, 1) and len(board.months) == 12
    assert board.months[2].now.within_share == 0.5 and board.months[2].year_before.start == date(2025, 9, 1)
    assert len(board.backlog) == 53 and board.backlog[0].start == date(2026, 6, 29)
    assert board.backlog[-1].open_cases == 4  # C, D, F and G are still open
