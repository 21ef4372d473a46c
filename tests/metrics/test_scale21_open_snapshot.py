"""Issue 14 (session 21, scale): the open snapshot counts the open cases per day opened and due first and bands
them in SQL; every age and lateness band, by every grouping, equals the open cases counted one by one with the
calendar (band edges, due today, due beyond the calendar), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, timedelta

import pytest
from sqlalchemy import Integer, insert, literal, select, text

from engine.metrics import rollups, service
from engine.metrics.calendar import offset_minutes
from engine.metrics.figures import AGE_BANDS, OVERDUE_BANDS, band_case, band_of, compute
from engine.models import Case, WorkDay


def _local(moment, offset):
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return (moment.astimezone(UTC) + timedelta(minutes=offset)).date()


def _cases(batho) -> None:
    now = batho.now()
    rows = []
    for n in range(90):
        opened = now - timedelta(days=n, hours=n % 5)  # every age from today to three months
        due = now + timedelta(days=(n % 9 - 6) * 4, hours=n % 3 - 1)  # past due by up to 24 days, or ahead
        if n == 7:
            due = now - timedelta(minutes=5)  # due earlier today: overdue, zero working days late
        if n == 8:
            due = now - timedelta(days=5000)  # before the calendar: not counted overdue, as the plain query
        rows.append({"reference": f"MAF-2026-8{n:05d}", "case_type": "complaint", "channel": ("web", "phone")[n % 2],
                     "category": ("water", "roads", None)[n % 3], "department_code": ("technical", "finance")[n % 2],
                     "ward": ("1", None)[n % 2], "town": ("Bloemfontein", "Botshabelo", None)[n % 3],
                     "summary": "Snapshot", "status": "registered", "opened_at": opened, "due_at": due,
                     "closed_at": now - timedelta(hours=1) if n % 11 == 10 else None})
    with batho.db.transaction() as session:
        session.execute(insert(Case), rows)


def _expected(batho, key, keep=lambda c: True):
    """(group value -> Counter of age bands, Counter of overdue bands) from each open case and the calendar."""
    offset = offset_minutes(batho.config.timezone)
    now = batho.now()
    with batho.db.reading() as session:
        seq = dict(session.execute(select(WorkDay.day, WorkDay.seq)).all())
        cases = [c for c in session.scalars(select(Case)) if c.closed_at is None and keep(c)]
    today = seq[_local(now, offset)]
    ages: dict[str, Counter] = {}
    late: dict[str, Counter] = {}
    for c in cases:
        group = key(c) or "(none)"
        opened = seq.get(_local(c.opened_at, offset))
        if opened is None:
            continue
        ages.setdefault(group, Counter())[band_of(today - opened, AGE_BANDS)] += 1
        past_due = c.due_at is not None and (c.due_at if c.due_at.tzinfo else c.due_at.replace(tzinfo=UTC)) < now
        due = seq.get(_local(c.due_at, offset)) if past_due else None
        if due is not None:
            late.setdefault(group, Counter())[band_of(today - due, OVERDUE_BANDS)] += 1
    return ages, late


def _seen(rows):
    ages = {r.key: Counter({k: v for k, v in r.age_bands.items() if v}) for r in rows if r.open_now}
    late = {r.key: Counter({k: v for k, v in r.overdue_bands.items() if v}) for r in rows if r.overdue_now}
    return ages, late


def test_every_grouping_bands_the_open_cases_as_counting_them_one_by_one(batho, people):
    _cases(batho)
    manager = people["manager"]
    for group, key in (("none", lambda c: "all"), ("department", lambda c: c.department_code),
                       ("category", lambda c: c.category), ("channel", lambda c: c.channel)):
        board = service.dashboard(batho, manager, None, group)
        rows = board.rows if group != "none" else [board.total]
        assert _seen(rows) == _expected(batho, key), group
        if group == "department":
            assert _seen(board.departments) == _expected(batho, key)
            assert _seen([w.figures for w in board.wards]) == _expected(batho, lambda c: c.ward)
            assert _seen(board.towns) == _expected(batho, lambda c: c.town)
    ages, late = _expected(batho, lambda c: "all")
    assert sum(late["all"].values()) >= 20 and late["all"]["1-5"] and late["all"]["over 20"]
    assert all(ages["all"][name] for name, _, _ in AGE_BANDS)  # every band has cases
    roads = service.dashboard(batho, manager, None, "none", {"category": "roads"})
    assert _seen([roads.total]) == _expected(batho, lambda c: "all", lambda c: c.category == "roads")


def test_the_sql_bands_are_band_of(batho):
    with batho.db.reading() as session:
        for bands in (AGE_BANDS, OVERDUE_BANDS):
            for days in range(-3, 70):
                assert session.scalar(select(band_case(literal(days, Integer), bands))) == band_of(days, bands), days


def test_monitoring_reads_plan_with_cheap_random_pages_for_their_own_transaction_only(batho):
    if batho.db.read_engine.dialect.name != "postgresql":
        pytest.skip("random_page_cost is a PostgreSQL setting")
    scope = service.scope_for(batho, service.parse_period("2026", service.today(batho)), "category")
    with batho.db.reading() as session:
        default = session.scalar(text("SHOW random_page_cost"))
    with batho.db.reading() as session:
        compute(session, scope)
        assert float(session.scalar(text("SHOW random_page_cost"))) == rollups.RANDOM_PAGE_COST
    with batho.db.reading() as session:
        assert session.scalar(text("SHOW random_page_cost")) == default


def test_the_open_cases_index_carries_what_the_snapshot_reads_on_postgresql(batho):
    if batho.db.read_engine.dialect.name != "postgresql":
        pytest.skip("INCLUDE columns are PostgreSQL's")
    with batho.db.reading() as session:
        definition = session.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_cases_open_opened'"))
    assert "INCLUDE (case_type, category, department_code, channel, ward, town, due_at)" in definition
    assert "WHERE (closed_at IS NULL)" in definition
