"""The daily roll-ups give every figure the cases give, and move in the transaction that changes a case."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, insert, select

from engine.metrics import report, rollups, service, transparency
from engine.metrics.figures import compute
from engine.models import Case, DailyFigure, RollupMark
from engine.models.rollups import FIGURES, MONTHS, offset_of, rebuild
from tests.metrics.rollup_rows import summed
from tests.support.drive import access_code, do, to_response
from web.cli import main

PERIODS = ("2026-09", "2026/27", "2026-08-30..2026-09-16")
GROUPS = ("none", "case_type", "category", "department", "channel", "ward", "town", "officer")


def _every_view(app: Any, manager: Any) -> list[Any]:
    """What the dashboard, drill-down, data API, Council report and transparency page show, as plain data."""
    shown: list[Any] = []
    for period in PERIODS:
        for group in GROUPS:
            shown.append(asdict(service.dashboard(app, manager, period, group)))
        shown.append(service.metrics_data(app, manager, period, "department"))
        shown.append(asdict(service.dashboard(app, manager, period, "category", {"department": "technical"})))
        shown.append(asdict(report.council_report(app, manager, period)))
    shown.append(asdict(transparency.public_figures(app)))
    return shown


def _from_cases(app: Any, manager: Any) -> list[Any]:
    """The same views with the roll-ups' mark taken away, so every figure is counted from the cases."""
    with app.db.transaction() as session:
        marks = [dict(offset_minutes=m.offset_minutes, built_at=m.built_at) for m in session.scalars(
            select(RollupMark))]
        session.execute(delete(RollupMark))
    try:
        return _every_view(app, manager)
    finally:
        with app.db.transaction() as session:
            session.execute(insert(RollupMark), marks)


def _kept_equals_rebuilt(app: Any) -> None:
    """The roll-ups as kept (a key's rows added up: a key whose figures add up to nothing is no key) are the
    roll-ups rebuilt from the cases, daily and monthly."""
    with app.db.write_engine.connect() as conn:
        kept = [summed(conn, table, drop_empty=True) for table in (FIGURES, MONTHS)]
        rebuild(conn, offset_of(app.config.timezone))
        rebuilt = [summed(conn, table, drop_empty=True) for table in (FIGURES, MONTHS)]
        conn.rollback()  # the rows as kept stay
    assert kept == rebuilt


def test_the_test_database_keeps_roll_ups_for_the_municipality_s_zone(month):
    app, _ = month
    with app.db.reading() as session:
        scope = service.scope_for(app, service.parse_period("2026-09", service.today(app)), "category")
        assert rollups.serves(session, scope)
        assert not rollups.serves(session, service.scope_for(app, scope_period(app), "officer"))


def scope_period(app: Any) -> Any:
    return service.parse_period("2026", service.today(app))


def test_every_view_shows_the_same_figures_from_the_roll_ups_as_from_the_cases(month, people):
    app, _ = month
    _kept_equals_rebuilt(app)
    assert _every_view(app, people["manager"]) == _from_cases(app, people["manager"])


@pytest.mark.parametrize("group", GROUPS[:-1])
def test_a_roll_up_figure_query_fills_what_the_case_query_fills(month, group):
    app, _ = month
    scope = service.scope_for(app, service.parse_period("2026-09", service.today(app)), group)
    with app.db.reading() as session:
        rolled, counted = compute(session, scope), compute(session, scope, use_rollups=False)
    assert {k: service.as_data(v) for k, v in rolled.items()} == {k: service.as_data(v) for k, v in counted.items()}


def test_lodging_closing_reopening_and_closing_again_move_the_roll_ups_as_they_happen(month, people):
    app, _ = month
    manager = people["manager"]
    reference = to_response(app, people)  # lodged today (5 October 2026) and investigated
    _kept_equals_rebuilt(app)
    do(app, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")  # closed
    _kept_equals_rebuilt(app)
    board = service.dashboard(app, manager, "2026-10")
    assert (board.total.opened, board.total.closed) == (2, 1)
    from engine.services import followup

    followup.reopen(app, reference, access_code(app, reference), "The pipe is leaking again.")
    _kept_equals_rebuilt(app)
    assert service.dashboard(app, manager, "2026-10").total.closed == 0
    do(app, people["officer"], reference, "Task_investigate", findings="A second leak", corrective_action="Weld")
    do(app, people["supervisor"], reference, "Task_approve", decision="approve")
    do(app, people["officer"], reference, "Task_implement", implementation_outcome="Welded",
       completed_on="2026-10-05")
    do(app, people["agent"], reference, "Task_respond", explanation="A second leak.", remedy="We welded it.")
    do(app, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    _kept_equals_rebuilt(app)
    assert service.dashboard(app, manager, "2026-10").total.closed == 1
    assert _every_view(app, manager) == _from_cases(app, manager)


def test_the_roll_ups_change_inside_the_writing_transaction_and_roll_back_with_it(month):
    app, refs = month
    with app.db.write_engine.connect() as conn:
        before = summed(conn, DailyFigure.__table__)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), app.db.transaction() as session:
        case = session.scalars(select(Case).where(Case.reference == refs["C"])).one()
        case.department_code, case.category = "community", "refuse"  # C moved to another department
        session.flush()
        app.db.handlers.settle(session)
        seen = {(key[0], key[3], row["opened"]) for key, row in summed(session.connection(), DailyFigure.__table__,
                                                                        drop_empty=True).items()
                if key[2] in ("roads", "refuse")}
        assert ("2026-09-14", "community", 1) in seen and ("2026-09-14", "technical", 1) not in seen
        raise Undo
    with app.db.write_engine.connect() as conn:
        assert summed(conn, DailyFigure.__table__) == before
    _kept_equals_rebuilt(app)


def test_a_case_deleted_leaves_the_roll_ups(month):
    app, refs = month
    with app.db.transaction() as session:
        session.delete(session.scalars(select(Case).where(Case.reference == refs["F"])).one())
    _kept_equals_rebuilt(app)


def test_batho_metrics_rebuild_writes_the_roll_ups_again_from_the_cases(month, people, monkeypatch, tmp_path):
    app, _ = month
    with app.db.write_engine.connect() as conn:
        kept = summed(conn, DailyFigure.__table__)
    with app.db.transaction() as session:  # as after a bulk load that wrote cases without the unit of work
        session.execute(delete(DailyFigure))
    monkeypatch.setenv("BATHO_DATABASE_URL", app.config.database_url)
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    result = CliRunner().invoke(main, ["metrics", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Daily roll-ups rebuilt from 8 cases" in result.output
    with app.db.write_engine.connect() as conn:
        assert summed(conn, DailyFigure.__table__) == kept
