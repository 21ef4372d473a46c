"""The same form sent twice makes one case: the lodge and slip forms, task forms, and the APIs' Idempotency-Key."""

from __future__ import annotations

import re
import threading

from sqlalchemy import func, select

from engine.models import Case, CaseEvent, SuggestionSlip
from engine.models.enums import EventKind
from tests.support.drive import WATER, lodge, open_task
from tests.support.web import TOKEN

FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def _count(batho, model, *where) -> int:
    with batho.db.reading() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _form(browser, page):
    """The CSRF token and the one-time form token of a page, as the browser holds them."""
    html = browser.get(page).get_data(as_text=True)
    return TOKEN.search(html).group(1), FORM_TOKEN.search(html).group(1)


def _send_lodge(client, csrf, token):
    return client.post("/lodge/complaint", data={**WATER, "csrf_token": csrf, "form_token": token})


def test_the_lodge_form_sent_twice_makes_one_case_and_the_second_shows_its_reference(browser, batho):
    csrf, token = _form(browser, "/lodge/complaint")
    first = _send_lodge(browser.client, csrf, token)
    second = _send_lodge(browser.client, csrf, token)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]  # the thank-you page of the same case
    with batho.db.reading() as session:
        [reference] = session.scalars(select(Case.reference)).all()
    page = browser.get(second.headers["Location"]).get_data(as_text=True)
    assert reference in page and "You sent this form already" in page


def test_a_form_with_errors_keeps_its_token_and_the_corrected_sending_makes_the_case(browser, batho):
    csrf, token = _form(browser, "/lodge/complaint")
    wrong = browser.client.post("/lodge/complaint", data={"csrf_token": csrf, "form_token": token, "category": ""})
    assert wrong.status_code == 400 and FORM_TOKEN.search(wrong.get_data(as_text=True)).group(1) == token
    assert _send_lodge(browser.client, csrf, token).status_code == 302 and _count(batho, Case) == 1


def test_two_sendings_at_once_make_one_case(browser, batho):
    csrf, token = _form(browser, "/lodge/complaint")
    # Two connections of the same browser: each client carries the session cookie the CSRF token belongs to.
    cookie = browser.client.get_cookie("batho")
    clients = [browser.client.application.test_client() for _ in range(2)]
    for c in clients:
        c.set_cookie(cookie.key, cookie.value)
    barrier = threading.Barrier(2)
    answers: list[str] = []

    def send(c) -> None:
        barrier.wait()
        answers.append(_send_lodge(c, csrf, token).headers["Location"])

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 2 and answers[0] == answers[1]
    assert _count(batho, Case) == 1


def test_forms_without_a_token_still_work_each_time(browser, batho):
    csrf, _ = _form(browser, "/lodge/complaint")
    for _ in range(2):
        assert browser.client.post("/lodge/complaint", data={**WATER, "csrf_token": csrf}).status_code == 302
    assert _count(batho, Case) == 2


def test_the_suggestion_slip_sent_twice_is_one_slip(browser, batho):
    csrf, token = _form(browser, "/suggestions/new")
    slip = {"kind_hint": "suggestion", "text": "Open the library on Saturdays.", "csrf_token": csrf,
            "form_token": token}
    first = browser.client.post("/suggestions/new", data=slip)
    second = browser.client.post("/suggestions/new", data=slip)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(batho, SuggestionSlip) == 1


def test_a_task_form_sent_twice_completes_once_and_says_it_was_done(browsers, batho):
    reference = lodge(batho)
    task_id = open_task(batho, reference, "Task_triage").id
    agent = browsers("agent")
    csrf, token = _form(agent, f"/tasks/{task_id}")
    form = {"csrf_token": csrf, "form_token": token, "triage_outcome": "accept"}
    assert agent.client.post(f"/tasks/{task_id}", data=form).status_code == 302
    again = agent.client.post(f"/tasks/{task_id}", data=form)
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "You already completed this task" in page and reference in page and "changed nothing" in page
    with batho.db.reading() as session:
        done = session.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.kind == EventKind.COMPLETED, CaseEvent.task_name == "Task_triage"))
    assert done == 1


def test_someone_elses_repeat_is_not_told_it_was_theirs(browsers, batho):
    reference = lodge(batho)
    task_id = open_task(batho, reference, "Task_triage").id
    agent = browsers("agent")
    csrf, token = _form(agent, f"/tasks/{task_id}")
    assert agent.client.post(f"/tasks/{task_id}", data={"csrf_token": csrf, "form_token": token,
                                                        "triage_outcome": "accept"}).status_code == 302
    manager = browsers("manager")
    other = manager.client.post(f"/tasks/{task_id}", data={"csrf_token": manager.token("/tasks/"),
                                                            "form_token": token, "triage_outcome": "accept"})
    assert other.status_code in (403, 404, 409) and "You already completed" not in other.get_data(as_text=True)


def test_the_api_idempotency_key_gives_the_same_case(client, bearer, batho):
    body = {"process": "complaint", "channel": "phone", "data": WATER}
    headers = {**bearer("agent"), "Idempotency-Key": "3f1c9a4e-retry-after-timeout"}
    first = client.post("/api/v1/cases", json=body, headers=headers)
    second = client.post("/api/v1/cases", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json() and second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert client.post("/api/v1/cases", json=body, headers=bearer("agent")).status_code == 201  # no key: a new case
    assert _count(batho, Case) == 2
    bad = client.post("/api/v1/cases", json=body, headers={**bearer("agent"), "Idempotency-Key": "has spaces"})
    assert bad.status_code == 400 and "Idempotency-Key" in bad.get_json()["errors"]


def test_open311_idempotency_key_gives_the_same_request(client, batho, demo_key):
    form = {"api_key": demo_key, "service_code": "complaint-roads", "lat": "-27.2795", "long": "28.4809",
            "description": "A deep pothole in Church Street outside the post office"}
    headers = {"Idempotency-Key": "fixmystreet-1234"}
    first = client.post("/open311/v2/requests.json", data=form, headers=headers)
    second = client.post("/open311/v2/requests.json", data=form, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert _count(batho, Case) == 1
