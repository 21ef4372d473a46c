"""Sign-in throttling, cookie and header settings, and forms that went stale or were completed meanwhile."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from engine.models import LoginThrottle
from tests.support.drive import lodge, open_task, open_tasks


@pytest.fixture
def clean_throttles(batho):
    def clear():
        with batho.db.transaction() as session:
            session.execute(delete(LoginThrottle))
    clear()
    yield
    clear()


def test_five_wrong_passwords_lock_the_username_at_that_address_even_for_the_right_one(browser, clean_throttles):
    for _ in range(5):
        assert browser.login("manager", "wrong").status_code == 401
    locked = browser.login("manager")
    assert locked.status_code == 429
    assert "Too many failed sign-ins. Wait 5 minutes" in locked.get_data(as_text=True)
    assert browser.login("agent").status_code == 302  # other users of the same office still sign in


def test_a_successful_sign_in_resets_the_count(browser, clean_throttles):
    for _ in range(4):
        browser.login("manager", "wrong")
    assert browser.login("manager").status_code == 302
    for _ in range(4):
        browser.login("manager", "wrong")
    assert browser.login("manager").status_code == 302


def test_session_cookie_is_http_only_and_same_site_and_pages_carry_security_headers(browser):
    response = browser.login("agent")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = browser.get("/tasks/")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Cache-Control"] == "no-store"


def test_secure_cookies_when_served_over_https(batho):
    from dataclasses import replace

    from web import create_app
    app = create_app(replace(batho, config=replace(batho.config, secure_cookies=True)), {"TESTING": True})
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["SESSION_COOKIE_NAME"] == "__Host-batho"


def test_a_form_opened_before_the_diagram_changed_is_refused_and_keeps_the_answers(browsers, batho):
    reference = lodge(batho)
    agent = browsers("agent")
    task_id = open_task(batho, reference, "Task_triage").id
    response = agent.post(f"/tasks/{task_id}", {"triage_outcome": "refer", "triage_reason": "Eskom area",
                                                "form_signature": "0123456789abcdef"}, page=f"/tasks/{task_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The form of this task changed since you opened it" in page and "Eskom area" in page
    assert open_tasks(batho, reference) == ["Task_triage"]


def test_the_current_form_signature_is_accepted(browsers, batho):
    import re
    reference = lodge(batho)
    agent = browsers("agent")
    task_id = open_task(batho, reference, "Task_triage").id
    signature = re.search(r'name="form_signature" value="(\w+)"', agent.get(f"/tasks/{task_id}").get_data(
        as_text=True)).group(1)
    response = agent.post(f"/tasks/{task_id}", {"triage_outcome": "accept", "form_signature": signature},
                          page=f"/tasks/{task_id}")
    assert response.status_code == 302 and open_tasks(batho, reference) == ["Task_investigate"]


def test_a_task_completed_by_someone_else_meanwhile_says_so_and_shows_what_was_typed(browsers, batho, people):
    from tests.support.drive import do
    reference = lodge(batho)
    task_id = open_task(batho, reference, "Task_triage").id
    agent = browsers("agent")
    token = agent.token(f"/tasks/{task_id}")
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    late = agent.client.post(f"/tasks/{task_id}", data={"triage_outcome": "refer", "triage_reason": "Not ours",
                                                        "csrf_token": token})
    page = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "no longer open" in page and "Not ours" in page and "nothing is lost" in page


def test_a_form_opened_before_the_case_moved_to_a_changed_diagram_is_refused_and_loses_nothing(browsers, batho,
                                                                                             people):
    import re

    from engine.services import migration, modeling
    from tests.modeler.diagrams import complaint_files
    from tests.support.drive import instance
    reference = lodge(batho)
    agent = browsers("agent")
    task_id = open_task(batho, reference, "Task_triage").id
    opened = agent.get(f"/tasks/{task_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', opened).group(1)
    signature = re.search(r'name="form_signature" value="(\w+)"', opened).group(1)
    files = complaint_files()
    files["complaint.bpmn"] = files["complaint.bpmn"].replace(
        '<camunda:constraint name="required_if" config="triage_outcome=refer|duplicate" />',
        '<camunda:constraint name="required" />', 1)  # the owner now wants a reason for every triage
    modeling.deploy(batho, people["owner"], files)
    migration.migrate(batho, people["owner"], "complaint", [instance(batho, reference).id])
    stale = agent.client.post(f"/tasks/{task_id}", data={"triage_outcome": "accept", "triage_reason": "Clear case",
                                                         "form_signature": signature, "csrf_token": token})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "form of this task changed" in page and "Clear case" in page
    assert open_tasks(batho, reference) == ["Task_triage"]
    fresh = open_task(batho, reference, "Task_triage").id
    done = agent.post(f"/tasks/{fresh}", {"triage_outcome": "accept", "triage_reason": "Clear case"},
                      page=f"/tasks/{fresh}")
    assert done.status_code == 302 and open_tasks(batho, reference) == ["Task_investigate"]
