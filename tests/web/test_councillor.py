"""Ward councillors: a read-only view of their own ward's cases (no personal information) and figures, and nothing
else; the IT office gives a councillor their ward."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from engine.models import Case, User
from engine.models.identity import StaffAudit
from engine.services.identity import DEMO_WARDS
from tests.support.drive import do, lodge, open_task

FRANKFORT, NAMAHADI = "42005001", "42005002"  # wards 1 and 2 of config/wards/mafube-example.geojson
CONTACT = {"name": "Jane Citizen", "email": "jane@example.org", "phone": "082 555 0101"}
PRIVATE = ("Jane Citizen", "jane@example.org", "082 555 0101", "0825550101", "No water in Extension 4", "12 Main St",
           "Piet Burger", "piet@example.org", "Pothole outside my house")


def _place(app, reference: str, ward: str | None, town: str | None) -> None:
    with app.db.transaction() as session:
        session.execute(update(Case).where(Case.reference == reference).values(ward=ward, town=town))


@pytest.fixture
def ward_cases(batho, people):
    """Two cases in the councillor's ward (one at investigation, one just lodged), one in the next ward, one with none."""
    mine = lodge(batho, **CONTACT)
    do(batho, people["agent"], mine, "Task_triage", triage_outcome="accept")
    roads = lodge(batho, {"category": "roads", "description": "Pothole outside my house", "location": "3 Church St"},
                  name="Piet Burger", email="piet@example.org")
    other, nowhere = lodge(batho, **CONTACT), lodge(batho, **CONTACT)
    _place(batho, mine, FRANKFORT, "Frankfort")
    _place(batho, roads, FRANKFORT, "Frankfort")
    _place(batho, other, NAMAHADI, "Namahadi")
    return {"mine": mine, "roads": roads, "other": other, "nowhere": nowhere}


@pytest.fixture
def ward_reset(batho):
    yield
    with batho.db.transaction() as session:
        session.execute(update(User).values(ward=None))
        for username, ward in DEMO_WARDS.items():
            session.execute(update(User).where(User.username == username).values(ward=ward))


def test_my_ward_lists_only_the_wards_cases_with_no_personal_information(browsers, ward_cases):
    response = browsers("councillor").get("/ward")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Ward 1: Frankfort town" in page
    assert ward_cases["mine"] in page and ward_cases["roads"] in page
    assert ward_cases["other"] not in page and ward_cases["nowhere"] not in page
    leaked = [text for text in PRIVATE if text in page]
    assert not leaked, f"personal information on the councillor's page: {leaked}"
    row = page.split(f'data-reference="{ward_cases["roads"]}"')[1].split("</tr>")[0]
    assert "Roads" in row and "Frankfort" in row and "working day" in row  # category, place (town), age


def test_my_ward_shows_the_wards_figures_within_standard_by_age_and_by_category(browsers, ward_cases):
    page = browsers("councillor").get("/ward").get_data(as_text=True)
    ages = page.split('id="ward-ages"')[1].split("</table>")[0]
    assert "<th scope=\"row\">0-5 days</th><td>2</td>" in ages  # both open cases are new
    categories = page.split('id="ward-categories"')[1].split("</table>")[0]
    assert "Water supply" in categories and "Roads" in categories
    assert "2 cases are open now, 0 of them overdue." in page
    assert "No case of your ward with a service standard was resolved in this period." in page


def test_a_wrong_period_is_refused_with_a_sentence(browsers, ward_cases):
    response = browsers("councillor").get("/ward?period=last-tuesday")
    assert response.status_code == 400
    assert "Period: write a month (2026-10)" in response.get_data(as_text=True)


def test_a_councillor_opens_nothing_else(browsers, batho, ward_cases):
    councillor = browsers("councillor")
    task_id = open_task(batho, ward_cases["mine"], "Task_investigate").id
    assert councillor.get("/tasks/").headers["Location"].endswith("/ward")  # where signing in lands
    refused = [f"/tasks/{task_id}", f"/cases/{ward_cases['mine']}", f"/cases/{ward_cases['other']}",
               f"/cases/search?q={ward_cases['mine']}", "/cases/search?q=Jane", "/dashboard/",
               f"/dashboard/cases?figure=open_now&ward={FRANKFORT}", "/dashboard/cases.csv?figure=open_now",
               "/reports/council", "/supervise/overdue", "/supervise/team", "/capture/", "/admin/staff",
               "/admin/staff/councillor/ward", "/modeler/"]
    answers = {url: councillor.get(url).status_code for url in refused}
    assert set(answers.values()) == {403}, answers
    assert councillor.post(f"/tasks/{task_id}/claim", page="/ward").status_code == 403
    assert open_task(batho, ward_cases["mine"], "Task_investigate").assignee_id is None
    for url in ("/ward", "/account", "/account/password", "/transparency"):
        assert councillor.get(url).status_code == 200, url


def test_another_ward_cannot_be_asked_for(browsers, ward_cases):
    page = browsers("councillor").get(f"/ward?ward={NAMAHADI}").get_data(as_text=True)
    assert ward_cases["other"] not in page and "Ward 1: Frankfort town" in page


def test_the_api_gives_a_councillor_no_case_and_no_task(client, bearer, ward_cases):
    headers = bearer("councillor")
    assert client.get(f"/api/v1/cases/{ward_cases['mine']}", headers=headers).status_code in (403, 404)
    assert client.get(f"/api/v1/cases?q={ward_cases['mine']}", headers=headers).status_code in (403, 404)
    tasks = client.get("/api/v1/tasks", headers=headers)
    assert tasks.status_code == 403 or not tasks.get_json().get("tasks")


@pytest.mark.parametrize("username", ["officer", "supervisor", "manager", "admin", "agent"])
def test_only_councillors_have_a_ward_view(browsers, username):
    response = browsers(username).get("/ward")
    assert response.status_code == 403
    assert "Only ward councillors have a ward view." in response.get_data(as_text=True)


def test_a_councillor_without_a_ward_is_told_to_ask_the_it_office(browsers, batho, ward_reset):
    with batho.db.transaction() as session:
        session.execute(update(User).where(User.username == "councillor").values(ward=None))
    response = browsers("councillor").get("/ward")
    assert response.status_code == 403 and "ask the IT office" in response.get_data(as_text=True)


def test_the_it_office_gives_a_councillor_their_ward(browsers, batho, ward_cases, ward_reset):
    admin = browsers("admin")
    form = admin.get("/admin/staff/councillor/ward")
    assert form.status_code == 200 and "Ward 8: Frankfort farms" in form.get_data(as_text=True)
    assert 'id="councillor-ward"' in admin.get("/admin/staff/councillor").get_data(as_text=True)
    page = "/admin/staff/councillor/ward"
    assert admin.post(page, {"ward": NAMAHADI}, page=page).status_code == 302
    with batho.db.reading() as session:
        assert session.scalar(select(User.ward).where(User.username == "councillor")) == NAMAHADI
        audit = session.scalars(select(StaffAudit).where(StaffAudit.action == "ward")).all()
        assert [a.detail for a in audit][-1] == "Gave Lindiwe Mofokeng Ward 2: Namahadi north."
    shown = browsers("councillor").get("/ward").get_data(as_text=True)
    assert ward_cases["other"] in shown and ward_cases["mine"] not in shown


def test_a_ward_not_in_the_file_or_for_someone_not_a_councillor_is_refused(browsers, batho, ward_reset):
    admin, page = browsers("admin"), "/admin/staff/councillor/ward"
    wrong = admin.post(page, {"ward": "99999999"}, page=page)
    assert wrong.status_code == 400 and "not in the municipality" in wrong.get_data(as_text=True)
    officer = admin.post("/admin/staff/officer/ward", {"ward": FRANKFORT}, page=page)
    assert officer.status_code == 400 and "is not a ward councillor" in officer.get_data(as_text=True)
    assert admin.client.post(page, data={"ward": NAMAHADI}).status_code == 400  # no CSRF token
    assert browsers("manager").post(page, {"ward": NAMAHADI}, page="/ward").status_code == 403
    assert admin.get("/admin/staff/nobody/ward").status_code == 404
    with batho.db.reading() as session:
        wards = dict(session.execute(select(User.username, User.ward).where(User.username.in_(
            ["councillor", "officer"]))).all())
    assert wards == {"councillor": FRANKFORT, "officer": None}
