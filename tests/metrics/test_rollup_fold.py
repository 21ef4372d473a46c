"""Roll-up rows are appended by each change and folded into one row per key by the worker: the figures never move."""

from __future__ import annotations

import threading
from dataclasses import asdict
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from engine import worker
from engine.metrics import service
from engine.models.rollups import DIMENSIONS, FIGURES, MONTHS, Change, apply, fold
from engine.services.rollup_fold import Folder
from tests.metrics.rollup_rows import summed
from tests.support.drive import do, to_response


def _rows_per_key(conn: Any, table: Any) -> dict[tuple[Any, ...], int]:
    key = (table.c.day, *(table.c[d] for d in DIMENSIONS))
    return {tuple(r[:-1]): r[-1] for r in conn.execute(select(*key, func.count()).group_by(*key))}


def _board(app: Any, manager: Any) -> list[Any]:
    return [asdict(service.dashboard(app, manager, period, "category")) for period in ("2026-10", "2026-09", "2026")]


def _complete_one(app: Any, people: dict[str, Any]) -> str:
    reference = to_response(app, people)
    do(app, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")  # closed
    return reference


def test_each_change_appends_rows_and_a_fold_leaves_one_row_per_key_with_the_same_figures(month, people):
    app, _ = month
    manager = people["manager"]
    _complete_one(app, people)
    _complete_one(app, people)
    with app.db.write_engine.connect() as conn:
        assert max(_rows_per_key(conn, FIGURES).values()) > 1  # today's key: one row per change, no row rewritten
        assert max(_rows_per_key(conn, MONTHS).values()) > 1
        before = [summed(conn, t, drop_empty=True) for t in (FIGURES, MONTHS)]
    shown = _board(app, manager)

    with app.db.transaction() as session:
        removed, marks = fold(session.connection())
    assert removed > 0
    with app.db.write_engine.connect() as conn:
        assert set(_rows_per_key(conn, FIGURES).values()) == {1}
        assert set(_rows_per_key(conn, MONTHS).values()) == {1}
        assert [summed(conn, t) for t in (FIGURES, MONTHS)] == before  # and no key left whose figures are all zero
        assert marks == {t.name: conn.scalar(select(func.max(t.c.id))) for t in (FIGURES, MONTHS)}
    assert _board(app, manager) == shown
    with app.db.transaction() as session:
        assert fold(session.connection(), marks)[0] == 0  # nothing new since


def test_a_fold_from_marks_looks_only_at_the_days_written_since_and_a_full_fold_at_every_day(month, people):
    app, _ = month
    dims = ("complaint", "roads", "technical", "web", None, None)
    old, today = (date(2026, 9, 14), dims), (date(2026, 10, 5), dims)
    change = Change()
    change.counts["opened"] = 1

    def tops(conn: Any) -> dict[str, int]:
        return {t.name: conn.scalar(select(func.max(t.c.id))) for t in (FIGURES, MONTHS)}

    with app.db.transaction() as session:
        fold(session.connection())
    with app.db.write_engine.connect() as conn:
        had = _rows_per_key(conn, FIGURES).get((date(2026, 9, 14), *dims), 0)  # one row or none
    with app.db.transaction() as session:
        apply(session.connection(), {old: change})  # as if committed late, below the marks of a fold
        apply(session.connection(), {old: change})
        marks = tops(session.connection())
        apply(session.connection(), {today: change})
        apply(session.connection(), {today: change})
    with app.db.transaction() as session:
        fold(session.connection(), marks)
    with app.db.write_engine.connect() as conn:
        rows = _rows_per_key(conn, FIGURES)
    assert rows[(date(2026, 10, 5), *dims)] == 1  # written since the marks: folded
    assert rows[(date(2026, 9, 14), *dims)] == had + 2  # not looked at: the day's row (if any), the two new ones
    with app.db.transaction() as session:
        fold(session.connection())  # every key
    with app.db.write_engine.connect() as conn:
        assert set(_rows_per_key(conn, FIGURES).values()) == {1}


def test_the_worker_folds_after_its_pass(month, people):
    app, _ = month
    _complete_one(app, people)
    worker.run_pass(app)
    with app.db.write_engine.connect() as conn:
        assert set(_rows_per_key(conn, FIGURES).values()) == {1}
        assert set(_rows_per_key(conn, MONTHS).values()) == {1}


def test_a_folder_remembers_where_it_stopped_and_folds_every_key_again_after_an_hour(month, people, monkeypatch):
    app, _ = month
    folder = Folder()
    folder(app)
    url = app.config.database_url
    assert set(folder.marks[url]) == {"daily_figures", "monthly_figures"}
    seen: list[Any] = []
    original = fold
    monkeypatch.setattr("engine.services.rollup_fold.fold", lambda conn, since: (seen.append(since),
                                                                                   original(conn, since))[1])
    folder(app)
    assert seen[-1] == folder.marks[url]
    folder.full_at[url] = 0.0  # an hour later
    folder(app)
    assert seen[-1] is None


def test_a_fold_beside_an_uncommitted_writer_loses_nothing_and_counts_nothing_twice(month):
    app, _ = month
    if app.db.write_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: a fold cannot run beside an uncommitted change there")
    dims = ("complaint", "roads", "technical", "web", None, None)
    key = (date(2026, 9, 14), dims)
    change = Change()
    change.counts["opened"] = 1
    with app.db.write_engine.connect() as conn:
        before = summed(conn, FIGURES, drop_empty=True)
    writing = app.db.write_engine.connect()
    writing.begin()
    apply(writing, {key: change})  # not committed yet
    folders = [threading.Thread(target=lambda: _fold_once(app)) for _ in range(2)]  # two workers at once
    for t in folders:
        t.start()
    for t in folders:
        t.join(30)
    writing.commit()
    writing.close()
    _fold_once(app)
    with app.db.write_engine.connect() as conn:
        after = summed(conn, FIGURES, drop_empty=True)
        assert set(_rows_per_key(conn, FIGURES).values()) == {1}
    grown = {k: v for k, v in after.items() if before.get(k) != v}
    assert len(grown) == 1
    (found_key, figures), = grown.items()
    assert found_key[0] == "2026-09-14" and figures["opened"] == before.get(found_key, {}).get("opened", 0) + 1


def _fold_once(app: Any) -> None:
    with app.db.transaction() as session:
        fold(session.connection())
