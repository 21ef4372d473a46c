"""Issue 14 at a million cases (session 20, scale): the cheaper task list, search and monitoring reads give what
the plain rules give, on a small data set, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from engine.authz import may_work
from engine.metrics import service
from engine.metrics.figures import OVERDUE_BANDS, band_of
from engine.models import Case, HumanTask, ProcessInstance, ProcessVersion
from engine.services import search, worklist
from tests.support.drive import lodge

# (candidate_role, candidate_department, candidate_groups, candidate_users, assigned to the agent, due in hours)
TASKS = [
    ("customer_care_agent", None, None, None, False, 5),
    ("customer_care_agent", None, None, None, True, None),
    ("department_officer", "technical", None, None, False, -30),
    ("department_officer", "finance", None, None, False, 2),
    (None, None, ",customer_care_agent,", None, False, None),
    (None, None, ",department_officer:technical,", None, False, 1),
    (None, None, None, ",agent,", False, 3),
    (None, None, None, ",someone_else,", False, 4),
    ("supervisor", "technical", ",supervisor:technical,", ",officer,", False, -2),
    ("customer_care_agent", None, None, None, False, 5),  # the same due time as the first: by age, then id
]


def _tasks(batho: Any, people: dict[str, Any]) -> None:
    """One open case and task per line of TASKS, written straight into the read model as the engine leaves it."""
    now = batho.now()
    with batho.db.transaction() as session:
        version = session.scalar(select(ProcessVersion.id).where(ProcessVersion.key == "complaint"))
        for n, (role, department, groups, users, mine, due) in enumerate(TASKS, start=1):
            case_id = session.execute(insert(Case).values(
                reference=f"MAF-2026-9{n:05d}", case_type="complaint", channel="web", category="water",
                department_code=department or "customer_care", summary="Scale test", opened_at=now - timedelta(
                    hours=n)).returning(Case.id)).scalar_one()
            session.execute(insert(ProcessInstance).values(version_id=version, case_id=case_id, status="running",
                                                           state="{}", serializer_version="1.4", lock_version=1))
            instance = session.scalar(select(ProcessInstance.id).where(ProcessInstance.case_id == case_id))
            session.execute(insert(HumanTask).values(
                id=str(uuid.UUID(int=n)), instance_id=instance, case_id=case_id, process_key="complaint",
                task_name="Task_triage", title=f"Task {n}", candidate_role=role, candidate_department=department,
                candidate_groups=groups, candidate_users=users, assignee_id=people["agent"].id if mine else None,
                created_at=now - timedelta(hours=n), due_at=None if due is None else now + timedelta(hours=due)))


def _expected(batho: Any, who: Any) -> dict[str, list[str]]:
    """Each list by the rules themselves (`may_work`, the holder), in the list's order: due first, none last."""
    with batho.db.reading() as session:
        rows = list(session.scalars(select(HumanTask)))
    rows.sort(key=lambda t: (t.due_at is None, t.due_at or t.created_at, t.created_at, t.id))
    return {"mine": [t.title for t in rows if t.assignee_id == who.id],
            "groups": [t.title for t in rows if may_work(who, t)],
            "unassigned": [t.title for t in rows if may_work(who, t) and t.assignee_id is None]}


def test_the_tabs_count_and_list_what_the_rules_let_each_person_work(batho, people):
    _tasks(batho, people)
    for username in ("agent", "officer", "supervisor"):
        who = people[username]
        expected = _expected(batho, who)
        for view in worklist.VIEWS:
            page = worklist.task_page(batho, who, worklist.TaskQuery(view=view))
            assert page.counts == {v: len(titles) for v, titles in expected.items()}, username
            assert [r.title for r in page.rows] == expected[view], (username, view)
            assert page.total == len(expected[view])


def test_a_filtered_list_counts_its_own_tasks_not_the_tab(batho, people):
    _tasks(batho, people)
    page = worklist.task_page(batho, people["agent"], worklist.TaskQuery(view="groups", overdue=True))
    assert page.counts["groups"] == 5 and page.total == 0  # the agent's tasks are not overdue
    officer = worklist.task_page(batho, people["officer"], worklist.TaskQuery(view="groups", overdue=True))
    assert [r.title for r in officer.rows] == ["Task 3", "Task 9"] and officer.total == 2  # a candidate user too


def test_a_page_beyond_the_last_is_empty_and_keeps_the_counts(batho, people):
    _tasks(batho, people)
    page = worklist.task_page(batho, people["agent"], worklist.TaskQuery(view="groups", page=3))
    assert page.rows == [] and page.total == 5 and page.counts["groups"] == 5


def test_the_search_finds_a_name_or_a_word_in_any_case_and_a_wildcard_is_only_a_character(batho, people):
    found = lodge(batho, name="Nomsa Dlamini-Khumalo", phone="0821234567")
    lodge(batho, name="Pieter van Wyk", phone="0827654321")
    manager = people["manager"]

    def references(text: str) -> list[str]:
        return [r.reference for r in search.search_cases(batho, manager, search.CaseSearch(text=text)).rows]

    assert references("dLAMINI-khu") == [found]
    assert references("NOMSA") == [found]
    assert references("%") == [] and references("n_msa") == []
    page = worklist.task_page(batho, manager, worklist.TaskQuery(view="groups", search="KHUMALO"))
    assert {r.case_reference for r in page.rows} <= {found}


def test_open_and_overdue_figures_by_every_grouping_are_the_open_cases_counted_one_by_one(batho, people):
    _tasks(batho, people)
    now = batho.now()
    with batho.db.transaction() as session:
        cases = list(session.scalars(select(Case)))
        for n, case in enumerate(cases):
            case.ward = ("1", "2", None)[n % 3]
            case.town = ("Bloemfontein", None)[n % 2]
            case.due_at = now - timedelta(days=n * 3) if n % 2 else now + timedelta(days=2)
        cases[0].closed_at = now - timedelta(hours=1)
        cases[0].status = "closed"
    with batho.db.reading() as session:
        cases = [c for c in session.scalars(select(Case)) if c.closed_at is None]
    dashboard = service.dashboard(batho, people["manager"], None, "department")
    assert dashboard.total.open_now == len(cases)
    assert dashboard.total.overdue_now == sum(1 for c in cases if c.due_at < now)
    by_department = {r.key: r.open_now for r in dashboard.rows if r.open_now}
    assert by_department == _count(c.department_code for c in cases)
    assert {w.code: w.figures.open_now for w in dashboard.wards if w.figures.open_now} == \
        _count(c.ward or "(none)" for c in cases)
    assert {t.key: t.open_now for t in dashboard.towns if t.open_now} == _count(c.town or "(none)" for c in cases)
    bands = {name: 0 for name, _, _ in OVERDUE_BANDS}
    for row in dashboard.rows:
        for name, count in row.overdue_bands.items():
            bands[name] += count
    assert bands == dashboard.total.overdue_bands and sum(bands.values()) == dashboard.total.overdue_now
    assert band_of(25, OVERDUE_BANDS) == "over 20"


def _count(values: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return found
