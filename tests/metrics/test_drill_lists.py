"""The lists behind figures and the overdue list: CSV with the holder and working days overdue, filters."""

from __future__ import annotations

import csv
import io

import pytest

from engine.metrics.drill import CSV_COLUMNS
from engine.services import tasks
from tests.support import drive
from tests.support.web import signed_in


@pytest.fixture
def staff(month):
    app, refs = month
    get = signed_in(app)

    return get, refs, app


def _rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, *body = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    return [dict(zip(header, row, strict=True)) for row in body]


def test_the_drill_down_csv_has_the_holder_and_the_working_days_overdue(staff):
    get, refs, _ = staff
    response = get("manager").get("/dashboard/cases.csv?figure=open_now&period=2026-09")
    assert "batho-cases-open_now-2026-09.csv" in response.headers["Content-Disposition"]
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(header) == CSV_COLUMNS and "Holder" in header and "Working days overdue" in header
    rows = {r["Reference"]: r for r in _rows(response)}
    assert set(rows) == {refs[x] for x in "CDFG"}
    assert rows[refs["D"]]["Working days overdue"] == "18"  # due Tue 8 Sep, today Mon 5 Oct
    assert rows[refs["C"]]["Working days overdue"] == ""  # due 13 Oct: not overdue
    text = response.get_data(as_text=True)
    assert "Jane Citizen" not in text and "Piet Burger" not in text and "082 555" not in text


def test_the_holder_is_the_person_holding_the_open_task_or_its_group(staff, people):
    get, _, app = staff
    unclaimed, claimed = drive.lodge(app), drive.lodge(app)
    tasks.claim(app, people["agent"], drive.open_task(app, claimed, "Task_triage").id)
    rows = {r["Reference"]: r for r in _rows(get("manager").get("/dashboard/cases.csv?figure=open_now&period=2026-10"))}
    assert rows[unclaimed]["Holder"] == "group: customer_care_agent"
    assert rows[claimed]["Holder"] == "Thandi Mokoena"
    page = get("manager").get("/dashboard/cases?figure=open_now&period=2026-10").get_data(as_text=True)
    assert "Thandi Mokoena" in page and "group: customer_care_agent" in page and "12 Main St" not in page


def test_drill_down_lists_filter_by_department_and_category(staff):
    get, refs, _ = staff
    manager = get("manager")
    rows = _rows(manager.get("/dashboard/cases.csv?figure=closed&period=2026-09&department=technical&category=water"))
    assert sorted(r["Reference"] for r in rows) == sorted(refs[x] for x in "AH")
    rows = _rows(manager.get("/dashboard/cases.csv?figure=closed&period=2026-09&department=finance"))
    assert [r["Reference"] for r in rows] == [refs["E"]]
    page = manager.get("/dashboard/cases?figure=closed&period=2026-09&category=electricity").get_data(as_text=True)
    assert refs["B"] in page and refs["A"] not in page and 'name="department"' in page and "drill-csv" in page


def test_the_overdue_list_exports_as_csv_with_holder_and_days_overdue(staff):
    get, refs, _ = staff
    rows = _rows(get("supervisor_community").get("/supervise/overdue.csv"))
    assert [r["Reference"] for r in rows] == [refs["D"]]
    assert rows[0]["Working days overdue"] == "18" and "Holder" in rows[0] and rows[0]["Category"] == "refuse"
    assert _rows(get("supervisor").get("/supervise/overdue.csv")) == []  # Technical Services has none overdue
    assert [r["Reference"] for r in _rows(get("manager").get("/supervise/overdue.csv?category=refuse"))] == [refs["D"]]
    assert _rows(get("manager").get("/supervise/overdue.csv?category=water")) == []
    assert _rows(get("manager").get("/supervise/overdue.csv?department=technical")) == []
    page = get("manager").get("/supervise/overdue?department=community").get_data(as_text=True)
    assert refs["D"] in page and "overdue-csv" in page and "Working days overdue" in page
