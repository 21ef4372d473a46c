"""The staff API's lean paths: a completion answered with the reference only when asked, and a deactivated
account's token refused at once although its identity was just read."""

from __future__ import annotations

from engine.services import staff
from tests.support.drive import case, lodge, open_task

WATER = {"category": "water", "description": "No water since Monday", "location": "12 Main St"}


def test_a_completion_with_prefer_return_minimal_answers_the_reference_only(client, batho, bearer):
    reference = lodge(batho, dict(WATER))
    task_id = open_task(batho, reference, "Task_triage").id
    done = client.post(f"/api/v1/tasks/{task_id}/complete", json={"triage_outcome": "accept"},
                       headers={**bearer("agent"), "Prefer": "return=minimal"})
    assert done.status_code == 200 and done.headers["Preference-Applied"] == "return=minimal"
    assert done.get_json() == {"case_reference": reference, "next_step_stopped": False}
    assert case(batho, reference).status == "investigating"


def test_a_completion_without_a_preference_still_answers_the_whole_case(client, batho, bearer):
    reference = lodge(batho, dict(WATER))
    task_id = open_task(batho, reference, "Task_triage").id
    done = client.post(f"/api/v1/tasks/{task_id}/complete", json={"triage_outcome": "accept"}, headers=bearer("agent"))
    assert "Preference-Applied" not in done.headers
    assert done.get_json()["case"]["reference"] == reference and done.get_json()["case"]["tasks"]


def test_a_token_of_an_account_deactivated_a_moment_ago_is_refused(client, batho, bearer, people):
    headers = bearer("billing")
    assert client.get("/api/v1/tasks", headers=headers).status_code == 200  # its identity is now known
    staff.change_staff(batho, people["admin"], "billing", {"active": False})
    try:
        refused = client.get("/api/v1/tasks", headers=headers)
        assert refused.status_code == 401
    finally:
        staff.change_staff(batho, people["admin"], "billing", {"active": True})
