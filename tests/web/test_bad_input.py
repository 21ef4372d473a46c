"""Input that used to crash a handler answers 400 naming what was wrong; the APIs answer in JSON, never HTML."""

from __future__ import annotations

import pytest

from tests.processes.helpers import lodge_query
from tests.support.database import DEMO_PASSWORD
from tests.support.drive import do, open_task
from tests.support.web import csrf_of

NESTED = "[" * 10_000 + "]" * 10_000
TWENTY_DIGITS = "99999999999999999999"


def bearer(client, username: str) -> dict[str, str]:
    issued = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert issued.status_code == 200, issued.get_data(as_text=True)
    return {"Authorization": f"Bearer {issued.get_json()['token']}"}


@pytest.fixture
def adjustment(batho, people) -> str:
    """The billing clerk's "Calculate the adjustment" task: its corrected balance has no maximum in the diagram."""
    reference = lodge_query(batho)
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect", verification_notes="Misread.")
    return open_task(batho, reference, "Task_adjust").id


ADJUSTMENT = {"adjustment_amount": "250", "adjustment_reason": "Misread meter."}


def test_a_decimal_too_large_or_not_a_number_is_refused_on_the_task_form(browsers, adjustment):
    billing = browsers("billing")
    for balance in ["1e30", "1" * 40, "1e999999999", "inf", "nan", "-Infinity"]:
        response = billing.post(f"/tasks/{adjustment}", {**ADJUSTMENT, "corrected_balance": balance},
                                page=f"/tasks/{adjustment}")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, balance
        # A money field: "Enter an amount in rand, …" or, for too many digits, "Enter a number below …".
        assert "Corrected balance of the account (rand): Enter a" in page
        assert balance in page  # what was typed stays in the form


def test_a_decimal_too_large_or_not_a_number_is_refused_by_the_api(app, adjustment):
    client = app.test_client()
    headers = bearer(client, "billing")
    for balance in [1e30, "1e30", 10**40, "nan", "Infinity"]:
        response = client.post(f"/api/v1/tasks/{adjustment}/complete", headers=headers,
                               json={**ADJUSTMENT, "corrected_balance": balance})
        assert response.status_code == 400, (balance, response.get_data(as_text=True))
        assert "Enter a" in response.get_json()["errors"]["corrected_balance"]


def test_a_json_body_nested_too_deeply_is_refused_by_the_api(app, adjustment):
    client = app.test_client()
    headers = bearer(client, "billing")
    response = client.post(f"/api/v1/tasks/{adjustment}/complete", headers=headers, data=NESTED,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"errors": {"body": "The JSON body is nested too deeply."}}
    # Brackets inside strings are text, not nesting: a real body still goes through.
    body = {**ADJUSTMENT, "corrected_balance": "1590.50", "adjustment_reason": "[[[{misread}]]] " * 100}
    response = client.post(f"/api/v1/tasks/{adjustment}/complete", headers=headers, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_json_body_nested_too_deeply_is_refused_by_the_modeler(browsers):
    owner = browsers("owner")
    token = csrf_of(owner.get("/modeler/complaint/1/edit").get_data(as_text=True))
    response = owner.client.post("/modeler/api/check", data='{"files": ' + NESTED + "}",
                                 content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.get_json()["message"] == "The JSON body is nested too deeply."


@pytest.mark.parametrize("url, name", [
    (f"/api/v1/cases?page={TWENTY_DIGITS}", "page"),
    (f"/api/v1/cases?per_page=-{TWENTY_DIGITS}", "per_page"),
    (f"/api/v1/metrics?officer={TWENTY_DIGITS}", "officer"),
])
def test_a_twenty_digit_number_in_an_api_query_is_refused_naming_the_parameter(app, url, name):
    client = app.test_client()
    response = client.get(url, headers=bearer(client, "manager"))
    assert response.status_code == 400
    assert response.get_json()["errors"][name] == f"{name} must be a whole number of at most 18 digits."


def test_a_twenty_digit_number_in_a_page_query_is_refused_naming_the_parameter(browsers):
    response = browsers("owner").get(f"/insight/complaint?version={TWENTY_DIGITS}")
    assert response.status_code == 400
    assert "version must be a whole number of at most 18 digits." in response.get_data(as_text=True)


def test_a_twenty_digit_id_in_a_path_is_not_found(browsers):
    response = browsers("owner").get(f"/modeler/drafts/{TWENTY_DIGITS}")
    assert response.status_code == 404


@pytest.mark.parametrize("method, url, code", [
    ("get", "/api/v1/no-such-thing", 404),
    ("delete", "/api/v1/cases", 405),
    ("get", "/modeler/api/no-such-thing", 404),
    ("get", "/modeler/api/check", 405),
])
def test_api_errors_are_json_never_an_html_page(app, method, url, code):
    response = getattr(app.test_client(), method)(url)
    assert response.status_code == code
    assert response.is_json, response.get_data(as_text=True)[:200]


def test_a_body_too_large_for_the_modeler_api_is_json(browsers):
    owner = browsers("owner")
    token = csrf_of(owner.get("/modeler/complaint/1/edit").get_data(as_text=True))
    response = owner.client.post("/modeler/api/check", data="x" * (3 * 1024 * 1024), content_type="application/json",
                                 headers={"X-CSRFToken": token})
    assert response.status_code == 413 and response.is_json


def test_an_unexpected_error_on_the_api_is_json_and_does_not_claim_nothing_was_lost(app, monkeypatch):
    from engine.services import staff_api

    def broken(*_args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(staff_api, "processes", broken)
    client = app.test_client()
    response = client.get("/api/v1/processes", headers=bearer(client, "agent"))
    assert response.status_code == 500 and response.is_json
    assert "lost" not in response.get_json()["error"]


def test_a_twenty_digit_draft_id_in_a_modeler_body_is_refused_naming_the_field(browsers):
    owner = browsers("owner")
    token = csrf_of(owner.get("/modeler/complaint/1/edit").get_data(as_text=True))
    files = {"complaint.bpmn": owner.get("/modeler/complaint/1/files/complaint.bpmn").get_data(as_text=True)}
    response = owner.client.post("/modeler/api/save", json={"files": files, "draft_id": TWENTY_DIGITS},
                                 headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.get_json()["message"] == "draft_id must be a whole number of at most 18 digits."
