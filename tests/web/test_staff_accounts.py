"""Administrators add staff, change their roles and departments, disable, enable and reset them, and keep the
roles and departments; every change is in the staff audit."""

from __future__ import annotations

import re

import pytest

from engine.services import api_tokens, deployment, tasks
from tests.modeler.diagrams import complaint_files
from tests.support.drive import open_task, to_investigation
from tests.support.staff import PASSWORD, add, restore
from tests.support.web import Browser


@pytest.fixture(autouse=True)
def _demo_staff_put_back(batho):
    """Users, roles and departments are kept between tests: what this test added goes again."""
    yield
    restore(batho)

TEMPORARY = re.compile(r'<code class="secret">([^<]+)</code>')


def _admin(browsers):
    return browsers("admin")


def test_an_admin_adds_a_staff_member_who_must_change_the_temporary_password(batho, app, browsers):
    page = _admin(browsers).post("/admin/staff", {
        "username": "nomsa", "full_name": "Nomsa Dube", "email": "nomsa@mafube.gov.za", "phone": "+27 58 123 4567",
        "roles": ["department_officer"], "departments": ["technical", "community"]}, page="/admin/staff")
    assert page.status_code == 201
    temporary = TEMPORARY.search(page.get_data(as_text=True)).group(1)
    nomsa = Browser(app.test_client())
    assert nomsa.login("nomsa", temporary).status_code == 302
    sent_on = nomsa.get("/tasks/")
    assert sent_on.status_code == 302 and sent_on.headers["Location"].endswith("/account/password")
    changed = nomsa.post("/account/password", {"current": temporary, "new": "river stones in winter",
                                               "repeat": "river stones in winter"}, page="/account/password")
    assert changed.status_code == 302
    assert nomsa.get("/tasks/").status_code == 200
    mine = nomsa.get("/account").get_data(as_text=True)
    assert "Department Officer" in mine and "Technical Services" in mine and "Community Services" in mine


def test_a_username_taken_or_a_role_unknown_is_refused_with_the_field_named(batho, browsers):
    page = _admin(browsers).post("/admin/staff", {"username": "agent", "full_name": "Someone", "roles": ["pilot"]},
                                 page="/admin/staff")
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "The username &#39;agent&#39; is taken" in text and "Unknown roles: pilot" in text


def test_an_admin_changes_roles_and_departments_and_the_audit_lists_it(batho, browsers):
    add(batho, "pieter_k", ["department_officer"], ["technical"], "Pieter Kruger")
    saved = _admin(browsers).post("/admin/staff/pieter_k", {"full_name": "Pieter Kruger", "roles": ["supervisor"],
                                                            "departments": ["finance"]}, page="/admin/staff/pieter_k")
    assert saved.status_code == 302
    page = _admin(browsers).get("/admin/staff").get_data(as_text=True)
    assert "Roles of Pieter Kruger: department_officer → supervisor." in page
    assert "Departments of Pieter Kruger: technical → finance." in page
    assert "System Administrator" in page  # who made the change


def test_disabling_signs_them_out_everywhere_stops_their_token_and_returns_their_task(batho, app, browsers,
                                                                                       people):
    officer = add(batho, "thabo", ["department_officer"], ["technical"], "Thabo Mokoena")
    reference = to_investigation(batho, people)
    task = open_task(batho, reference, "Task_investigate")
    thabo = Browser(app.test_client())
    assert thabo.login("thabo", PASSWORD).status_code == 302
    token = api_tokens.issue_token(batho, "thabo", PASSWORD).token
    who = api_tokens.identify(batho, token)
    tasks.claim(batho, who, task.id)

    assert _admin(browsers).post("/admin/staff/thabo/disable", page="/admin/staff/thabo").status_code == 302

    assert thabo.get("/tasks/").status_code == 302  # back to the sign-in page at once
    assert app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert Browser(app.test_client()).login("thabo", PASSWORD).status_code == 401
    back = open_task(batho, reference, "Task_investigate")
    assert back.assignee_id is None
    history = [e for e in tasks.task_view(batho, people["officer"], back.id).history if e["kind"] == "unclaimed"]
    assert history and officer.full_name in history[-1]["message"]
    assert "claimed task(s) back to their groups" in _admin(browsers).get("/admin/staff").get_data(as_text=True)


def test_an_enabled_account_signs_in_again(batho, app, browsers):
    add(batho, "lindiwe", ["customer_care_agent"], ["customer_care"])
    admin = _admin(browsers)
    admin.post("/admin/staff/lindiwe/disable", page="/admin/staff/lindiwe")
    assert Browser(app.test_client()).login("lindiwe", PASSWORD).status_code == 401
    assert admin.post("/admin/staff/lindiwe/enable", page="/admin/staff/lindiwe").status_code == 302
    assert Browser(app.test_client()).login("lindiwe", PASSWORD).status_code == 302


def test_a_reset_gives_a_temporary_password_to_change_at_the_next_sign_in(batho, app, browsers):
    add(batho, "sello", ["billing_clerk"], ["finance"])
    sello = Browser(app.test_client())
    assert sello.login("sello", PASSWORD).status_code == 302
    page = _admin(browsers).post("/admin/staff/sello/reset-password", page="/admin/staff/sello")
    temporary = TEMPORARY.search(page.get_data(as_text=True)).group(1)
    assert sello.get("/tasks/").status_code == 302  # the old session ended with the old password
    assert Browser(app.test_client()).login("sello", PASSWORD).status_code == 401
    again = Browser(app.test_client())
    assert again.login("sello", temporary).status_code == 302
    assert again.get("/tasks/").headers["Location"].endswith("/account/password")
    token = app.test_client().post("/api/v1/auth/token", json={"username": "sello", "password": temporary})
    assert token.status_code == 403 and "temporary password" in token.get_json()["error"]


def test_only_admins_open_the_staff_roles_departments_and_acting_pages(batho, browsers):
    for path in ("/admin/staff", "/admin/roles", "/admin/departments", "/admin/acting", "/admin/staff/agent"):
        assert browsers("manager").get(path).status_code == 403, path
        assert browsers("admin").get(path).status_code == 200, path
    refused = browsers("supervisor").post("/admin/staff/agent/disable", page="/account/password")
    assert refused.status_code == 403


def test_roles_and_departments_are_kept_on_their_pages(batho, browsers):
    admin = _admin(browsers)
    saved = admin.post("/admin/roles", {"key": "building_inspector", "name": "Building Inspector",
                                        "description": "Inspects building plans"}, page="/admin/roles")
    assert saved.status_code == 302
    assert "Building Inspector" in admin.get("/admin/roles").get_data(as_text=True)
    assert admin.post("/admin/roles", {"key": "Bad Key", "name": "x"}, page="/admin/roles").status_code == 400
    saved = admin.post("/admin/departments", {"code": "housing", "name": "Human Settlements", "description": "Housing",
                                              "categories": "housing, title deeds", "supervisor": "supervisor"},
                       page="/admin/departments")
    assert saved.status_code == 302
    page = admin.get("/admin/departments").get_data(as_text=True)
    assert "Human Settlements" in page and "housing, title deeds" in page and "Naledi Khumalo" in page


def test_a_role_an_admin_added_can_name_a_lane(batho, browsers):
    files = {n: t.replace('name="Supervisor"', 'name="Building Inspector"') for n, t in complaint_files().items()}
    with batho.db.transaction() as session:
        assert any("Building Inspector" in p["message"] for p in deployment.check_files(session, files))
    _admin(browsers).post("/admin/roles", {"key": "building_inspector", "name": "Building Inspector"},
                          page="/admin/roles")
    with batho.db.transaction() as session:
        assert deployment.check_files(session, files) == []
