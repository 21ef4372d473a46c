"""Who sees what: a supervisor their own department, the manager and administrators all, the Council report all.

A supervisor asking for another department (a filter or a department row) is refused with 403 and a sentence,
rather than shown an empty list that reads as "no cases".
"""

from __future__ import annotations

import csv
import io

import pytest

from engine.errors import Forbidden
from engine.metrics import report, service
from tests.support.database import DEMO_PASSWORD
from tests.support.web import Browser
from web import create_app

TECHNICAL = "ABCGH"  # the hand-built month's Technical Services cases (tests/metrics/dataset.py)


def test_a_technical_services_supervisor_sees_only_technical_services_on_the_dashboard(month, people):
    app, _ = month
    board = service.dashboard(app, people["supervisor"], "2026-09", "department")
    assert [r.key for r in board.rows] == ["technical"] and [d.key for d in board.departments] == ["technical"]
    assert (board.total.opened, board.total.closed, board.total.open_now) == (4, 3, 2)
    assert service.dashboard(app, people["supervisor"], "2026-09").total.overdue_now == 0  # D is Community's


def test_the_manager_and_administrators_see_every_department(month, people):
    app, _ = month
    for username in ("manager", "admin"):
        rows = service.dashboard(app, people[username], "2026-09", "department").rows
        assert {r.key for r in rows} == {"technical", "community", "finance", "customer_care"}


def test_drill_downs_keep_to_the_supervisors_department(month, people):
    app, refs = month
    found = service.drill(app, people["supervisor"], "2026-09", "open_now")
    assert sorted(c.reference for c in found.cases) == sorted(refs[x] for x in "CG")
    assert found.departments == ["technical"]
    assert service.drill(app, people["manager"], "2026-09", "open_now").total == 4


def test_another_departments_drill_down_is_refused(month, people):
    app, _ = month
    with pytest.raises(Forbidden, match="own department"):
        service.drill(app, people["supervisor"], "2026-09", "overdue", "department", "community")
    with pytest.raises(Forbidden):
        service.drill(app, people["supervisor"], "2026-09", "overdue", filters={"department": "community"})
    with pytest.raises(Forbidden):
        service.dashboard(app, people["supervisor"], "2026-09", filters={"department": "finance"})
    assert service.drill(app, people["supervisor"], "2026-09", "closed", "department", "technical").total == 3


def test_the_web_dashboard_drill_down_and_csv_apply_the_scope(month):
    app, refs = month
    supervisor = Browser(create_app(app, {"TESTING": True}).test_client())
    assert supervisor.login("supervisor").status_code == 302
    page = supervisor.get("/dashboard/?period=2026-09&group=department").get_data(as_text=True)
    assert "Technical Services" in page and "Community" not in page.split("All figures")[-1]
    assert supervisor.get("/dashboard/cases?figure=overdue&period=2026-09&group=department&key=community"
                          ).status_code == 403
    response = supervisor.get("/dashboard/cases.csv?figure=opened&period=2026-09")
    listed = {row[0] for row in list(csv.reader(io.StringIO(response.get_data(as_text=True))))[1:]}
    assert listed == {refs[x] for x in "ABCH"}
    figures = supervisor.get("/dashboard/figures.csv?period=2026-09&group=department").get_data(as_text=True)
    assert "Technical" in figures and "Finance" not in figures
    assert supervisor.get("/dashboard/cases.csv?figure=opened&period=2026-09&department=finance").status_code == 403


def test_the_metrics_api_applies_the_scope(month):
    app, _ = month
    client = create_app(app, {"TESTING": True}).test_client()

    def headers(username: str) -> dict[str, str]:
        response = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    mine = client.get("/api/v1/metrics?period=2026-09&group=department", headers=headers("supervisor")).get_json()
    assert [g["key"] for g in mine["groups"]] == ["technical"] and mine["total"]["opened"] == 4
    refused = client.get("/api/v1/metrics?period=2026-09&department=finance", headers=headers("supervisor"))
    assert refused.status_code == 403 and "own department" in refused.get_data(as_text=True)
    everything = client.get("/api/v1/metrics?period=2026-09&group=department", headers=headers("manager")).get_json()
    assert len(everything["groups"]) == 4 and everything["total"]["opened"] == 6


def test_the_council_report_shows_every_department_whoever_prints_it(month, people):
    app, _ = month
    for username in ("manager", "supervisor"):
        assert report.council_report(app, people[username], "2026-09").total.opened == 6
