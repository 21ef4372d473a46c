"""Monthly roll-up rows (issue 14, session 20 "monthly"): kept beside the daily rows, equal to them summed per month,
and read for the whole months of a period (a year's views add up twelve rows per set of dimensions, not 365)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text

from engine.metrics import rollups, service
from engine.metrics.figures import compute
from engine.models import Case, RollupMark
from engine.models.rollups import (
    FIGURES,
    MONTHS,
    DailyFigure,
    MonthlyFigure,
    offset_of,
    rebuild,
    rebuild_months,
)
from tests.metrics.rollup_rows import summed
from tests.support.drive import do, to_response

STRADDLING = "2026-08-15..2026-10-04"  # days of August, the whole of September, days of October


def _months_are_the_days_summed(app: Any) -> dict[tuple[Any, ...], dict[str, Any]]:
    with app.db.write_engine.connect() as conn:
        months = summed(conn, MONTHS, drop_empty=True)
        assert months, "no monthly rows"
        assert months == summed(conn, FIGURES, per_month=True, drop_empty=True)
    return months


def _from_cases(app: Any, view: Any) -> Any:
    with app.db.transaction() as session:
        marks = [dict(offset_minutes=m.offset_minutes, built_at=m.built_at) for m in session.scalars(
            select(RollupMark))]
        session.execute(delete(RollupMark))
    try:
        return view()
    finally:
        with app.db.transaction() as session:
            session.execute(insert(RollupMark), marks)


def test_spans_read_whole_months_from_the_monthly_rows_and_the_edges_from_the_daily_rows():
    assert rollups.spans(date(2025, 1, 1), date(2026, 1, 1)) == [(MonthlyFigure, date(2025, 1, 1), date(2026, 1, 1))]
    assert rollups.spans(date(2026, 8, 15), date(2026, 10, 4)) == [
        (DailyFigure, date(2026, 8, 15), date(2026, 9, 1)), (MonthlyFigure, date(2026, 9, 1), date(2026, 10, 1)),
        (DailyFigure, date(2026, 10, 1), date(2026, 10, 4))]
    assert rollups.spans(date(2026, 8, 30), date(2026, 9, 16)) == [(DailyFigure, date(2026, 8, 30),
                                                                    date(2026, 9, 16))]
    assert rollups.spans(date(2026, 9, 7), date(2026, 9, 14)) == [(DailyFigure, date(2026, 9, 7), date(2026, 9, 14))]
    assert rollups.spans(date(2026, 12, 1), date(2027, 1, 1)) == [(MonthlyFigure, date(2026, 12, 1),
                                                                   date(2027, 1, 1))]


def test_the_monthly_rows_are_the_daily_rows_summed_per_month_as_cases_change(month, people):
    app, refs = month
    _months_are_the_days_summed(app)
    with app.db.transaction() as session:  # a case moved to another department and category
        case = session.scalars(select(Case).where(Case.reference == refs["C"])).one()
        case.department_code, case.category = "community", "refuse"
    _months_are_the_days_summed(app)
    reference = to_response(app, people)  # lodged today (5 October 2026) and investigated
    do(app, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")  # closed
    months = _months_are_the_days_summed(app)
    with app.db.transaction() as session:
        session.delete(session.scalars(select(Case).where(Case.reference == refs["F"])).one())
    assert _months_are_the_days_summed(app) != months


def test_rebuilding_writes_the_same_monthly_rows_as_were_kept(month, people):
    app, _ = month
    reference = to_response(app, people)
    do(app, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    kept = _months_are_the_days_summed(app)
    with app.db.write_engine.connect() as conn:
        rebuild(conn, offset_of(app.config.timezone))
        assert summed(conn, MONTHS, drop_empty=True) == kept
        conn.execute(delete(MONTHS))
        rebuild_months(conn)
        assert summed(conn, MONTHS, drop_empty=True) == kept
        conn.rollback()


@pytest.mark.parametrize("group", ("none", "category", "department", "channel", "ward", "town", "case_type"))
def test_a_period_of_whole_months_and_edge_days_gives_the_figures_of_the_cases(month, group):
    app, _ = month
    scope = service.scope_for(app, service.parse_period(STRADDLING, service.today(app)), group)
    with app.db.reading() as session:
        assert rollups.serves(session, scope)
        rolled, counted = compute(session, scope), compute(session, scope, use_rollups=False)
    assert {k: service.as_data(v) for k, v in rolled.items()} == {k: service.as_data(v) for k, v in counted.items()}


def test_the_dashboard_over_months_and_days_shows_what_the_cases_show(month, people):
    app, _ = month
    manager = people["manager"]
    for period in (STRADDLING, "2026-09", "2026/27", "2026"):
        def board(period: str = period) -> Any:
            return asdict(service.dashboard(app, manager, period, "category"))
        assert board() == _from_cases(app, board)


def test_a_year_s_figures_come_from_the_monthly_rows(month, people):
    app, _ = month
    manager = people["manager"]
    assert service.dashboard(app, manager, "2026").total.opened > 0
    with app.db.transaction() as session:  # the monthly rows gone, the daily rows kept
        session.execute(delete(MONTHS))
    assert service.dashboard(app, manager, "2026").total.opened == 0


def test_monitoring_reads_group_in_memory_on_postgresql_for_their_own_transaction_only(month):
    app, _ = month
    if app.db.read_engine.dialect.name != "postgresql":
        pytest.skip("work_mem is a PostgreSQL setting")
    scope = service.scope_for(app, service.parse_period("2026", service.today(app)), "category")
    with app.db.reading() as session:
        default = session.scalar(text("SHOW work_mem"))
    with app.db.reading() as session:
        compute(session, scope)
        assert session.scalar(text("SHOW work_mem")) == rollups.WORK_MEM
        assert session.scalar(text("SHOW jit")) == "off"
    with app.db.reading() as session:
        assert session.scalar(text("SHOW work_mem")) == default
