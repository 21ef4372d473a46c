"""Roles by URL: another role's task, another department's case, a citizen's contact details: all refused."""

from __future__ import annotations

import pytest

from tests.support.drive import do, lodge, open_task, status_path

CONTACT = {"name": "Jane Citizen", "email": "jane@example.org", "phone": "058 813 9700"}


def _technical_case_at_investigation(batho, people) -> tuple[str, str]:
    reference = lodge(batho, **CONTACT)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    return reference, open_task(batho, reference, "Task_investigate").id


@pytest.mark.parametrize("username", ["agent", "billing", "cfo", "owner", "admin", "officer_finance",
                                      "officer_community", "supervisor_finance"])
def test_another_roles_or_departments_task_is_refused_by_url(browsers, batho, people, username):
    reference, task_id = _technical_case_at_investigation(batho, people)
    someone = browsers(username)
    assert someone.get(f"/tasks/{task_id}").status_code == 403
    assert someone.post(f"/tasks/{task_id}", {"findings": "x", "corrective_action": "y"},
                        page="/tasks/").status_code == 403
    assert someone.post(f"/tasks/{task_id}/claim", page="/tasks/").status_code == 403
    assert someone.post(f"/tasks/{task_id}/reassign", {"assignee": username}, page="/tasks/").status_code == 403
    assert open_task(batho, reference, "Task_investigate").assignee_id is None


@pytest.mark.parametrize("username", ["officer_finance", "officer_community", "supervisor_community", "billing",
                                      "owner", "admin"])
def test_another_departments_case_is_refused_by_url(browsers, batho, people, username):
    reference, _ = _technical_case_at_investigation(batho, people)
    someone = browsers(username)
    page = someone.get(f"/cases/{reference}")
    assert page.status_code == 403
    assert "jane@example.org" not in page.get_data(as_text=True)
    assert someone.get(f"/cases/{reference}/diagram.bpmn").status_code == 403
    assert someone.post(f"/cases/{reference}/notes", {"kind": "comment", "body": "hi"},
                        page="/tasks/").status_code == 403


def test_the_departments_own_staff_see_the_case_but_contact_details_only_when_working_it(browsers, batho, people):
    reference, task_id = _technical_case_at_investigation(batho, people)
    officer = browsers("officer")
    before = officer.get(f"/cases/{reference}").get_data(as_text=True)
    assert "No water" in before and "jane@example.org" not in before and "058 813 9700" not in before.split(
        "<footer")[0]
    assert "jane@example.org" not in officer.get(f"/tasks/{task_id}").get_data(as_text=True)
    officer.post(f"/tasks/{task_id}/claim", page="/tasks/")
    assert "jane@example.org" in officer.get(f"/cases/{reference}").get_data(as_text=True)
    assert "jane@example.org" in officer.get(f"/tasks/{task_id}").get_data(as_text=True)


@pytest.mark.parametrize("username", ["supervisor", "manager"])
def test_supervisors_of_the_department_and_the_manager_see_contact_details(browsers, batho, people, username):
    reference, _ = _technical_case_at_investigation(batho, people)
    assert "jane@example.org" in browsers(username).get(f"/cases/{reference}").get_data(as_text=True)


@pytest.mark.parametrize("username", ["agent", "officer_finance", "supervisor_finance"])
def test_contact_details_are_not_shown_to_staff_not_working_the_case(browsers, batho, people, username):
    reference, _ = _technical_case_at_investigation(batho, people)
    response = browsers(username).get(f"/cases/{reference}")
    assert "jane@example.org" not in response.get_data(as_text=True)


def test_the_citizen_status_page_shows_no_personal_information(browsers, batho, people):
    reference, _ = _technical_case_at_investigation(batho, people)
    page = browsers("citizen").get(status_path(batho, reference)).get_data(as_text=True)
    assert "Jane" not in page and "jane@example.org" not in page


@pytest.mark.parametrize("path", ["/supervise/team", "/supervise/overdue"])
@pytest.mark.parametrize("username", ["agent", "officer", "billing", "owner"])
def test_supervisor_pages_are_refused_to_other_roles(browsers, username, path):
    assert browsers(username).get(path).status_code == 403


@pytest.mark.parametrize("path", ["/tasks/", "/supervise/", "/supervise/team", "/cases/MAF-2026-000001"])
def test_staff_pages_need_a_sign_in(browsers, path):
    response = browsers("citizen").get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_only_staff_working_the_case_and_supervisors_write_to_the_citizen(browsers, batho, people):
    reference, _ = _technical_case_at_investigation(batho, people)
    officer = browsers("officer")
    refused = officer.post(f"/cases/{reference}/notes", {"kind": "message", "body": "We are coming"},
                           page=f"/cases/{reference}")
    assert refused.status_code == 403
    assert "We are coming" not in browsers("citizen").get(status_path(batho, reference)).get_data(as_text=True)


@pytest.mark.parametrize("username", ["officer", "supervisor", "officer_community", "supervisor_customer_care"])
def test_a_finance_account_query_is_refused_to_other_departments(browsers, batho, people, username):
    from engine.services import cases
    query = {"account_number": "4410023", "category": "meter_reading", "disputed_amount": "1840.50",
             "description": "The reading is far too high."}
    reference = cases.lodge(batho, "account_query", query, cases.Contact(name="Mpho", email="mpho@example.org"),
                            "web")
    task_id = open_task(batho, reference, "Task_verify").id
    someone = browsers(username)
    assert someone.get(f"/cases/{reference}").status_code == 403
    assert someone.get(f"/tasks/{task_id}").status_code == 403
    assert someone.post(f"/tasks/{task_id}/claim", page="/tasks/").status_code == 403
    assert "mpho@example.org" not in someone.get(f"/tasks/?view=groups&q={reference}").get_data(as_text=True)
    billing = browsers("billing")
    assert billing.get(f"/cases/{reference}").status_code == 200
