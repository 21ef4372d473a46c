"""The complaint through the web: a citizen lodges and tracks, staff sign in, claim and complete tasks."""

from __future__ import annotations

import re

from tests.support.drive import access_code, case, open_task, open_tasks, status_path

REF = re.compile(r"MAF-\d{4}-\d{6}")


def lodge_on_web(browser, **extra) -> str:
    form = {"category": "water", "description": "No water since Monday", "location": "12 Main St", **extra}
    response = browser.post("/lodge/complaint", form, page="/lodge/complaint")
    assert response.status_code == 302, response.get_data(as_text=True)
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    return REF.search(page).group(0)


def complete_on_web(browser, batho, reference, task_name, **values):
    task_id = open_task(batho, reference, task_name).id
    response = browser.post(f"/tasks/{task_id}", values, page=f"/tasks/{task_id}")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response


def test_citizen_lodges_and_tracks_a_complaint(browsers, batho):
    citizen = browsers("citizen")
    assert "Report a problem" in citizen.get("/").get_data(as_text=True)
    form = citizen.get("/lodge/complaint").get_data(as_text=True)
    assert "Water supply" in form and "Your personal information" in form
    reference = lodge_on_web(citizen, name="Jane", email="jane@example.org")
    status = citizen.get(status_path(batho, reference)).get_data(as_text=True)
    assert "Registered" in status and "We aim to resolve it by" in status
    assert "jane@example.org" not in status and "Jane" not in status


def test_the_status_page_finds_a_reference_typed_in_lower_case(browsers, batho):
    reference = lodge_on_web(browsers("citizen"))
    response = browsers("citizen").get(f"/track?reference={reference.lower()}")
    assert response.status_code == 302
    assert browsers("citizen").get(response.headers["Location"]).status_code == 200


def test_an_unknown_reference_gives_a_clear_404(browsers):
    response = browsers("citizen").get("/status/MAF-2026-999999")
    assert response.status_code == 404
    assert "could not find" in response.get_data(as_text=True)


def test_bad_lodging_input_keeps_what_was_typed_and_names_each_problem(browsers, batho):
    citizen = browsers("citizen")
    response = citizen.post("/lodge/complaint", {"category": "", "description": "Leaking meter",
                                                 "email": "nope"}, page="/lodge/complaint")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "What is it about? is required." in page
    assert "Email: enter an address" in page
    assert "Leaking meter" in page


def test_every_path_step_through_the_web_to_closure_with_reject_and_rework(browsers, batho):
    reference = lodge_on_web(browsers("citizen"), email="jane@example.org")
    agent, officer, supervisor = browsers("agent"), browsers("officer"), browsers("supervisor")

    task_id = open_task(batho, reference, "Task_triage").id
    assert reference in agent.get("/tasks/").get_data(as_text=True)
    assert agent.post(f"/tasks/{task_id}/claim", page="/tasks/").status_code == 302
    complete_on_web(agent, batho, reference, "Task_triage", triage_outcome="accept")
    complete_on_web(officer, batho, reference, "Task_investigate", findings="Valve", corrective_action="Wait")
    complete_on_web(supervisor, batho, reference, "Task_approve", decision="reject",
                    supervisor_comment="Replace the valve instead.")
    rework = officer.get(f"/tasks/{open_task(batho, reference, 'Task_investigate').id}").get_data(as_text=True)
    assert "Replace the valve instead." in rework
    complete_on_web(officer, batho, reference, "Task_investigate", findings="Valve", corrective_action="Replace")
    complete_on_web(supervisor, batho, reference, "Task_approve", decision="approve", supervisor_comment="")
    complete_on_web(officer, batho, reference, "Task_implement", implementation_outcome="Done",
                    completed_on="2026-11-27")
    complete_on_web(agent, batho, reference, "Task_respond", apology="Sorry.", explanation="A valve failed.",
                    remedy="We replaced it.")
    citizen = browsers("citizen")
    status = citizen.get(status_path(batho, reference)).get_data(as_text=True)
    assert "A valve failed." in status
    rated = citizen.post(f"/status/{reference}/rate", {"rating": "4", "comment": "Quick", "code": access_code(batho, reference)},
                         page=status_path(batho, reference))
    assert rated.status_code == 302
    complete_on_web(agent, batho, reference, "Task_satisfaction", satisfaction="satisfied")
    assert case(batho, reference).status == "closed"
    assert "Closed" in citizen.get(status_path(batho, reference)).get_data(as_text=True)


def test_a_wrong_form_value_keeps_the_input_and_names_the_field(browsers, batho):
    reference = lodge_on_web(browsers("citizen"))
    agent = browsers("agent")
    task_id = open_task(batho, reference, "Task_triage").id
    response = agent.post(f"/tasks/{task_id}", {"triage_outcome": "duplicate", "triage_reason": "Seen before"},
                          page=f"/tasks/{task_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Duplicate of is required." in page
    assert "Seen before" in page
    assert open_tasks(batho, reference) == ["Task_triage"]


def test_a_double_submit_gives_a_clear_conflict_and_loses_nothing(browsers, batho):
    reference = lodge_on_web(browsers("citizen"))
    agent = browsers("agent")
    task_id = open_task(batho, reference, "Task_triage").id
    token = agent.token(f"/tasks/{task_id}")
    first = agent.client.post(f"/tasks/{task_id}", data={"triage_outcome": "accept", "csrf_token": token})
    second = agent.client.post(f"/tasks/{task_id}", data={"triage_outcome": "accept", "csrf_token": token})
    assert first.status_code == 302
    assert second.status_code == 409
    assert "no longer open" in second.get_data(as_text=True)
    assert open_tasks(batho, reference) == ["Task_investigate"]


def test_a_user_without_the_role_gets_403_by_url(browsers, batho):
    reference = lodge_on_web(browsers("citizen"))
    task_id = open_task(batho, reference, "Task_triage").id
    for username in ("officer", "billing", "owner"):
        someone = browsers(username)
        assert someone.get(f"/tasks/{task_id}").status_code == 403
        assert someone.post(f"/tasks/{task_id}", {"triage_outcome": "accept"}, page="/tasks/").status_code == 403
        assert someone.post(f"/tasks/{task_id}/claim", page="/tasks/").status_code == 403
    assert open_tasks(batho, reference) == ["Task_triage"]


def test_task_pages_need_a_sign_in(browsers, batho):
    reference = lodge_on_web(browsers("citizen"))
    task_id = open_task(batho, reference, "Task_triage").id
    response = browsers("citizen").get(f"/tasks/{task_id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_forms_without_the_csrf_token_are_refused(browsers, batho):
    response = browsers("citizen").client.post("/lodge/complaint", data={"category": "water",
                                                                          "description": "x"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_a_wrong_password_is_refused_and_the_right_one_signs_in(browser):
    assert browser.login("agent", "wrong").status_code == 401
    assert browser.login("agent").status_code == 302
    assert "Thandi Mokoena" in browser.get("/tasks/").get_data(as_text=True)
    assert browser.post("/logout", page="/tasks/").status_code == 302
    assert browser.get("/tasks/").status_code == 302


def test_contact_details_show_only_to_those_who_need_them(browsers, batho):
    reference = lodge_on_web(browsers("citizen"), name="Jane Citizen", email="jane@example.org")
    task_id = open_task(batho, reference, "Task_triage").id
    agent = browsers("agent")
    assert "jane@example.org" not in agent.get(f"/tasks/{task_id}").get_data(as_text=True)
    agent.post(f"/tasks/{task_id}/claim", page="/tasks/")
    assert "jane@example.org" in agent.get(f"/tasks/{task_id}").get_data(as_text=True)


def test_server_errors_show_no_stack_trace(app, browsers):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = browsers("citizen").get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
