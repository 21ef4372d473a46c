"""The dashboard through HTTP: roles, figures, drill-down, CSV and bad input."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.web import signed_in
from web import create_app


@pytest.fixture
def staff(month):
    app, refs = month
    get = signed_in(app)

    return get, refs


def test_the_dashboard_shows_the_month_with_charts_and_tables(staff):
    get, _ = staff
    page = get("manager").get("/dashboard/?period=2026-09").get_data(as_text=True)
    assert "September 2026" in page and "<svg" in page and 'id="table-weekly"' in page
    assert 'data-figure="overdue"' in page
    assert "Jane Citizen" not in page


def test_drilling_from_overdue_lists_the_overdue_case_without_personal_details(staff):
    get, refs = staff
    page = get("supervisor_community").get("/dashboard/cases?figure=overdue&period=2026-09").get_data(as_text=True)
    assert refs["D"] in page and refs["A"] not in page and "1 case" in page


def test_drilling_into_a_department_row(staff):
    get, refs = staff
    page = get("manager").get("/dashboard/cases?figure=closed&period=2026-09&group=department&key=technical")
    text = page.get_data(as_text=True)
    assert all(refs[x] in text for x in "ABH") and refs["E"] not in text


def test_the_figures_table_exports_as_csv(staff):
    get, _ = staff
    response = get("admin").get("/dashboard/figures.csv?period=2026-09&group=department")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "batho-figures-2026-09.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header, *body = rows
    total = dict(zip(header, body[-1], strict=True))
    assert total["Group"] == "All cases" and total["Opened"] == "6" and total["Resolve median (working days)"] == "5.5"
    technical = next(dict(zip(header, r, strict=True)) for r in body if r[0].startswith("Technical"))
    assert technical["Closed"] == "3"


def test_weekly_csv_has_one_row_per_week(staff):
    get, _ = staff
    text = get("manager").get("/dashboard/weekly.csv?period=2026-09").get_data(as_text=True)
    assert text.splitlines()[1:3] == ["2026-08-31,3,0,0,", "2026-09-07,0,1,1,1.0"]


def test_officers_and_agents_may_not_see_the_dashboard(staff):
    get, _ = staff
    assert get("officer").get("/dashboard/").status_code == 403
    assert get("agent").get("/dashboard/figures.csv").status_code == 403


def test_signed_out_people_are_sent_to_sign_in(month):
    app, _ = month
    client = create_app(app, {"TESTING": True}).test_client()
    assert client.get("/dashboard/").status_code == 302


def test_bad_input_gets_a_sentence(staff):
    get, _ = staff
    response = get("manager").get("/dashboard/?period=yesterday")
    assert response.status_code == 400 and "financial year" in response.get_data(as_text=True)
    assert get("manager").get("/dashboard/cases?figure=nonsense").status_code == 400
    assert get("manager").get("/dashboard/secrets.csv").status_code == 404


def _token(client, username: str) -> str:
    from tests.support.database import DEMO_PASSWORD

    response = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["token"]


def test_the_figures_as_json_for_reporting_tools(month):
    app, _ = month
    client = create_app(app, {"TESTING": True}).test_client()
    headers = {"Authorization": f"Bearer {_token(client, 'manager')}"}
    data = client.get("/api/v1/metrics?period=2026-09&group=channel", headers=headers).get_json()
    assert data["total"]["opened"] == 6 and data["total"]["within_standard_share"] == 0.5
    assert {g["key"]: g["opened"] for g in data["groups"]} == {"web": 2, "phone": 2, "walk_in": 1, "suggestion_box": 1}
    filtered = client.get("/api/v1/metrics?period=2026-09&department=community", headers=headers).get_json()
    assert filtered["total"]["overdue_now"] == 1 and filtered["total"]["opened"] == 1


def test_the_json_needs_a_token_of_a_monitoring_role_and_a_valid_period(month):
    app, _ = month
    client = create_app(app, {"TESTING": True}).test_client()
    assert client.get("/api/v1/metrics").status_code == 401
    officer = {"Authorization": f"Bearer {_token(client, 'officer')}"}
    assert client.get("/api/v1/metrics", headers=officer).status_code == 403
    manager = {"Authorization": f"Bearer {_token(client, 'manager')}"}
    response = client.get("/api/v1/metrics?period=soon", headers=manager)
    assert response.status_code == 400 and "Period:" in response.get_json()["errors"]["period"]
